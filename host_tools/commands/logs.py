"""`runwalk logs pull|list|show|export|plot`: collect the band's sessions and use them."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import sys
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text
from runwalk.store import CLOSED_EXT, DAMAGED_EXT, PULLED_EXT

from host_tools import outfile, parse
from host_tools.band import bandfs
from host_tools.band.connection import connected
from host_tools.errors import RunwalkError, UsageError
from host_tools.parse import clock, file_name
from host_tools.store import dating, db, model

FORMATS = ("csv", "json", "tcx", "fit")
SESSION_HELP = "its number in `logs list`, its id, or `last` (the latest run)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("logs", help="pull the band's sessions, list, show, export and plot them")
    s = p.add_subparsers(dest="logs_cmd", metavar="ACTION", required=True)

    def with_db(q: argparse.ArgumentParser) -> argparse.ArgumentParser:
        q.add_argument("--db", type=file_name, help="the session store (default: %s)" % db.default_path())
        return q

    pull = with_db(s.add_parser("pull", help="copy new sessions from the band into the store"))
    parse.add_port(pull)
    pull.add_argument("--delete", action="store_true",
                      help="remove sessions from the band once they are stored (default: mark them pulled, "
                           "and the band frees them first when its flash fills)")
    pull.set_defaults(func=cmd_pull)

    with_db(s.add_parser("list", help="the stored sessions")).set_defaults(func=cmd_list)

    show = with_db(s.add_parser("show", help="one session: summary and segments"))
    show.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    show.set_defaults(func=cmd_show)

    exp = with_db(s.add_parser("export", help="write a session as csv, json, tcx or fit"))
    exp.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    exp.add_argument("--format", choices=FORMATS, help="default: from the file name's extension")
    exp.add_argument("-o", "--output", required=True, metavar="FILE", type=file_name,
                     help="the file to write; - writes to standard output (then say --format)")
    exp.set_defaults(func=cmd_export)

    plot = with_db(s.add_parser("plot", help="draw a session's timeline as a PNG (or SVG, PDF)"))
    plot.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    plot.add_argument("-o", "--output", required=True, metavar="FILE.png", type=file_name,
                      help="the picture to write: .png, .svg or .pdf")
    plot.set_defaults(func=cmd_plot)


def err_console() -> Console:
    # markup and emoji off: what it prints holds names and file names from the band, where `[/]` raised
    # a MarkupError and `:fire:` became an emoji.
    return Console(stderr=True, soft_wrap=True, markup=False, emoji=False)


# -- pull ------------------------------------------------------------------------------


def cmd_pull(args: argparse.Namespace) -> int:
    new: list[int] = []
    path = Path(args.db) if args.db else db.default_path()
    existed = path.exists()
    made = [d for d in (path.parent, *path.parent.parents) if not d.exists()]  # deepest first
    with db.Store(path) as store:
        try:
            stats = pull(store, args.port, delete=args.delete, new=new)
        except BaseException:
            if not existed and not store.all():
                store.close()
                path.unlink(missing_ok=True)  # a pull that failed leaves no empty store behind,
                for d in made:  # nor the directories made for it
                    with contextlib.suppress(OSError):
                        d.rmdir()
            raise
        every = store.all()
    rows = {r.number: r for r in every}
    print("Pulled %d new session%s into %s (%d already stored)." % (
        stats["new"], "" if stats["new"] == 1 else "s", args.db or db.default_path(), stats["known"]))
    for number in new:
        s = rows[number].session()
        # Dated as `logs list` dates it: one recorded without a clock, from its neighbours (`~`).
        when = _when(s, dating.from_neighbours(every, rows[number]))
        print("  #%d  %s  %s  %s  %s" % (number, when, s.config_name or "?", clock(s.duration_ms / 1000),
                                       _status(s)))
    if stats["removed"]:
        print("Removed %d stored session%s from the band." % (stats["removed"], "" if stats["removed"] == 1 else "s"))
    return 0


def pull(store: db.Store, port: str | None, delete: bool = False, progress: bool = True,
         new: list[int] | None = None) -> dict[str, int]:
    """Copy the sessions the store lacks; then mark them pulled (or delete them) on the band.

    Each session is committed as soon as it arrived intact, so a pull cut short by
    a lost cable keeps what it verified, and the next pull goes on from there.
    The band is changed only for sessions already committed to the store.
    """
    con = err_console()
    stats = {"new": 0, "known": 0, "damaged": 0, "removed": 0}
    store.check_writable()  # before the band's app is stopped: it said "run the pull again" to a read-only store
    with connected(port, pulling=True) as band:
        files = bandfs.list_logs(band)
        known = db.hashes(store)
        for f in files:
            if f.state == "open":
                con.print("note: %s is still being recorded; it is pulled once the band has closed it" % f.name)
        todo = [f for f in files if f.state != "open" and (f.sha256 is None or f.sha256 not in known)]
        # The logs the band set aside as damaged last: by then a readable one has said which band this is.
        todo.sort(key=lambda f: f.state == "damaged")
        stats["known"] = sum(1 for f in files if f.state != "open" and f.sha256 in known)
        by_path = {f.path: f for f in todo}
        stored: set[str] = {f.path for f in files if f.state != "open" and f.sha256 in known}
        bad: list[str] = []
        # The band's id, for a log whose header (which names it) is unreadable: from its sessions already
        # stored, or read in this pull. Without it such a session was "unknown-000099", from no band,
        # and could not be dated from its neighbours.
        uid_of = dict(store.rows("SELECT sha256, uid FROM sessions"))
        band_uid = [next((uid_of[f.sha256] for f in files if f.sha256 in uid_of
                          and uid_of[f.sha256] != model.UNKNOWN_UID), model.UNKNOWN_UID)]

        def on_file(path: str, data: bytes) -> None:
            f = by_path[path]
            if len(data) != f.size or (f.sha256 and hashlib.sha256(data).hexdigest() != f.sha256):
                bad.append(path)
                return
            got = store.add(f.name, data, fallback_uid=band_uid[0], fallback_seq=f.seq)
            s = got.session()
            if got.uid != model.UNKNOWN_UID:
                band_uid[0] = got.uid
            stored.add(path)
            stats["new"] += 1
            if new is not None:
                new.append(got.number)
            if s.damage:
                stats["damaged"] += 1
                con.print("warning: session %s (%s) is damaged, stored as far as readable: %s"
                          % (s.id, f.name, "; ".join(s.damage)))

        total = sum(f.size for f in todo)
        before = db.count(store)
        if todo:
            with Progress(TextColumn("Pulling {task.fields[n]} sessions"), BarColumn(), DownloadColumn(),
                          TimeRemainingColumn(), console=con, transient=True,
                          disable=not progress or not con.is_terminal) as bar:  # on a pipe: a stray blank line
                task = bar.add_task("pull", total=total, n=len(todo))
                try:
                    bandfs.read_files(band, [f.path for f in todo], on_file,
                                      lambda n: bar.advance(task, n))
                except (RunwalkError, KeyboardInterrupt) as e:
                    # A lost cable or a Ctrl-C: say what is safe in the store, so the runner knows the
                    # pull goes on from there (a Ctrl-C said only "interrupted"). Counted in the store: a
                    # Ctrl-C just after a commit lands before on_file has counted it.
                    raise RunwalkError("%s; %d of %d new sessions were stored, run the pull again for the rest"
                                       % (_why(e), db.count(store) - before, len(todo)), _exit_code(e)) from None
            if bad:  # once more, one at a time, before giving up on them
                retry, bad[:] = list(bad), []
                bandfs.read_files(band, retry, on_file)
            if bad:
                raise RunwalkError("%d session%s did not arrive intact twice (%s); %d others were stored"
                                   % (len(bad), "" if len(bad) == 1 else "s", ", ".join(bad), stats["new"]))
        # Only now, with everything committed, change the band.
        try:
            if delete:
                bandfs.remove_all(band, sorted(stored))
                stats["removed"] = len(stored)
            else:
                # Stored: the band may free them when it needs room (a set-aside .bad one too).
                bandfs.rename_all(band, [(p, p.rsplit(".", 1)[0] + PULLED_EXT) for p in sorted(stored)
                                         if p.endswith((CLOSED_EXT, DAMAGED_EXT))])
        except (RunwalkError, KeyboardInterrupt) as e:
            if not stats["new"]:
                raise
            # Every new session is in the store: only the band's side is left for the next pull.
            raise RunwalkError("%s; all %d new sessions were stored, but the band may still list them: run the "
                               "pull again to %s them there" % (_why(e), stats["new"],
                                                                "remove" if delete else "mark"),
                               _exit_code(e)) from None
    return stats


def _why(e: BaseException) -> str:
    return "interrupted" if isinstance(e, KeyboardInterrupt) else str(e)


def _exit_code(e: BaseException) -> int:
    return 130 if isinstance(e, KeyboardInterrupt) else getattr(e, "exit_code", 1)


# -- list / show -----------------------------------------------------------------------


def _when(s: model.Session, guess: dating.Guess | None = None, why: bool = False) -> str:
    """The session's date; for one recorded without a clock, the date its neighbours give
    it (marked `~`) or, with `why`, why they cannot (store/dating.py)."""
    if s.started:
        return s.started.astimezone().strftime("%Y-%m-%d %H:%M")
    if guess is not None and guess.start is not None:
        return "~" + guess.start.astimezone().strftime("%Y-%m-%d %H:%M") + (" (%s)" % guess.why if why else "")
    text = "(clock not set)" if s.undated == model.CLOCK_NOT_SET else "(date unreadable)"
    return text + (" (%s)" % guess.why if why and guess is not None else "")


END_WORDS = model.END_WORDS  # (the sim's live lines read them here too)


def _status(s: model.Session) -> str:
    return model.how_ended(s) + (", damaged" if s.damage else "")


def cmd_list(args: argparse.Namespace) -> int:
    with db.Store(args.db, create=False) as store:
        rows = store.all()
    if not rows:
        print("No sessions stored yet (run `runwalk logs pull`)." if store.found else
              "No sessions stored yet: %s." % store.missing())
        return 0
    t = Table(box=None, header_style="bold")
    for col in ("#", "session", "date", "workout", "duration", "run", "walk", "pauses", "status"):
        # A long workout name is cut short rather than squeezing the status onto two lines.
        t.add_column(col, justify="right" if col in ("#", "duration", "run", "walk", "pauses") else "left",
                     no_wrap=col == "workout", overflow="ellipsis", max_width=24 if col == "workout" else None)
    for r in dating.run_order(rows):
        s = r.session()
        when = _when(s, dating.from_neighbours(rows, r))
        # Text, not str: rich reads a str cell as markup, so a workout named "Run [x2]" lost its "[x2]",
        # "[b]old" turned bold, "a[/b]" stopped the whole list with a traceback, "Run :fire:" became "Run 🔥".
        t.add_row(*map(Text, (str(r.number), s.id, when, s.config_name or "?", clock(s.duration_ms / 1000),
                              clock((s.total_ms("run") + s.total_ms("sprint")) / 1000),
                              clock(s.total_ms("walk") / 1000), str(len(s.pauses)), _status(s))))
    # As wide as the table needs: a row squeezed onto two lines is hard to read, and grep finds half of it.
    con = Console(width=10_000)
    Console(width=max(120, Console().width, con.measure(t).maximum)).print(t)
    _plan_advice(rows)
    return 0


def _plan_advice(rows: list[db.Stored]) -> None:
    """How the last sessions of the newest plan went, and the next step (host_tools/training/advice.py)."""
    from host_tools.training import advice

    found = advice.latest_in(rows)
    if found is None:
        return
    a = advice.advise(*found)
    if a is not None:
        print("%s %s (`runwalk plan show` says where the plan stands.)" % (a.summary, a.line))


def cmd_show(args: argparse.Namespace) -> int:
    with db.Store(args.db, create=False) as store:
        r = dating.find(store, args.session)
        guess = dating.from_neighbours(store, r)
    s = r.session()
    paused = s.paused_ms()
    print("Session %s (#%d, %s on the band)" % (s.id, r.number, r.band_file))
    print("  date:      %s" % _when(s, guess, why=True))
    print("  workout:   %s" % (s.config_name or "?"))
    # Each time is rounded to the second once, and the moving time is what the shown times leave,
    # so a row never reads "4:00 - 4:21  0:20".
    print("  duration:  %s (%s moving, %s paused)" % (clock(_s(s.duration_ms)), clock(_s(s.duration_ms) - _s(paused)),
                                                      clock(_s(paused))))
    print("  run:       %s" % clock((s.total_ms("run") + s.total_ms("sprint")) / 1000))
    print("  walk:      %s" % clock(s.total_ms("walk") / 1000))
    print("  status:    %s" % _status(s))
    print("  pauses:    %d" % len(s.pauses) + "".join("\n    at %s %s" % (clock(p.start_ms / 1000), _pause_length(s, p))
                                                    for p in s.pauses))
    for d in s.damage:
        print("  damage:    %s" % d)
    print("  segments:")
    # Padded by the cells a terminal gives each label (丘 and 🏃 take two), not by code points, so the
    # times stay in one column whatever the script.
    width = max([9] + [cell_len(g.label or "") for g in s.segments])
    for g in s.segments:
        label = g.label or ""
        moving = _s(g.end_ms) - _s(g.start_ms) - _s(s.paused_ms(g.start_ms, g.end_ms))
        print("    %3d  %-6s %s %7s - %7s  %6s%s" % (
            g.index + 1, g.kind, label + " " * (width - cell_len(label)), clock(_s(g.start_ms)),
            clock(_s(g.end_ms)), clock(max(0, moving)), _how_ended(g)))
    return 0


def _pause_length(s: model.Session, p: model.Pause) -> str:
    if p.end_ms == p.start_ms == s.end_ms and s.end_reason in (None, "interrupted"):
        # Paused when the power went: the log ends there, and how long the pause lasted is not known.
        return "until the session was cut off"
    return "for %s" % clock((p.end_ms - p.start_ms) / 1000)


def _s(ms: int) -> int:
    """ms as the whole seconds `logs show` prints."""
    return int(round(ms / 1000))


def _how_ended(g: model.Segment) -> str:
    if g.cut_short and g.planned_ms is not None:
        return "  skipped (planned %s)" % clock(g.planned_ms / 1000)
    # An open segment (the Magic Mile's mile, free mode) ends by double-click: nothing was skipped.
    return "  ended by double-click" if g.skipped else ""


# -- export / plot ---------------------------------------------------------------------


def _not_a_directory(path: str, example: str) -> None:
    if Path(path).is_dir():
        raise RunwalkError("%s is a directory; give a file name, e.g. %s" % (path, Path(path) / example))


def start_time(r: db.Stored, s: model.Session, guess: dating.Guess | None = None) -> dt.datetime:
    """The session's start; for one recorded without a clock, dated from its neighbours
    (store/dating.py) or, when they cannot date it, counted back from its pull. Says which."""
    if s.started is not None:
        return s.started
    what = s.undated or "the start time is unknown"
    if guess is not None and guess.start is not None:
        print("warning: %s for this session; %s" % (what, guess.why), file=sys.stderr)
        return guess.start
    pulled = dt.datetime.fromisoformat(r.pulled_at)
    print("warning: %s for this session%s; times are counted back from when it was pulled (%s)"
          % (what, " and " + guess.why if guess is not None else "",
             pulled.astimezone().strftime("%Y-%m-%d %H:%M")), file=sys.stderr)
    return pulled - dt.timedelta(milliseconds=s.end_ms)


def render(r: db.Stored, fmt: str, guess: dating.Guess | None = None) -> bytes:
    s = r.session()
    if fmt == "json":
        from host_tools.exports import json as export_json

        return export_json.render(s)
    if fmt == "csv":
        from host_tools.exports import csv as export_csv

        return export_csv.render(s)
    if fmt == "tcx":
        from host_tools.exports import tcx as export_tcx

        return export_tcx.render(s, start_time(r, s, guess))
    from host_tools.exports import fit as export_fit

    return export_fit.render(s, start_time(r, s, guess))


def cmd_export(args: argparse.Namespace) -> int:
    to_stdout = args.output == "-"
    if not to_stdout:
        _not_a_directory(args.output, "run.fit")
    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        if to_stdout:  # `-o -` needs --format, as its help says: a usage error, as argparse's own
            raise UsageError("-o - writes to standard output: say --format csv, json, tcx or fit")
        raise UsageError("say --format csv, json, tcx or fit (cannot tell from %r)" % args.output)
    with db.Store(args.db, create=False) as store:
        r = dating.find(store, args.session)
        guess = dating.from_neighbours(store, r) if fmt in ("tcx", "fit") else None  # (json, csv: null, as is)
    data = render(r, fmt, guess)
    if to_stdout:
        outfile.to_stdout(data, "run.fit" if fmt == "fit" else None)
        return 0
    if outfile.write(args.output, data):
        print("Wrote %s (%s) for session %s." % (args.output, fmt, r.session().id))
    return 0


PICTURES = (".png", ".svg", ".pdf")  # matplotlib writes the format the file name ends in


def cmd_plot(args: argparse.Namespace) -> int:
    _not_a_directory(args.output, "run.png")
    if Path(args.output).suffix.lower() not in PICTURES:
        raise UsageError("name the picture .png, .svg or .pdf (cannot tell the format from %r)" % args.output)
    with db.Store(args.db, create=False) as store:
        r = dating.find(store, args.session)
        guess = dating.from_neighbours(store, r)
    from host_tools.exports import plot

    picture = plot.render(r.session(), Path(args.output).suffix.lower().lstrip("."),
                          guess.start if guess is not None else None)
    if outfile.write(args.output, picture):
        print("Wrote %s for session %s." % (args.output, r.session().id))
    return 0
