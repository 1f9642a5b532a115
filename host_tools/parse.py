"""Parse what runners type: durations (`90`, `90s`, `1:30`, `5m`) and ratios (`4:1`, `30s:30s`)."""

from __future__ import annotations

import argparse
import math
import os
import re
import shlex

from runwalk import workout as wk

from host_tools.errors import RunwalkError

_UNITS = {"h": 3600, "m": 60, "min": 60, "s": 1, "sec": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*(h|min|m|sec|s)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
MAX_SEGMENT_S = wk.MAX_SECONDS  # the longest segment the band runs


def _whole(seconds: float, text: str, what: str) -> int:
    if not math.isfinite(seconds) or seconds > 10**9:  # `9`*400 parses to inf: refuse, never overflow
        raise RunwalkError("%s %r is far too long" % (what, text))
    whole = round(seconds)
    if abs(seconds - whole) > 1e-6:
        raise RunwalkError("%s %r is not a whole number of seconds (%.3g s)" % (what, text, seconds))
    return whole


def _with_units(text: str) -> float | None:
    """Seconds for text like `5m`, `90s`, `1m30s`, `1h5m`; None if it is not that form."""
    t = text.replace(" ", "")
    pos = 0
    total = 0.0
    for m in _PART.finditer(t):
        if m.start() != pos:
            return None
        total += float(m.group(1)) * _UNITS[m.group(2).lower()]
        pos = m.end()
    return total if pos == len(t) and pos > 0 else None


def duration(text: str, what: str = "duration", allow_zero: bool = False, most: int | None = None) -> int:
    """Whole seconds from `90` (seconds), `90s`, `1:30` (m:ss), `1:02:03` (h:mm:ss), `5m`, `1m30s`.

    `most`: the longest allowed, so a value the band would refuse is named as the option the runner typed.
    """
    t = text.strip()
    if not t:
        raise RunwalkError("%s is empty (use e.g. 90, 90s, 1:30 or 5m)" % what)
    if t[:1] == "-" and (t[1:2].isdigit() or t[1:2] == "."):  # `--warn -1`: argparse takes it as a value
        raise RunwalkError("%s %r: a duration cannot be negative" % (what, text))
    if ":" in t:
        parts = t.split(":")
        if len(parts) > 3 or not all(p.isascii() and p.isdigit() for p in parts) or any(len(p) != 2 for p in parts[1:]):
            raise RunwalkError("%s %r is not a time like 1:30 or 1:02:03" % (what, text))
        if any(int(p) > 59 for p in parts[1:]):
            # 5:75 read as 6:15, a Magic Mile of 9:65 as 10:05: a typo, so say so rather than guess.
            raise RunwalkError("%s %r is not a time: after a colon, minutes and seconds go from 00 to 59"
                               % (what, text))
        seconds = 0.0
        for p in parts:
            seconds = seconds * 60 + int(p)
    elif _NUMBER.fullmatch(t):
        seconds = float(t)
    else:
        found = _with_units(t)
        if found is None:
            raise RunwalkError("%s %r is not a duration (use e.g. 90, 90s, 1:30 or 5m)" % (what, text))
        seconds = found
    s = _whole(seconds, text, what)
    if s < 0 or (s == 0 and not allow_zero):
        raise RunwalkError("%s %r must be longer than 0 seconds" % (what, text))
    if most is not None and s > most:
        raise RunwalkError("%s %r is too long: at most %s" % (what, text, longest(most)))
    return s


def longest(seconds: int) -> str:
    """`24 hours`, `60 s`: a limit as a runner reads it."""
    return "%d hours" % (seconds // 3600) if seconds % 3600 == 0 and seconds > 3600 else "%d s" % seconds


def _ratio_part(text: str, whole: str, what: str) -> int:
    t = text.strip()
    if _NUMBER.fullmatch(t):
        seconds = float(t) * 60  # a bare number in a ratio is minutes: 4:1
    else:
        found = _with_units(t)
        if found is None:
            raise RunwalkError(
                "ratio %r: the %s part %r is not a time (use minutes like 4:1 or 2.5:0.5, or units like 30s:30s)"
                % (whole, what, text)
            )
        seconds = found
    s = _whole(seconds, whole, "ratio " + what + " part of")
    if s <= 0:
        raise RunwalkError(
            "ratio %r: the %s part must be longer than 0 (a run-walk workout needs both)" % (whole, what)
        )
    if s > MAX_SEGMENT_S:
        raise RunwalkError("ratio %r: the %s part is too long: at most %s (%d minutes)"
                           % (whole, what, longest(MAX_SEGMENT_S), MAX_SEGMENT_S // 60))
    return s


def ratio(text: str) -> tuple[int, int]:
    """(run_s, walk_s) from `RUN:WALK`: minutes (`4:1`, `2.5:0.5`) or with units (`30s:30s`, `1m30s:30s`)."""
    parts = text.split(":")
    if len(parts) != 2:
        raise RunwalkError("ratio %r must be RUN:WALK, e.g. 4:1, 2.5:0.5 or 30s:30s" % text)
    return _ratio_part(parts[0], text, "run"), _ratio_part(parts[1], text, "walk")


def clock(seconds: float) -> str:
    """`1:05:00`, `4:00`, `0:30` for a runner to read."""
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return "%d:%02d:%02d" % (h, m, sec) if h else "%d:%02d" % (m, sec)


def port_name(text: str) -> str:
    """argparse type of --port: `--port "$PORT"` with PORT unset is a usage error, not "auto"
    (which would talk to whichever band is on USB)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty port name (leave --port out to find the band on USB)")
    return text


def add_port(p: argparse.ArgumentParser) -> None:
    """The --port option every command that talks to the band takes (design 4.5)."""
    p.add_argument("--port", default="auto", type=port_name,
                   help="the band's serial port (default: auto: $RUNWALK_PORT, else the one band on USB)")


def file_name(text: str) -> str:
    """argparse type of a file option: `-o "$OUT"` with OUT unset is a usage error, not a file named ''
    (which reads as no -o at all, or as the current directory)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty file name")
    # `--db=~/runs.sqlite`: no shell expands a ~ after `=` (nor PowerShell for a program's arguments), and a
    # folder named `~` in the current one took the store, which another folder's `logs list` did not find.
    return os.path.expanduser(text) if text.startswith("~") else text


def shell_word(text: str | os.PathLike[str]) -> str:
    """A file name as one word of a command the runner can copy: `runwalk plan push 'my plans/p.json'`, where
    the bare name would be two words (or, with a `$` or `'`, something else)."""
    word = str(text)
    if os.name == "nt":  # cmd and PowerShell both take a name in double quotes (which no Windows name holds)
        return word if re.fullmatch(r"[\w@%+=:,./\\-]+", word) else '"%s"' % word
    return word if re.fullmatch(r"[\w@%+=:,./-]+", word) else shlex.quote(word)  # (\w: any script's letters)
