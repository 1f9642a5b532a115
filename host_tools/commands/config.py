"""`runwalk config push|show`: set the band's workout, and read it back as a runner would."""

from __future__ import annotations

import argparse
import json
from typing import Any

from runwalk import store
from runwalk import workout as wk
from runwalk.plan import open_ended

from host_tools import parse
from host_tools.band import bandfs
from host_tools.band.connection import NO_FIRMWARE, NOT_RUN_YET, connected
from host_tools.errors import RunwalkError, UsageError
from host_tools.training import ratios, workouts

# The band's file names, as its firmware names them (runwalk/store.py).
CONFIG = "/" + store.CONFIG
GOOD = "/" + store.GOOD
ERROR = "/" + store.ERROR
MAX_WARN_S = wk.MAX_WARN_S  # the longest heads-up the band takes


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("config", help="set or show the band's workout")
    s = p.add_subparsers(dest="config_cmd", metavar="ACTION", required=True)

    push = s.add_parser("push", help="set the workout from a ratio (4:1, 2.5:0.5, 30s:30s) or a config.json")
    push.add_argument("ratio", nargs="?", metavar="RATIO", help="RUN:WALK in minutes (4:1) or with units (30s:30s)")
    push.add_argument("--file", type=parse.file_name,
                      help="a config.json (schema 1) to push as it is, or intervals.icu workout text")
    push.add_argument("--sprint", metavar="D", help="sprint intervals instead of a ratio: sprint this long, e.g. 20s")
    push.add_argument("--recover", metavar="D", help="walk after each sprint (default 40s)")
    push.add_argument("--free", action="store_true",
                      help="free mode: open run and walk segments, double-click switches, long press ends")
    # No argparse defaults: an option given where it does not apply is refused, not ignored.
    push.add_argument("--repeats", type=int, help="run-walk pairs (default 8)")
    push.add_argument("--warmup", help="walking warm-up, e.g. 5m, 90s, 0 for none (default 5m)")
    push.add_argument("--cooldown", help="walking cool-down (default 5m)")
    push.add_argument("--warn", help="heads-up this long before each change, 0 = none (default 5s; for --file, "
                                     "intervals.icu text only)")
    push.add_argument("--name", help="the workout's name (default from the ratio, or an intervals.icu file's name)")
    parse.add_port(push)
    push.set_defaults(func=cmd_push)

    show = s.add_parser("show", help="print the band's workout: segments, total time, running time")
    parse.add_port(show)
    show.set_defaults(func=cmd_show)


# Which options each kind of push reads, and why the others would be ignored.
APPLIES = {
    "ratio": ("--repeats", "--warmup", "--cooldown", "--warn", "--name"),
    "sprint": ("--recover", "--repeats", "--warmup", "--cooldown", "--warn", "--name"),
    "free": ("--name",),
    # intervals.icu text has no name or heads-up of its own; a config.json refuses both in build()
    "file": ("--name", "--warn"),
}
WHY_NOT = {
    "ratio": "it goes with --sprint",
    "sprint": "",
    "free": "free mode has only open segments",
    "file": "the file is pushed as it is: set it in the file",
}


def check_options(args: argparse.Namespace) -> None:
    """Refuse an option the chosen kind of workout would silently ignore."""
    mode = "file" if args.file else "sprint" if args.sprint else "free" if args.free else "ratio"
    given = {"--recover": args.recover, "--repeats": args.repeats, "--warmup": args.warmup,
             "--cooldown": args.cooldown, "--warn": args.warn, "--name": args.name}
    for opt, value in given.items():
        if value is not None and opt not in APPLIES[mode]:
            what = "a ratio" if mode == "ratio" else "--" + mode
            raise UsageError("%s does not apply to %s (%s); drop it" % (opt, what, WHY_NOT[mode]))


def _is_json(path: str) -> bool:
    """path is a config.json rather than intervals.icu text (False if unreadable: loading it says why)."""
    from pathlib import Path

    from host_tools.training import intervals_icu

    try:
        return not intervals_icu.looks_like_icu(path, Path(path).read_bytes())
    except OSError:
        return False


def _or(value: str | None, default: str) -> str:
    return default if value is None else value


def build(args: argparse.Namespace) -> tuple[bytes, wk.Workout]:
    """The config bytes to push, validated by the firmware's validator: before any connection."""
    if sum(1 for x in (args.file, args.ratio, args.sprint, args.free) if x) > 1:
        raise UsageError("give one of RATIO, --file, --sprint or --free")
    if not (args.file or args.ratio or args.sprint or args.free):
        raise UsageError("give a RATIO such as 4:1 or 30s:30s, --sprint D, --free or --file FILE")
    check_options(args)
    if args.file and args.name is not None and _is_json(args.file):
        # Before the name's own checks: "--name: character 2 is U+202E ...; remove it" came first, and once
        # removed, that --name did not apply at all.
        raise UsageError("--name does not apply to a config.json (%s); drop it" % WHY_NOT["file"])
    if args.name is not None and not args.name.strip():
        # (not "got 3": three spaces are within 1 to 40 characters, and still no name)
        raise RunwalkError("--name must be 1 to %d characters, not blank" % wk.MAX_NAME)
    if args.name is not None and len(args.name) > wk.MAX_NAME:
        raise RunwalkError("--name must be 1 to %d characters, got %d%s" % (wk.MAX_NAME, len(args.name),
                                                                          _counted(args.name)))
    if args.name is not None:
        hidden = workouts.hidden_problem(args.name, "name")  # first: it names the character, the band cannot
        if hidden:
            raise RunwalkError("--name: " + hidden)
        try:  # the firmware's rule for names (a tab said "workout is invalid: name: ...", not --name)
            wk.validate({"schema": 1, "name": args.name, "steps": [{"kind": "run", "s": 1}]})
        except wk.ConfigError as e:
            raise RunwalkError("--name %s" % str(e).split(": ", 1)[-1]) from None
    special = training_config(args)  # intervals.icu text, sprints, free mode (host_tools/training/specials.py)
    if special is not None:
        return workouts.to_bytes(special), workouts.check(special)
    if args.file:
        data, _cfg, w = workouts.load_file(args.file)
        if args.name is not None:
            raise UsageError("--name does not apply to a config.json (%s); drop it" % WHY_NOT["file"])
        if args.warn is not None:
            raise UsageError("--warn does not apply to --file with a config.json (the file is pushed as it is: "
                             "set its warn_s); drop it")
        return data, w
    run_s, walk_s = ratios.typed(args.ratio)
    cfg = workouts.from_ratio(run_s, walk_s, name=args.name, **common(args))
    return workouts.to_bytes(cfg), workouts.check(cfg)


def _counted(name: str) -> str:
    """How the band counts, when the name holds characters it counts as several (11 emoji runners, each
    🏃‍♀️, were "got 44": the runner sees 11)."""
    import unicodedata

    joined = [c for c in name if unicodedata.category(c) in ("Mn", "Me", "Cf") or 0xFE00 <= ord(c) <= 0xFE0F]
    if not joined:
        return ""
    return " (the band counts code points: an emoji such as 🏃‍♀️ is 4, a letter with a combining accent 2)"


def common(args: argparse.Namespace) -> dict[str, int]:
    """--repeats, --warmup, --cooldown and --warn, checked one by one against what the band accepts."""
    repeats = workouts.DEFAULT_REPEATS if args.repeats is None else args.repeats
    if not 1 <= repeats <= wk.MAX_REPEAT:
        raise UsageError("--repeats must be from 1 to %d, got %d" % (wk.MAX_REPEAT, repeats))
    return {
        "repeats": repeats,
        "warmup_s": parse.duration(_or(args.warmup, "5m"), "--warmup", allow_zero=True, most=wk.MAX_SECONDS),
        "cooldown_s": parse.duration(_or(args.cooldown, "5m"), "--cooldown", allow_zero=True, most=wk.MAX_SECONDS),
        "warn_s": parse.duration(_or(args.warn, "5"), "--warn", allow_zero=True, most=MAX_WARN_S),
    }


def training_config(args: argparse.Namespace) -> dict | None:
    from host_tools.training import intervals_icu, specials

    if args.file:
        cfg = intervals_icu.maybe_load(args.file, args.name)  # --name instead of the file's name
        if cfg is not None and args.warn is not None:
            # (the text has no place for it: an import had the 5 s heads-up, and --warn was refused)
            cfg["warn_s"] = parse.duration(args.warn, "--warn", allow_zero=True, most=MAX_WARN_S)
        return cfg
    if args.free:
        return specials.free_mode(name=args.name)
    if args.sprint:
        return specials.sprints(
            parse.duration(args.sprint, "--sprint", most=wk.MAX_SECONDS),
            parse.duration(_or(args.recover, "40s"), "--recover", most=wk.MAX_SECONDS), name=args.name,
            **common(args))
    return None


def push(port: str, data: bytes, w: wk.Workout) -> None:
    """Put a validated config on the band (atomically), restart its app, say what it runs."""
    from host_tools.band import plan as band_plan

    stage = ""  # how far it got: "connected", then "written" once config.json is the new one
    try:
        with connected(port) as band:
            stage = "connected"
            bandfs.write_atomic(band, CONFIG, data)
            stage = "written"
            # The band validates again at its restart; a stale config.err would mislead `config show`.
            bandfs.remove_all(band, [ERROR] if bandfs.exists(band, ERROR) else [])
            plan = _plan_state(band)
            if plan != "finished":  # (finished, the band runs config.json every time: nothing to hold)
                band_plan.hold(band)  # mid-plan, this workout runs next, then the plan goes on
            runs = band.firmware
    except (RunwalkError, KeyboardInterrupt) as e:
        # A Ctrl-C or a lost cable once connected: say which workout the band has now (it said only
        # "interrupted", though config.json may already have been replaced).
        why = "interrupted" if isinstance(e, KeyboardInterrupt) else str(e)
        if not stage or "not changed" in why or "is kept" in why:
            raise
        code = 130 if isinstance(e, KeyboardInterrupt) else getattr(e, "exit_code", 1)
        if stage == "written":
            raise RunwalkError("%s; the new workout is on the band (`runwalk config show` shows it)" % why,
                               code) from None
        raise RunwalkError("%s; the band's workout was not changed" % why, code) from None
    print("Pushed to the band (%s):" % ("its app restarted" if runs else NOT_RUN_YET))
    for line in workouts.describe(w):
        print("  " + line)
    if open_ended(w.steps):
        print("An open segment lasts until you double-click; a long press ends the session, and for this "
              "workout that is its end (done, not ended early).")
    if plan == "active":
        print(band_plan.HOLD_NOTE)
    elif plan == "finished":
        print(FINISHED_NOTE)


# (HOLD_NOTE's "runs next, once ... the plan goes on" was said of a finished plan too.)
FINISHED_NOTE = ("The plan on the band is finished, so the band runs this workout from now on (`runwalk plan "
                 "build ... --push` puts on a new plan).")


def _plan_state(band: Any) -> str | None:
    """"active", "finished", or None for a plan.json the band does not run (it runs config.json)."""
    from host_tools.band import plan as band_plan

    try:
        p = band_plan.read(band)
    except RunwalkError:
        return None
    if p is None:
        return None
    return "finished" if p.finished else "active"


def cmd_push(args: argparse.Namespace) -> int:
    data, w = build(args)
    push(args.port, data, w)
    return 0


def _refused_now(band: Any) -> tuple[bytes | None, str | None] | None:
    """(the band's config.json if the laptop's check, which is the band's, takes it, else None; why it is
    refused, as status says it) for a band that has a config.err; None if it has no config.json."""
    from host_tools.commands import status

    snap = status.snapshot(band)
    if store.CONFIG not in snap.files:
        return None
    why = status.config_refused(snap)
    return (snap.text(store.CONFIG) if why is None else None), why


def cmd_show(args: argparse.Namespace) -> int:
    from runwalk.ready import BOOT_FAILED

    from host_tools.band import plan as band_plan

    with connected(args.port, expect_firmware=False) as band:
        if not band.firmware:  # it runs nothing: not the built-in workout, not config.json
            raise RunwalkError(NO_FIRMWARE % band.port)
        err = bandfs.read_file(band, ERROR)
        # A refused config.json is not shown, so not read: it may be 10 MB of junk.
        text = bandfs.read_file(band, CONFIG) if err is None else None
        good = bandfs.read_file(band, GOOD) if err is not None else None
        plan_note = band_plan.runs_note(band)
        # Only while a plan runs does the band leave its config.json unchecked at its start.
        now = _refused_now(band) if err is not None and plan_note else None
    if plan_note:
        print(plan_note)
    if now is not None and err is not None and not err.decode(errors="replace").strip().startswith(BOOT_FAILED):
        # config.err is about an earlier config.json: a band running a plan does not check its config.json
        # again, so one replaced since (by mpremote fs cp) was said to be refused for the old one's reason, or
        # refused when valid. Said as the band will find it: the laptop's check is the band's.
        taken, why_now = now
        if taken is not None:
            err, text = None, taken
        elif why_now is not None:
            err = why_now.removeprefix("config.json refused: ").encode()
    if err is not None:
        why = err.decode(errors="replace").strip()
        if why.startswith(BOOT_FAILED):  # its start-up failed (damaged flash, too little memory): not the config
            print("%s%s:" % (why[0].upper(), why[1:]))
        else:
            print("The band refused its config.json: %s" % why)
            text = good
            print("It runs its last good workout instead:" if good is not None else "It runs its built-in workout:")
    if text is None:
        from runwalk.config import DEFAULT_CONFIG

        text = json.dumps(DEFAULT_CONFIG).encode()
        if err is None:
            print("The band has no config.json; it runs its built-in workout:")
    try:
        _cfg, w = workouts.load_text(text, "the band's config.json", band=True)
    except RunwalkError as e:
        # Copied there since the band last started (mpremote fs cp, no reset): it checks it only when it starts.
        raise RunwalkError("%s; the band refuses it when it starts (now) and runs its last good workout: "
                           "`runwalk config show` again shows which" % e) from None
    for line in workouts.describe(w):
        print(line)
    return 0
