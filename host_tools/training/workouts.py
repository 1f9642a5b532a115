"""Build and check schema-1 workouts on the laptop, with the firmware's own validator."""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from runwalk import workout as wk
from runwalk.logfmt import MAX_CONFIG_BYTES

from host_tools.errors import RunwalkError
from host_tools.parse import clock, shell_word
from host_tools.training.ratios import Ratio

DEFAULT_REPEATS = 8
DEFAULT_WARMUP_S = 300
DEFAULT_COOLDOWN_S = 300
DEFAULT_WARN_S = wk.DEFAULT_WARN_S
BOM = codecs.BOM_UTF8


def ratio_name(run_s: int, walk_s: int) -> str:
    """`Run-walk 4:1`, `Run-walk 2.5:0.5` (minutes, in half minutes at most), else as the plans and the
    Magic Mile write ratios: `Run-walk 30s:30s`, `Run-walk 2m15s:45s` (2m15s:45s was `135s:45s`)."""
    if run_s % 30 == 0 and walk_s % 30 == 0 and max(run_s, walk_s) >= 60:
        return "Run-walk %g:%g" % (run_s / 60, walk_s / 60)
    return "Run-walk " + Ratio(run_s, walk_s).text()


def from_ratio(
    run_s: int,
    walk_s: int,
    repeats: int = DEFAULT_REPEATS,
    warmup_s: int = DEFAULT_WARMUP_S,
    cooldown_s: int = DEFAULT_COOLDOWN_S,
    warn_s: int = DEFAULT_WARN_S,
    name: str | None = None,
) -> dict[str, Any]:
    """A schema-1 config: walking warm-up, `repeats` x (run, walk), walking cool-down."""
    steps: list[dict[str, Any]] = []
    if warmup_s:
        steps.append({"kind": "walk", "s": warmup_s, "label": "warmup"})
    steps.append({"repeat": repeats, "steps": [{"kind": "run", "s": run_s}, {"kind": "walk", "s": walk_s}]})
    if cooldown_s:
        steps.append({"kind": "walk", "s": cooldown_s, "label": "cooldown"})
    cfg = {"schema": 1, "name": name or ratio_name(run_s, walk_s), "steps": steps, "warn_s": warn_s}
    check(cfg)
    return cfg


def check(cfg: Any, source: str = "workout", band: bool = False) -> wk.Workout:
    """The firmware's validation, as a one-line RunwalkError; and for a workout the laptop is given (not
    `band`: one read back from the band, which runs what its own validator takes), no name or label that
    shows differently from what it is (hidden_problem)."""
    if not band and isinstance(cfg, dict):
        # First: the band refuses the commonest of these too, but cannot name the character.
        problem = hidden_in(cfg)
        if problem:
            raise RunwalkError("%s is invalid: %s" % (source, problem))
    try:
        return wk.validate(cfg)
    except wk.ConfigError as e:
        raise RunwalkError("%s is invalid: %s" % (source, e)) from None


# -- names and labels that show differently from what they are ------------------------------------
#
# The band's validator refuses control characters, lone surrogates and the commonest hidden and
# direction characters (runwalk.workout _odd_char). The laptop refuses every format character
# (Unicode category Cf) that does not show, or that turns the text around it, and says which: a
# RIGHT-TO-LEFT OVERRIDE shows "Hill 5x" as "x5 lliH" in Strava, a ZERO WIDTH SPACE makes two names
# that differ look the same. Kept: what script text needs.
_JOINERS = "\u200c\u200d"  # ZWNJ, ZWJ: Persian and Indic spelling, emoji sequences (🏃‍♀️)
# Prepended concatenation marks: signs that show, spanning the digits after them (Arabic, Syriac, Kaithi).
_SHOWN = "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"
_MVS = "\u180e"  # MONGOLIAN VOWEL SEPARATOR: Mongolian spelling, between Mongolian letters only
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Not format characters, yet no less hidden or misleading in a name: the Hangul fillers show as nothing (a
# plan named "\u3164" printed as a blank name); the line and paragraph separators start a new line (an
# intervals.icu text export of a label holding one read back as two broken lines). The choseong and jungseong
# fillers are kept inside a run of conjoining jamo, where they spell an incomplete syllable.
_FILLERS = "\u115f\u1160\u3164\uffa0"
# What joins or varies the character before it shows nothing without one: a name of ZWJs, or of a variation
# selector alone, printed blank. Kept after any other character (emoji, Indic, Malayalam's word-final ZWJ).


def _modifier(c: str) -> bool:
    return (c in _JOINERS or c == "\u034f" or "\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef"
            or "\u180b" <= c <= "\u180d" or c == "\u180f")
_LINE_BREAKS = "\u2028\u2029"
_FLAG = "\U0001f3f4"  # WAVING BLACK FLAG: with tag characters, the flags of England, Scotland, Wales
_TAG_END = "\U000e007f"  # CANCEL TAG


def _flag_tags(text: str) -> set[int]:
    """Where text holds the tag characters of an emoji flag sequence (🏴, tags, CANCEL TAG)."""
    ok: set[int] = set()
    for i, c in enumerate(text):
        if c != _FLAG:
            continue
        j = i + 1
        while j < len(text) and 0xE0020 <= ord(text[j]) <= 0xE007E:
            j += 1
        if j > i + 1 and j < len(text) and text[j] == _TAG_END:
            ok.update(range(i + 1, j + 1))
    return ok


def _mongolian(c: str) -> bool:
    return "\u1800" <= c <= "\u18af"


def _jamo(c: str) -> bool:
    return "\u1100" <= c <= "\u11ff" or "\ua960" <= c <= "\ua97f" or "\ud7b0" <= c <= "\ud7ff"


def hidden_char(text: str) -> tuple[int, str] | None:
    """(index, character) of the first format character (or Hangul filler, or line separator) in text that
    shows differently from what it is; None when there is none."""
    tags = None
    for i, c in enumerate(text):
        if c in _FILLERS:
            if c in "\u115f\u1160" and (i > 0 and _jamo(text[i - 1]) or i < len(text) - 1 and _jamo(text[i + 1])):
                continue
            return i, c
        if c in _LINE_BREAKS:
            return i, c
        if _modifier(c) and (i == 0 or text[i - 1].isspace()):
            return i, c
        if c in _JOINERS or c in _SHOWN or unicodedata.category(c) != "Cf":
            continue
        if c == _MVS and 0 < i < len(text) - 1 and _mongolian(text[i - 1]) and _mongolian(text[i + 1]):
            continue
        if 0xE0020 <= ord(c) <= 0xE007F:
            tags = _flag_tags(text) if tags is None else tags
            if i in tags:
                continue
        return i, c
    return None


def hidden_problem(text: str, what: str) -> str | None:
    """Why text (a name or a label: `what`) cannot be taken, naming the character and where; None if it can."""
    found = hidden_char(text)
    if found is None:
        return None
    i, c = found
    if c in _BIDI:
        how = "changes the direction the text around it is shown in: the %s would show differently from what it " \
              "is (in Strava, say)" % what
    elif c in _LINE_BREAKS:
        how = "starts a new line: the %s would show on two lines" % what
    else:
        how = "does not show: the %s would look the same as one without it" % what
    return "character %d is U+%04X %s, which %s; remove it" % (i + 1, ord(c), unicodedata.name(c, "FORMAT CHARACTER"),
                                                                how)


def hidden_in(cfg: Any) -> str | None:
    """The first name or label of a (validated) workout that hidden_problem refuses, with its field, as the
    firmware's messages name fields (`steps[1].steps[0].label: ...`); None if there is none."""
    name = cfg.get("name")
    problem = hidden_problem(name, "name") if isinstance(name, str) else None
    if problem:
        return "name: " + problem
    return _hidden_in_steps(cfg.get("steps"), "steps")


def _hidden_in_steps(steps: Any, path: str) -> str | None:
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        p = "%s[%d]" % (path, i)
        if not isinstance(step, dict):
            continue
        label = step.get("label")
        problem = hidden_problem(label, "label") if isinstance(label, str) else None
        if problem:
            return "%s.label: %s" % (p, problem)
        problem = _hidden_in_steps(step.get("steps"), p + ".steps")
        if problem:
            return problem
    return None


def parse_json(data: bytes, source: str) -> Any:
    """JSON from a file the runner gave, or one clear line on what is wrong with it."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as e:
        raise RunwalkError("%s is not valid JSON (%s)%s" % (source, e, _json_hint(e))) from None
    except ValueError as e:  # UnicodeDecodeError
        raise RunwalkError("%s is not valid JSON (%s)" % (source, e)) from None
    except RecursionError:  # [[[[... thousands deep: Python's parser gives up
        raise RunwalkError("%s nests too deeply to be a workout or plan (repeat blocks nest at most 8 deep)"
                           % source) from None


def _json_hint(e: json.JSONDecodeError) -> str:
    """What to change, for the slips of a hand-edited file (the parser's own words name none of them)."""
    at = e.doc[e.pos:e.pos + 2]
    before = e.doc[:e.pos].rstrip()
    if not e.doc.strip():
        return ": the file is empty"
    if not before and at[:1] == "-":
        return ": for intervals.icu workout text, name the file .txt"
    if at[:1] == "#" or at == "//" or at == "/*":
        return ": JSON has no comments, remove them"
    if at[:1] == "'":
        return ": JSON writes text in double quotes, \"like this\""
    if at[:1] in "]}" and before.endswith(","):
        return ": remove the comma before the closing %s" % at[:1]
    if before and not e.doc[e.pos:].strip():
        return ": the file ends before its JSON does (a ] or } missing, or the file cut short)"
    return ""


def load_text(text: bytes, source: str, band: bool = False) -> tuple[dict[str, Any], wk.Workout]:
    """A config.json's workout, checked as check() does (`band`: one read back from the band)."""
    cfg = parse_json(text, source)
    return cfg, check(cfg, source, band)


# A JSON escaped surrogate pair (not after an escaped backslash): one character outside the BMP.
_ESCAPED_PAIR = re.compile(rb"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


def join_escaped_pairs(data: bytes) -> bytes:
    """`\\ud83e\\udd93` as the UTF-8 of the one character it stands for: MicroPython's json would read
    two lone surrogates, which the band refuses, where the laptop reads an emoji."""
    def utf8(m: re.Match[bytes]) -> bytes:
        hi, lo = int(m.group(2), 16), int(m.group(3), 16)
        return m.group(1) + chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)).encode()

    return _ESCAPED_PAIR.sub(utf8, data)


def as_utf8(data: bytes) -> bytes:
    """A file's text as UTF-8 without a byte order mark. Windows editors save "Unicode" as UTF-16 and some
    start UTF-8 with a BOM: the laptop's json reads both, the band's reads neither (it refused a config.json
    that `config push --file` had just reported pushed)."""
    data = data.removeprefix(BOM)
    enc = json.detect_encoding(data)
    if enc.startswith("utf-8"):
        return data
    try:
        return data.decode(enc).removeprefix("\ufeff").encode()
    except UnicodeError:
        return data  # not text in that encoding either: the JSON or text reader says what is wrong


def load_file(path: str) -> tuple[bytes, dict[str, Any], wk.Workout]:
    """Read and validate a config.json from disk; returns its bytes as they will be written."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise RunwalkError("cannot read %s: %s" % (path, e.strerror or e)) from None
    data = join_escaped_pairs(as_utf8(data))
    if len(data) > MAX_CONFIG_BYTES:
        raise RunwalkError("%s is %d bytes; the band reads at most %d (write repeated segments as a repeat "
                           "block)" % (path, len(data), MAX_CONFIG_BYTES))
    try:
        cfg, w = load_text(data, path)
    except RunwalkError:
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError):
            doc = None
        if isinstance(doc, dict) and "workouts" in doc and "steps" not in doc:  # plans.is_plan, without the import
            raise RunwalkError("%s is a plan (plan.json), not a workout; put it on the band with `runwalk plan push "
                               "%s`" % (path, shell_word(path))) from None
        raise
    return data, cfg, w


def to_bytes(cfg: dict[str, Any]) -> bytes:
    # UTF-8, not \u escapes: MicroPython's json leaves an escaped emoji as two lone surrogates.
    return (json.dumps(cfg, indent=1, ensure_ascii=False) + "\n").encode()


def describe(w: wk.Workout) -> list[str]:
    """The workout as a runner reads it: grouped segments, total time, running time."""
    lines = ["%s" % w.name]
    groups: list[list[Any]] = []  # [count, pattern] where pattern = tuple of (kind, s, label)
    i = 0
    n = len(w)
    while i < n:
        # Find the shortest run of 1-4 segments that repeats from here.
        best = (1, 1)
        for width in (2, 1, 3, 4):
            if i + width > n:
                continue
            pat = [_seg(w, i + k) for k in range(width)]
            count = 1
            while i + (count + 1) * width <= n and [_seg(w, i + count * width + k) for k in range(width)] == pat:
                count += 1
            if count > 1 and count * width > best[0] * best[1]:
                best = (count, width)
        count, width = best
        groups.append([count, [_seg(w, i + k) for k in range(width)]])
        i += count * width
    for count, pat in groups:
        text = ", ".join(_seg_text(*p) for p in pat)
        lines.append("  %s%s" % ("%d x " % count if count > 1 else "", text))
    total = total_ms(w)
    running = 0
    open_segments = 0
    for j in range(n):
        d = w.dur_ms(j)
        if d is None:
            open_segments += 1
        elif w.kind_name(j) != "walk":
            running += d
    if total is None:
        lines.append("Total time: open (%s until you double-click)" %
                     ("1 segment lasts" if open_segments == 1 else "%d segments last" % open_segments))
    else:
        lines.append("Total time: %s" % clock(total / 1000))
    lines.append("Running time: %s%s" % (clock(running / 1000), " + open segments" if open_segments else ""))
    lines.append("%d segment%s, heads-up %s" % (n, "" if n == 1 else "s", _heads_up(w)))
    # Motor and button settings only when set: the runner who set them can check them here.
    plain = wk.validate({"schema": 1, "steps": [{"kind": "run", "s": 1}]})  # the firmware's defaults
    settings = [text % value for text, value, default in (
        ("motor at %d %%", w.intensity, plain.intensity), ("long press %d ms", w.long_ms, plain.long_ms),
        ("double click within %d ms", w.double_ms, plain.double_ms)) if value != default]
    if settings:
        lines.append("Settings: " + ", ".join(settings))
    return lines


def _heads_up(w: wk.Workout) -> str:
    """The firmware's rule (session.py): a heads-up only at the end of a timed segment of at least
    twice warn_s that is followed by another kind. Say so when it leaves changes without one."""
    if not w.warn_s:
        return "off"
    changes = warned = 0
    for i in range(len(w) - 1):
        if w.kind_name(i + 1) != w.kind_name(i):
            changes += 1
            d = w.dur_ms(i)
            warned += d is not None and d >= 2000 * w.warn_s
    if not changes:  # one kind throughout (a single run, run after run): "before each change" promised taps
        return "%d s, but no change between run, walk and sprint to give it before" % w.warn_s
    if warned == changes:
        return "%d s before each change" % w.warn_s
    why = "segments shorter than %d s%s get none" % (2 * w.warn_s, " and open ones" if any(
        w.dur_ms(i) is None for i in range(len(w))) else "")
    if not warned:
        return "%d s, but %s (%s)" % (w.warn_s, "not before its one change" if changes == 1
                                      else "before none of its %d changes" % changes, why)
    return "%d s before %d of %d changes (%s)" % (w.warn_s, warned, changes, why)


def total_ms(w: wk.Workout) -> int | None:
    """Planned length of the whole workout, or None if it has open segments."""
    t = 0
    for i in range(len(w)):
        d = w.dur_ms(i)
        if d is None:
            return None
        t += d
    return t


def _seg(w: wk.Workout, i: int) -> tuple[str, int | None, str | None]:
    d = w.dur_ms(i)
    return (w.kind_name(i), None if d is None else d // 1000, w.label(i))


def _seg_text(kind: str, s: int | None, label: str | None) -> str:
    length = "open" if s is None else clock(s)
    return "%s %s%s" % (kind, length, " (%s)" % label if label else "")
