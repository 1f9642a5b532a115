"""`runwalk status`: one look at the band before a run.

Board and MicroPython, firmware on the band against the one installed here (how it was deployed,
plain, --source or --romfs, and whether that deploy would change anything), battery, room for
sessions, sessions waiting to be pulled, the clock, the workout it runs next and where the plan
stands. It writes nothing on the band and does not set its clock (connecting stops its app, as every
command does, and the app restarts at the end); the band's files come back in one round trip, the
firmware's hashes in one more (three for firmware run from ROMFS: the partition, its image, main.py).
"""

from __future__ import annotations

import argparse
import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

import runwalk
from runwalk import cues
from runwalk import workout as wk
from runwalk.config import DEFAULT_CONFIG
from runwalk.store import (
    CLOSED_EXT,
    CONFIG,
    DAMAGED_EXT,
    ERROR,
    GOOD,
    MAX_CONFIG_BYTES,
    MAX_PLAN_BYTES,
    OPEN_EXT,
    PLAN,
    PLAN_HOLD,
    PLAN_POS,
    PULLED_EXT,
)

from host_tools import parse
from host_tools.band import energy, romfs, room, snippets
from host_tools.band import plan as band_plan
from host_tools.band.connection import connected
from host_tools.errors import RunwalkError
from host_tools.training import workouts

FILES = (CONFIG, GOOD, ERROR, PLAN, PLAN_POS, PLAN_HOLD)
CAPACITY_MAH = 100.0  # the cell boards/README.md builds with
RUNS_A_WEEK = 3  # as docs/performance.md's days between charges
# Share of a LiPo's charge left at a resting voltage (mV): a typical single-cell curve.
LIPO = ((4200, 100), (4100, 90), (4000, 78), (3900, 62), (3800, 45), (3700, 25), (3600, 10), (3500, 4), (3300, 0))

@dataclass
class Snapshot:
    info: dict[str, Any]
    files: dict[str, bytes | int] = field(default_factory=dict)  # name -> content, or size if too large

    def text(self, name: str) -> bytes | None:
        v = self.files.get(name)
        return v if isinstance(v, bytes) else None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="one look at the band: battery, room, firmware, clock, what it runs next")
    parse.add_port(p)
    p.set_defaults(func=cmd_status)


def snapshot(band: Any) -> Snapshot:
    # One round trip: everything status reads, as one JSON line. Files larger than the band itself
    # reads are not sent (their size says enough).
    out = band.exec(snippets.snapshot(FILES, max(MAX_CONFIG_BYTES, MAX_PLAN_BYTES)), timeout=20).decode()
    try:
        info = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RunwalkError("the band's answer to status was not readable: %r" % out[:200]) from None
    files = {n: (base64.b64decode(v) if isinstance(v, str) else int(v)) for n, v in info.pop("files").items()}
    return Snapshot(info, files)


def charge_left(mv: int) -> int:
    """Percent of a LiPo's charge at `mv` (resting), by the curve above."""
    if mv >= LIPO[0][0]:
        return 100
    for (hi, ph), (lo, pl) in zip(LIPO, LIPO[1:], strict=False):
        if mv >= lo:
            return round(pl + (ph - pl) * (mv - lo) / (hi - lo))
    return 0


def run_mah(w: wk.Workout, board: energy.BoardPower) -> float:
    """The energy model's charge for one session of w: each change a cue and two wakes, asleep between."""
    n = len(w)
    timed = [w.dur_ms(i) for i in range(n)]
    total = sum(d for d in timed if d is not None) or 30 * 60_000  # open segments: say half an hour
    cue_ms = sum(sum(cues.pattern(w.kind(i))[0::2]) for i in range(n)) + sum(cues.pattern(cues.DONE)[0::2]) + sum(
        cues.pattern(cues.START)[0::2])  # (a workout kind's cue is the kind)
    st = energy.TraceStats(duration_ms=total, wakes=4 * n + 4, light_sleeps=[total], session_ms=total,
                           motor_on_ms=cue_ms, motor_level_ms=cue_ms * w.intensity / 100)
    return energy.charge(board, st).mah


@dataclass
class Next:
    workout: wk.Workout | None
    source: str  # where it comes from, in words
    plan_line: str  # where the plan stands


def next_workout(snap: Snapshot) -> Next:
    """What the band runs at its next session, decided as its start-up does (runwalk/startup.py)."""
    plan_line = "no plan on the band"
    held = PLAN_HOLD in snap.files
    plan_raw = snap.text(PLAN)
    if PLAN in snap.files:
        if plan_raw is None:
            plan_line = "plan.json is too large for the band: it runs its config.json instead"
        else:
            try:
                p = band_plan.parse(plan_raw, snap.text(PLAN_POS), held)
            except RunwalkError as e:
                plan_line = str(e)
            else:
                from host_tools.training import plans

                plan_line = plans.where(p.doc, p.step)
                if held and not p.finished:  # a finished plan runs config.json from now on: no "once"
                    plan_line += "; first the workout pushed last runs, once"
                elif not p.finished:
                    cfg = p.doc["workouts"][p.doc["sessions"][p.step]["workout"]]
                    # A config.json the band refuses was not said while a plan ran (mpremote fs cp put one with
                    # a right-to-left override there): it is what the band falls back on once the plan is done.
                    refused = config_refused(snap)
                    if refused:
                        plan_line += "; %s (after the plan the band runs its last good workout)" % refused
                    return Next(workouts.check(cfg, band=True), "session %d of the plan" % (p.step + 1), plan_line)
    # config.json, as the band loads it when its app starts again (at the end of this command):
    # refused -> its last good one -> the built-in workout.
    refused = config_refused(snap)
    if refused is None:
        return Next(workouts.load_text(snap.text(CONFIG) or b"", "config.json", band=True)[1], "config.json", plan_line)
    good = snap.text(GOOD)
    if good is not None:
        try:
            return Next(workouts.load_text(good, "config.good.json", band=True)[1],
                        "its last good workout (%s)" % refused, plan_line)
        except RunwalkError:
            pass
    return Next(wk.validate(json.loads(json.dumps(DEFAULT_CONFIG))), "its built-in workout (%s)" % refused,
                plan_line)


# What only the band can find wrong with a config.json the laptop's check accepts: its heap, its
# filesystem. config.err says so (the laptop cannot tell); any other reason in it may be about an
# earlier config.json, replaced since (by `mpremote fs cp`), which the band checks afresh at its start.
_BAND_ONLY = ("memory", "cannot be read")


def config_refused(snap: Snapshot) -> str | None:
    """None if the band runs its config.json at its next start, else why not, in a few words."""
    if CONFIG not in snap.files:
        return "no config.json"
    raw = snap.text(CONFIG)
    if raw is None:
        return "config.json refused: it is larger than %d bytes" % MAX_CONFIG_BYTES
    try:
        workouts.load_text(raw, "config.json", band=True)
    except RunwalkError as e:
        why = str(e)
        for said_twice in ("config.json is invalid: ", "config.json is "):
            why = why.removeprefix(said_twice)
        return "config.json refused: %s" % why
    err = snap.text(ERROR)
    said = err.decode(errors="replace").strip() if err is not None else None
    if said and any(w in said for w in _BAND_ONLY):
        return "config.json refused: %s" % said
    if raw.startswith(workouts.BOM) or workouts.join_escaped_pairs(raw) != raw:
        # Python's JSON reader takes these, MicroPython's refuses them (README, config.json).
        return "config.json refused: %s" % (said or "it starts with a byte order mark or holds an emoji as a "
                                                   "\\u escape pair; `runwalk config push --file` fixes both")
    return None


def deploy_line(band: Any, info: dict[str, Any], board: str | None) -> str:
    from host_tools.commands import deploy

    here = runwalk.VERSION
    on = info.get("fw")
    if on is None:
        return "none on the band (installed here: %s): `runwalk deploy` puts it on" % here
    head = "%s on the band, %s installed here" % (on, here)
    if board is None:
        return head + " (board not known: cannot compare files)"
    mpy = info.get("mpy") or None
    # Compared with what the deploy that put it there would copy: a band deployed with --romfs or --source
    # was told "`runwalk deploy` would copy 22 of 23 files", as if its firmware were out of date.
    how = deployed_as(info)
    try:
        if how == "romfs":
            return head + romfs_line(band, board, mpy)
        files, todo, stale = deploy.changes(band, board, None if how == "source" else mpy)
    except RunwalkError as e:
        return head + " (could not compare: %s)" % e
    if how == "source":
        how_text, cmd = "as .py source (deployed with --source, or by mip", "`runwalk deploy --source`"
        if not todo and not stale:
            return head + ": up to date, %s: %s would change nothing)" % (how_text, cmd)
        head += ": %s); " % how_text
    else:
        cmd = "`runwalk deploy`"
        if not todo and not stale:
            return head + ": up to date (%s would change nothing)" % cmd
        head += ": "
    return head + "%s would copy %d of %d files%s" % (cmd, len(todo), len(files),
                                                     " and remove %d" % len(stale) if stale else "")


def deployed_as(info: dict[str, Any]) -> str:
    """How the band's firmware was put on, from where it runs: "romfs" (from /rom: `runwalk deploy --romfs`),
    "source" (.py: `runwalk deploy --source`, or mip) or "mpy" (a plain deploy; also the source a plain deploy
    copies to a band whose .mpy version mpy-cross does not write)."""
    from host_tools.commands import deploy

    where = str(info.get("fw_file") or "")
    if where.startswith(romfs.ROM + "/"):
        return "romfs"
    if where.endswith(".py") and (int(info.get("mpy") or 0) & 0xFF) == deploy.MPY_VERSION:
        return "source"
    return "mpy"


def romfs_line(band: Any, board: str, mpy: int | None) -> str:
    """The firmware line's end for a band running its firmware from its ROMFS partition."""
    from host_tools.commands import deploy

    where = ": run from its ROMFS partition (deployed with --romfs"
    if mpy is None or (mpy & 0xFF) != deploy.MPY_VERSION:  # (a deploy --romfs refuses such a band)
        return "%s); its .mpy version is not the %d mpy-cross writes: cannot compare" % (where, deploy.MPY_VERSION)
    _image, write, _main, main_todo = deploy.romfs_changes(band, board, mpy, romfs.probe(band))
    if not write and not main_todo:
        return ": up to date, run from its ROMFS partition (deployed with --romfs: `runwalk deploy --romfs` would " \
               "change nothing)"
    todo = (["rewrite the image"] if write else []) + (["copy main.py"] if main_todo else [])
    return "%s); `runwalk deploy --romfs` would %s" % (where, " and ".join(todo))


def clock_line(wall: int | None) -> str:
    if wall is None:
        # (not "any command that connects": status connects, and leaves the clock alone)
        return ("not set (sessions get no start time; `runwalk logs pull`, or any other command that talks to the "
                "band, sets it: status only reads it)")
    off = wall - int(time.time())
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(wall))
    return "%s (%s)" % (when, "in time" if abs(off) <= 2 else "%+d s off the laptop's" % off)


def _no_board(info: dict[str, Any]) -> str:
    """Why the band's board module could not be asked (battery, clock), in the runner's words."""
    err = str(info.get("board_error", ""))
    if "runwalk_board" in err:  # ImportError: MicroPython without the firmware
        return "no runwalk firmware on the band to read it: `runwalk deploy` puts it on"
    return "the band's board module failed: %s" % err


def cmd_status(args: argparse.Namespace) -> int:
    from host_tools.commands.deploy import guess_board

    t0 = time.monotonic()
    # set_clock=False: status reports the clock as it is, and writes nothing.
    with connected(args.port, set_clock=False, expect_firmware=False) as band:
        snap = snapshot(band)
        info = snap.info
        board = guess_board(info["platform"], info["machine"])
        fw = deploy_line(band, info, board)
        port = band.port
    nxt = next_workout(snap)
    w = nxt.workout
    logs = info.get("logs", {})
    unpulled = logs.get(CLOSED_EXT[1:], [0, 0])[0]  # the band counts logs by suffix, without its dot
    damaged = logs.get(DAMAGED_EXT[1:], [0, 0])[0]  # set aside at start-up; a pull stores them too
    unpulled += damaged
    pulled_n, pulled_bytes = logs.get(PULLED_EXT[1:], [0, 0])
    print("Band on %s: %s, MicroPython %s" % (port, board or info["machine"] or info["platform"], info["mp"]))
    print("  firmware   %s" % fw)
    mv = info.get("mv")
    if mv is None:
        print("  battery    unknown%s" % (" (%s)" % _no_board(info) if "board_error" in info else ""))
    else:
        power = energy.BOARDS.get(board or "")
        line = "%d mV, about %d %%" % (mv, charge_left(mv))
        if power is None:
            line += " (runs left: the energy model knows %s, not this board)" % ", ".join(sorted(energy.BOARDS))
        elif w is not None:
            # Each run, and the idle days until the next one at RUNS_A_WEEK.
            idle_mah = power.idle_ua / 1000 * 24 * 7 / RUNS_A_WEEK
            runs = CAPACITY_MAH * charge_left(mv) / 100 / (run_mah(w, power) + idle_mah)
            line += ", about %d runs of its next workout left at %d a week (energy model, %d mAh cell)" % (
                runs, RUNS_A_WEEK, CAPACITY_MAH)
        print("  battery    " + line)
    segments = len(w) if w is not None else wk.MAX_SEGMENTS
    room_for = (info["free"] + pulled_bytes) // room.need_bytes(segments)
    print("  flash      %d KB free%s: room for %d more session%s of its next workout" % (
        info["free"] // 1024, " (+%d KB of %d pulled session%s it frees as needed)" % (
            -(-pulled_bytes // 1024), pulled_n, "" if pulled_n == 1 else "s")  # a small log is not "+0 KB"
        if pulled_n else "", room_for, "" if room_for == 1 else "s"))
    waiting = "%d session%s waiting: `runwalk logs pull` stores %s" % (
        unpulled, "" if unpulled == 1 else "s", "it" if unpulled == 1 else "them") \
        if unpulled else "none waiting to be pulled"
    if damaged:
        waiting += " (%s damaged: stored as far as readable)" % ("one" if damaged == 1 else "%d" % damaged)
    if logs.get(OPEN_EXT[1:]):
        waiting += "; one left open by a power cut (closed at the band's next start)"
    print("  sessions   " + waiting)
    if "wall" not in info and "board_error" in info:  # not read: "not set" would be a guess
        print("  clock      unknown (%s)" % _no_board(info))
    else:
        print("  clock      " + clock_line(info.get("wall")))
    if w is not None:
        print("  next       %s, from %s: %s" % (w.name, nxt.source, workouts.describe(w)[-1].strip()))
    print("  plan       " + nxt.plan_line)
    if band.ended_session is None:
        print("(%.1f s; nothing on the band was changed)" % (time.monotonic() - t0))
    else:  # connecting, as every command does, ended the session the band was recording
        print("(%.1f s; connecting ended and saved session %d, which the band was recording; nothing else was "
              "changed)" % (time.monotonic() - t0, band.ended_session))
    return 0
