"""`runwalk plan ...`: Magic Mile predictions and advice, progression plans, workout exchange.

  plan magic-mile [TIME | --from-session ID] [--temp F] [--push]   paces and ratios from a Magic Mile
  plan mile-test [--strides N] [--push | -o FILE]                   the Magic Mile as a band workout
  plan build --from R --to R --weeks N --per-week S --minutes M     a progression plan [--push | -o FILE]
  plan push FILE / plan show [--file FILE] / plan advance / plan stop
  plan export FILE --format icu|fit -o OUT                          a workout or a plan for other tools
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from host_tools import outfile, parse
from host_tools.errors import RunwalkError, UsageError
from host_tools.store import dating, db
from host_tools.training import intervals_icu, magic_mile, plans, ratios, specials, workout_fit, workouts

DEFAULT_MINUTES = 30


def _port(p: argparse.ArgumentParser) -> None:
    parse.add_port(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="Magic Mile, run-walk advice, progression plans, workout export")
    s = p.add_subparsers(dest="plan_cmd", metavar="ACTION", required=True)

    mm = s.add_parser("magic-mile", help="predicted race and long-run paces and run-walk ratios from a Magic Mile")
    mm.add_argument("time", nargs="?", metavar="TIME", help="the mile's time, e.g. 10:00 or 9:41")
    mm.add_argument("--from-session", metavar="ID", help="read the mile's time from a pulled session (or `last`)")
    mm.add_argument("--temp", type=float, metavar="F", help="temperature in F: heat-adjusted long-run pace and ratio")
    mm.add_argument("--minutes", type=int,  # no default: given without --push it is refused, not ignored
                    help="run-walk minutes of the workout --push sends (default %d)" % DEFAULT_MINUTES)
    mm.add_argument("--push", action="store_true", help="send the long-run ratio workout to the band")
    mm.add_argument("--db", type=parse.file_name, help="the session store (default: %s)" % db.default_path())
    _port(mm)
    mm.set_defaults(func=cmd_magic_mile)

    mt = s.add_parser("mile-test", help="the Magic Mile test as a band workout (double-click at the mile's start "
                                        "and finish)")
    mt.add_argument("--strides", type=int, default=4, help="strides after the warm-up (default 4, 0 = none)")
    mt.add_argument("-o", "--output", metavar="FILE", type=parse.file_name, help="write the config.json here")
    mt.add_argument("--push", action="store_true", help="send it to the band")
    _port(mt)
    mt.set_defaults(func=cmd_mile_test)

    b = s.add_parser("build", help="a multi-week plan from a start ratio to a target ratio")
    # (no default here: a --from that a one-week plan would ignore is refused, in cmd_build)
    b.add_argument("--from", dest="start", help="first week's ratio (default 30s:30s)")
    b.add_argument("--to", dest="target", default="4:1", help="last week's ratio (default 4:1)")
    b.add_argument("--weeks", type=int, default=8, help="weeks (default 8)")
    b.add_argument("--per-week", type=int, default=3, help="sessions a week (default 3)")
    b.add_argument("--minutes", type=int, default=DEFAULT_MINUTES,
                   help="run-walk minutes a session, warm-up and cool-down aside (default %d)" % DEFAULT_MINUTES)
    b.add_argument("--start-minutes", type=int, help="first week's minutes, growing to --minutes (default: same)")
    b.add_argument("--warmup", default="5m", help="walking warm-up (default 5m)")
    b.add_argument("--cooldown", default="5m", help="walking cool-down (default 5m)")
    b.add_argument("-o", "--output", metavar="FILE", type=parse.file_name, help="write plan.json here")
    b.add_argument("--push", action="store_true", help="put the plan on the band (it starts at session 1)")
    _port(b)
    b.set_defaults(func=cmd_build)

    pu = s.add_parser("push", help="put a plan.json on the band (it starts at session 1)")
    pu.add_argument("file", metavar="FILE", type=parse.file_name,
                    help="a plan.json, as `runwalk plan build -o FILE` writes it")
    _port(pu)
    pu.set_defaults(func=cmd_push)

    sh = s.add_parser("show", help="the band's plan, where the runner is in it, and advice from the last sessions")
    sh.add_argument("--file", type=parse.file_name, help="show a plan.json from disk instead")
    sh.add_argument("--db", type=parse.file_name,
                    help="the session store the advice reads (default: %s)" % db.default_path())
    _port(sh)
    sh.set_defaults(func=cmd_show)

    ad = s.add_parser("advance", help="set aside a one-off pushed mid-plan, or count the plan session last run "
                                      "(e.g. one ended early): move on one step, never past one not run")
    _port(ad)
    ad.set_defaults(func=cmd_advance)

    rw = s.add_parser("repeat-week", help="run the week of the last session counted again, from its first "
                                          "session")
    _port(rw)
    rw.set_defaults(func=cmd_repeat_week)

    bk = s.add_parser("back", help="go back one ratio step: to the first session of the ratio before the "
                                   "one due")
    _port(bk)
    bk.set_defaults(func=cmd_back)

    st = s.add_parser("stop", help="take the plan off the band (it runs its config.json again)")
    _port(st)
    st.set_defaults(func=cmd_stop)

    ex = s.add_parser("export", help="a workout (config.json) or plan (plan.json) as intervals.icu text or FIT")
    ex.add_argument("file", metavar="FILE", type=parse.file_name, help="config.json, intervals.icu text, or plan.json")
    ex.add_argument("--format", required=True, choices=("icu", "fit"),
                    help="icu: intervals.icu workout text; fit: Garmin workout FIT file")
    ex.add_argument("-o", "--output", required=True, metavar="OUT", type=parse.file_name,
                    help="a file (a workout; - for standard output) or a directory (a plan)")
    ex.set_defaults(func=cmd_export)


# -- Magic Mile ------------------------------------------------------------------------


def _mile_ms(args: argparse.Namespace) -> tuple[int, str]:
    if args.time and args.from_session:
        raise UsageError("give the mile's TIME or --from-session, not both")
    if args.from_session:
        with db.Store(args.db, create=False) as store:  # a look-up: a missing store is not made
            s = dating.find(store, args.from_session).session()
        ms = magic_mile.mile_time_ms(s)
        try:
            magic_mile.check_mm(ms)
        except RunwalkError as e:  # it said only "a Magic Mile of 0:02 is outside 3:43 to 30:00"
            raise RunwalkError("session %s: %s (the double-clicks at its start and end a few seconds apart?); if "
                               "you timed the mile, give the time, e.g. `runwalk plan magic-mile 10:00`"
                               % (s.id, e)) from None
        return ms, "session %s" % s.id
    if not args.time:
        raise UsageError("give the Magic Mile's time (e.g. 10:00) or --from-session ID")
    t = args.time.strip()
    # What to type instead: `10` (meant as minutes) said "a Magic Mile of 0:10 is outside 3:43 to 30:00",
    # `9.41` "is not a whole number of seconds"; a stopwatch's 9:41,25 (a decimal comma) was refused.
    how = "give the time as m:ss, e.g. 10:00, or 9:41.25 from a stopwatch"
    m = re.fullmatch(r"(\d+):(\d{2})(?:[.,](\d{1,3}))?", t)
    try:
        if m:  # m:ss or m:ss.f, the way a stopwatch shows it
            if int(m.group(2)) > 59:
                raise RunwalkError("a Magic Mile of %s is not a time: the seconds go from 00 to 59" % t)
            ms = (int(m.group(1)) * 60 + int(m.group(2))) * 1000 + int((m.group(3) or "0").ljust(3, "0"))
        else:
            ms = parse.duration(t, "Magic Mile time") * 1000
        magic_mile.check_mm(ms)
    except RunwalkError as e:
        if m:  # typed as it should be: the time itself is off
            raise
        bare = re.fullmatch(r"[\d.]+", t) is not None
        raise RunwalkError("%s; %s%s" % (e, how, " (a number alone is seconds)" if bare else "")) from None
    return ms, "entered"


def recommend(mm_ms: int, temp: float | None) -> tuple[list[list[str]], ratios.Advice, int]:
    """Rows (race, pace, ratio, source) and the long-run advice with its pace."""
    rows = []
    long_advice = None
    long_pace = 0
    for p in magic_mile.predict(mm_ms, temp):
        a = ratios.advise(p.pace_ms, temp if p.key == "long" else None)
        pace = magic_mile.fmt_pace(p.pace_ms) + (" or slower" if p.or_slower else "")
        src = a.source + (" (%s)" % a.note if a.note else "")
        rows.append([p.label, pace, a.ratio.text(), src])
        if p.key == "long":
            long_advice, long_pace = a, p.pace_ms
    assert long_advice is not None
    return rows, long_advice, long_pace


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def _ratio_workout(ratio: ratios.Ratio, minutes: int, name: str) -> dict[str, Any]:
    if ratio.run_s == 0:  # the heat table says: walk
        # (It was "Long run walk", with "heads-up 5 s, but no change ... to give it before".)
        cfg = {"schema": 1, "name": "Long walk (too hot to run)", "steps": [{"kind": "walk", "s": minutes * 60}],
               "warn_s": 0}
        workouts.check(cfg)
        return cfg
    repeats = max(1, -(-minutes * 60 // (ratio.run_s + ratio.walk_s)))  # whole repeats, never short of --minutes
    return workouts.from_ratio(ratio.run_s, ratio.walk_s, repeats=repeats, name=name)


def cmd_magic_mile(args: argparse.Namespace) -> int:
    if args.temp is not None and not -40 <= args.temp <= 130:
        raise RunwalkError("--temp is in degrees F, from -40 to 130; got %g" % args.temp)
    if args.minutes is not None and not args.push:
        raise UsageError("--minutes is the length of the workout --push sends: add --push, or drop --minutes")
    minutes = DEFAULT_MINUTES if args.minutes is None else args.minutes
    if not plans.MIN_MINUTES <= minutes <= plans.MAX_MINUTES:
        raise UsageError("--minutes must be from %d to %d, got %d" % (plans.MIN_MINUTES, plans.MAX_MINUTES,
                                                                        minutes))
    mm_ms, source = _mile_ms(args)
    rows, advice, _ = recommend(mm_ms, args.temp)
    print("Magic Mile %s (%s)" % (magic_mile.fmt_time(mm_ms), source))
    print("Predicted pace per mile (races at 60 F or cooler), if the training is done and the pacing even "
          "(Galloway):")
    _print_table(["race", "pace/mile", "run:walk", "from"], rows)
    if args.temp is not None:
        # Galloway's heat rule adjusts the long runs; the race predictions stay as they are.
        print("At %g F only the long-run row changes: its pace and ratio come from Galloway's heat table." % args.temp)
    print("Long runs: %s%s" % (advice.ratio.text(), "" if advice.ratio.run_s else " (too hot to run)"))
    print("Any ratio may be divided by 2 or 3; repeat the Magic Mile every 2-3 weeks.")
    if args.push:
        cfg = _ratio_workout(advice.ratio, minutes, "Long run " + advice.ratio.text())
        _push_config(args.port, cfg)
    return 0


def _push_config(port: str, cfg: dict[str, Any]) -> None:
    from host_tools.commands.config import push

    push(port, workouts.to_bytes(cfg), workouts.check(cfg))


def cmd_mile_test(args: argparse.Namespace) -> int:
    if not 0 <= args.strides <= 20:
        raise UsageError("--strides must be from 0 to 20, got %d" % args.strides)
    cfg = specials.magic_mile(args.strides)
    if (not args.output and not args.push) or args.output == "-":  # `-o -`: standard output, not a file "-"
        print(workouts.to_bytes(cfg).decode(), end="")
    elif args.output:
        _write(args.output, workouts.to_bytes(cfg))
    if args.push:
        _push_config(args.port, cfg)
        print("On the band:")
        for i, line in enumerate(specials.magic_mile_gestures(args.strides)):
            print("  %d. %s" % (i + 1, line))
    return 0


# -- plans -----------------------------------------------------------------------------


def _write(path: str, data: bytes) -> bool:
    return outfile.write(path, data)  # a symlink, a FIFO, /dev/full: as the runner means it


def _show_plan(doc: dict[str, Any], step: int | None) -> None:
    print(plans.title(doc) + " (%d sessions)" % len(doc["sessions"]))
    _print_table(["", "week", "sessions", "run:walk", "repeats", "time"], plans.table(doc, step))


def cmd_build(args: argparse.Namespace) -> int:
    if args.output == "-":
        raise UsageError("give -o a file name: the plan's table is what goes to standard output")
    if args.weeks == 1:  # the one week runs --to for --minutes: a --from or --start-minutes else was dropped unsaid
        ignored = [opt for opt, off in (
            ("--from", args.start is not None and ratios.typed(args.start) != ratios.typed(args.target)),
            ("--start-minutes", args.start_minutes is not None and args.start_minutes != args.minutes)) if off]
        if ignored:
            raise UsageError("%s does not apply to --weeks 1 (its one week runs --to for --minutes); drop it, "
                             "or give more weeks" % ignored[0])
    doc = plans.build(
        ratios.typed(args.start or "30s:30s"), ratios.typed(args.target), args.weeks, args.per_week, args.minutes,
        args.start_minutes,
        warmup_s=parse.duration(args.warmup, "--warmup", allow_zero=True, most=parse.MAX_SEGMENT_S),
        cooldown_s=parse.duration(args.cooldown, "--cooldown", allow_zero=True, most=parse.MAX_SEGMENT_S),
    )
    _show_plan(doc, None)
    if args.output:
        if _write(args.output, plans.to_bytes(doc)):
            print("Written to %s" % args.output)
    if args.push:
        _push_plan(args.port, doc)
    return 0


def _push_plan(port: str, doc: dict[str, Any]) -> None:
    from host_tools.band import bandfs
    from host_tools.band import plan as band_plan
    from host_tools.band.connection import NOT_RUN_YET, connected

    with connected(port) as band:
        was = _position(band, doc["id"])
        bandfs.write_atomic(band, band_plan.PLAN, plans.to_bytes(doc))
        # A fresh position: the band starts the plan at its first session when it restarts.
        bandfs.remove_all(band, [p for p in (band_plan.POS, band_plan.HOLD) if bandfs.exists(band, p)])
        runs = band.firmware
    print("The plan is on the band (%s); its next session is session 1." % ("its app restarted" if runs
                                                                            else NOT_RUN_YET))
    if was:
        # The same plan again (`plan build ... --push` from the shell's history) started it over unsaid.
        where = ("had finished" if was >= len(doc["sessions"]) else "was at session %d of" % (was + 1))
        print("It %s this same plan: pushing a plan starts it again from session 1." % where)


def _position(band: Any, plan_id: str) -> int:
    """The step the band's plan.pos gives for the plan plan_id (0: none, another plan's, or unreadable)."""
    import json

    from host_tools.band import bandfs
    from host_tools.band import plan as band_plan
    from host_tools.band.connection import BandError

    try:
        pos = json.loads(bandfs.read_file(band, band_plan.POS) or b"null")
    except (BandError, ValueError, RecursionError):
        return 0
    ok = isinstance(pos, dict) and pos.get("id") == plan_id and type(pos.get("step")) is int
    return max(pos["step"], 0) if ok else 0


def cmd_push(args: argparse.Namespace) -> int:
    doc = plans.load_file(args.file)
    _show_plan(doc, None)
    _push_plan(args.port, doc)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    if args.file:
        doc = plans.load_file(args.file)
        _show_plan(doc, None)
        return 0
    from host_tools.band import plan as band_plan
    from host_tools.band.connection import connected

    with connected(args.port) as band:
        p = band_plan.read(band)
    if p is None:
        print("No plan on the band (make one with `runwalk plan build ... --push`).")
        return 0
    _show_plan(p.doc, p.step)
    print(plans.where(p.doc, p.step))
    if p.held and not p.finished:  # (finished, the band runs config.json every time)
        print(HELD)
    _print_advice(p.doc, p.step, args.db)
    return 0


HELD = ("First the workout pushed last (config.json) runs, once; when it is done the plan goes on "
        "(`runwalk plan advance` sets it aside).")


def _print_advice(doc: dict[str, Any], step: int, db_path: str | None) -> None:
    from host_tools.training import advice

    with db.Store(db_path, create=False) as store:
        found = advice.recent(store, doc, step)
        before = not found and advice.recent(store, doc)
    a = advice.advise(found, advice.ratio_step_back(doc, step) is not None)
    if a is None and before:
        print("The plan was moved back after your last sessions of it: run session %d, then `runwalk logs pull`, "
              "and this says how it went." % (step + 1))
        return
    if a is None:
        print("No session of this plan in the store yet: `runwalk logs pull` stores them, and then this says "
              "how they went.")
        return
    print(a.summary)
    print(a.line)


def _on_band(band: Any) -> Any:
    from host_tools.band import plan as band_plan

    p = band_plan.read(band)
    if p is None:
        raise RunwalkError("no plan on the band: `runwalk plan build ... --push` or `runwalk plan push FILE` puts "
                           "one on")
    return p


def cmd_advance(args: argparse.Namespace) -> int:
    from host_tools.band import plan as band_plan
    from host_tools.band.connection import connected

    with connected(args.port) as band:
        p = _on_band(band)
        if p.finished:  # (a one-off waiting changes nothing then: the band runs config.json every time)
            raise RunwalkError("the plan is finished: all %d sessions are done (`runwalk plan repeat-week` runs its "
                               "last week again, `runwalk plan build ... --push` puts on a new plan)"
                               % len(p.doc["sessions"]))
        said = band_plan.advance(band, p)
    print(said)
    return 0


def _move(port: str, where: Any, why: str) -> int:
    """Put the runner at the session where(doc, step) names (RunwalkError if none), say where that is."""
    from host_tools.band import plan as band_plan
    from host_tools.band.connection import connected

    with connected(port) as band:
        p = _on_band(band)
        to = where(p.doc, p.step)
        if to is None:
            raise RunwalkError(why)
        if to == p.step:  # repeat-week before any session counted: it said "Back to session 1."
            print("Session %d is next already, the first of its week: nothing to go back to. %s"
                  % (to + 1, plans.where(p.doc, to)))
            return 0
        band_plan.place(band, p, to)
    print("Back to session %d. %s" % (to + 1, plans.where(p.doc, to)))
    if p.held:  # a one-off pushed mid-plan still runs first (it said only "next is session N")
        print(HELD)
    return 0


def cmd_repeat_week(args: argparse.Namespace) -> int:
    from host_tools.training import advice

    return _move(args.port, advice.week_start, "")


def cmd_back(args: argparse.Namespace) -> int:
    from host_tools.training import advice

    return _move(args.port, advice.ratio_step_back,
                 "the session due is at the plan's first ratio: there is none before it (`runwalk plan "
                 "repeat-week` runs a week again)")


def cmd_stop(args: argparse.Namespace) -> int:
    from host_tools.band import bandfs
    from host_tools.band import plan as band_plan
    from host_tools.band.connection import connected

    with connected(args.port) as band:
        had = bandfs.exists(band, band_plan.PLAN)
        bandfs.remove_all(band, [p for p in (band_plan.PLAN, band_plan.POS, band_plan.HOLD) if bandfs.exists(band, p)])
    print("No plan on the band any more; it runs its config.json." if had else
          "There was no plan on the band; it runs its config.json.")
    return 0


# -- export ----------------------------------------------------------------------------


def _slug(text: str) -> str:
    """A file name from a workout's name: its letters and digits in any script (a name in Arabic or
    Japanese gave every file the same "workout"), runs of anything else (spaces, emoji, / : *) as one '-'."""
    text = unicodedata.normalize("NFC", text.lower())
    kept = "".join(c if unicodedata.category(c)[0] in "LNM" else "-" for c in text)
    return re.sub(r"-+", "-", kept).strip("-") or "workout"


def load_any(path: str) -> tuple[str, dict[str, Any]]:
    """("plan", doc) or ("workout", cfg) from plan.json, config.json or intervals.icu text."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise RunwalkError("cannot read %s: %s" % (path, e.strerror or e)) from None
    if intervals_icu.looks_like_icu(path, data):
        return "workout", intervals_icu.load_file(path, data)
    doc = workouts.parse_json(data, path)
    if plans.is_plan(doc):
        plans.check(doc, path)
        plans.check_shown(doc, path)
        return "plan", doc
    workouts.check(doc, path)
    return "workout", doc


def _render(cfg: dict[str, Any], fmt: str, created: dt.datetime | None = None) -> bytes:
    return workout_fit.encode(cfg, created) if fmt == "fit" else intervals_icu.export(cfg).encode()


def cmd_export(args: argparse.Namespace) -> int:
    what, doc = load_any(args.file)
    ext = ".fit" if args.format == "fit" else ".txt"
    if args.output == "-":
        if what != "workout":
            raise RunwalkError("a plan is one file per workout: give -o a directory, not -")
        outfile.to_stdout(_render(doc, args.format), "workout.fit" if args.format == "fit" else None)
        return 0
    if what == "workout":
        if _write(args.output, _render(doc, args.format)):
            print("Wrote %s" % args.output)
        return 0
    out = Path(args.output)
    now = dt.datetime.now(dt.timezone.utc)
    # Each FIT file its own creation second: importers take files with equal file_ids for one.
    files = [(out / ("%02d-%s%s" % (i + 1, _slug(cfg["name"]), ext)),
              _render(cfg, args.format, now + dt.timedelta(seconds=i))) for i, cfg in enumerate(doc["workouts"])]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise RunwalkError("cannot make the directory %s: %s" % (out, e.strerror or e)) from None
    for path, data in files:
        _write(str(path), data)
    print("Wrote the plan's %d workouts to %s/ (%d sessions: each workout's week is in its name)"
          % (len(files), out, len(doc["sessions"])))
    # An earlier export into the same folder (another plan's weeks): importing the folder would take both.
    written = {p.name for p, _ in files}
    others = sorted(f.name for f in out.iterdir() if f.suffix == ext and f.name not in written)
    if others:
        print("note: %s/ also holds %d other %s file%s (%s%s), from an earlier export? Import only the %d written "
              "now, or give -o an empty folder" % (out, len(others), ext, "" if len(others) == 1 else "s",
                                                   ", ".join(others[:3]), ", ..." if len(others) > 3 else "",
                                                   len(files)), file=sys.stderr)
    return 0
