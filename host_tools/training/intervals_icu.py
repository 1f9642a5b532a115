"""intervals.icu workout text: export a workout, import one for `config push --file`.

intervals.icu writes a workout as lines. A step is `- [cue text] DURATION
[target] [press lap]`; a line ending in `Nx` (alone, or after a section name)
repeats the steps below it up to the next blank line; other lines are section
names. Repeats do not nest there, so nested blocks are unrolled on export.

How runwalk maps it:
- cue text: the kind (Run, Walk, Sprint) then the label: `- Walk warmup 5m Z1 Pace`; on
  import a kind word right after the duration counts too (`- 5m walk`);
- targets: pace zones by kind (walk Z1, run Z2, sprint Z5); on import a step
  whose cue names no kind gets it from its zone (Z1 walk, Z5 and up sprint,
  anything else run);
- open segments: a nominal 5m (the Magic Mile's mile: 1mi) with `press lap`
  (the lap button ends it, as the double-click does on the band); on import `press lap` or a distance (`1mi`:
  the band has no GPS, the runner double-clicks when it is covered) makes an
  open segment. The Magic Mile's mile is run all out: Z5, not a run's easy Z2;
- labels: intervals.icu takes the first duration or distance on a line for the
  step's, wherever it stands, and reads `Z2`, `90%` or `ramp` in a cue as targets. So in a
  label a number touching a letter or sign (`hill 30s`, `5km`, `Z2`, `1:30`) gets an
  invisible WORD JOINER (U+2060) between the two, and so do the words intervals.icu
  acts on (`ramp`, `lap press`): the step's own duration wins, the label reads the
  same, and the import takes the joiners out again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from runwalk import workout as wk

from host_tools.errors import RunwalkError
from host_tools.training.workouts import as_utf8, hidden_char, hidden_in, hidden_problem

ZONE = {"walk": "Z1", "run": "Z2", "sprint": "Z5"}
MILE_ZONE = "Z5"  # the Magic Mile is a time trial, not an easy run
JOINER = "\u2060"  # WORD JOINER: invisible, and no token intervals.icu reads runs across it
_NUMBER_EDGE = re.compile(r"(?<=\d)(?=[^\d\s])|(?<=[^\d\s])(?=\d)")
_KEYWORDS = re.compile(r"\b(ramp|freeride|lap|press|rest)\b", re.IGNORECASE)
OPEN_NOMINAL = "5m"
PRESS_LAP = "press lap"
MAX_UNROLL = wk.MAX_SEGMENTS  # no more steps than the band's validator takes segments

# kind words a cue may start with
KIND_WORDS = {"run": "run", "walk": "walk", "sprint": "sprint", "jog": "run", "recover": "walk", "rest": "walk",
              "recovery": "walk", "stride": "sprint", "strides": "sprint"}


def fmt_duration(s: int) -> str:
    """intervals.icu durations: 30s, 5m, 1m30s, 1h5m."""
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    out = ""
    if h:
        out += "%dh" % h
    if m:
        out += "%dm" % m
    if sec or not out:
        out += "%ds" % sec
    return out


def cue_text(label: str) -> str:
    """A label as intervals.icu reads it as cue text only (see the module's notes on labels)."""
    text = _NUMBER_EDGE.sub(JOINER, label)
    return _KEYWORDS.sub(lambda m: m.group(1)[0] + JOINER + m.group(1)[1:], text)


def _step_line(step: dict[str, Any]) -> str:
    kind = step["kind"]
    cue = kind.capitalize()
    if step.get("label"):
        cue += " " + cue_text(step["label"])
    if step["s"] is None:
        # The Magic Mile's mile is a distance there; other open segments get a nominal length.
        mile = step.get("label") == "mile"
        length = "1mi" if mile else OPEN_NOMINAL
        return "- %s %s %s Pace %s" % (cue, length, MILE_ZONE if mile else ZONE[kind], PRESS_LAP)
    return "- %s %s %s Pace" % (cue, fmt_duration(step["s"]), ZONE[kind])


def _unrolled(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for step in steps:
        if "repeat" in step:
            inner = _unrolled(step["steps"])
            out.extend(inner * step["repeat"])
        else:
            out.append(step)
        if len(out) > MAX_UNROLL:
            raise RunwalkError("nested repeats unroll to more than %d steps for intervals.icu" % MAX_UNROLL)
    return out


def export(cfg: dict[str, Any]) -> str:
    """A validated schema-1 config as intervals.icu workout text."""
    lines: list[str] = []
    for step in cfg["steps"]:
        if "repeat" in step:
            if lines and lines[-1] != "":
                lines.append("")
            lines.append("%dx" % step["repeat"])
            lines.extend(_step_line(s) for s in _unrolled(step["steps"]))
            lines.append("")
        else:
            lines.append(_step_line(step))
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


# -- import ------------------------------------------------------------------------

_REPEAT = re.compile(r"(?:^|\s)(\d+)\s*x$", re.IGNORECASE)
_TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m(?!i|tr))?(?:(\d+)s?)?$", re.IGNORECASE)
_QUOTE = re.compile(r"^(?:(\d+)')?(?:(\d+)\")?$")
_DIST = re.compile(r"^\d+(?:\.\d+)?(?:km|mi|mtr|y)$", re.IGNORECASE)
_ZONE = re.compile(r"^z(\d)(?:-z?(\d))?$", re.IGNORECASE)


def _seconds(tok: str) -> int | None:
    """Seconds for an intervals.icu time token (5m, 30s, 1m30, 1h2m30s, 5', 1'30\"), else None."""
    m = _TIME.match(tok)
    if m and any(m.groups()) and (m.group(3) is None or tok[-1:].lower() == "s" or m.group(2)):
        h, mi, s = (int(g) if g else 0 for g in m.groups())
        return h * 3600 + mi * 60 + s
    q = _QUOTE.match(tok)
    if q and any(q.groups()):
        return int(q.group(1) or 0) * 60 + int(q.group(2) or 0)
    return None


def _parse_step(text: str, where: str) -> dict[str, Any]:
    toks = text.split()
    dur_at = None
    open_seg = False
    s: int | None = None
    for i, tok in enumerate(toks):
        sec = _seconds(tok)
        if sec is not None:
            dur_at, s = i, sec
            break
        if _DIST.match(tok):
            dur_at, open_seg = i, True
            break
    if dur_at is None:
        raise RunwalkError("%s: no duration in %r (use e.g. 5m, 30s, 1m30s, or a distance like 1mi)" % (where, text))
    rest = [t.lower() for t in toks[dur_at + 1 :]]
    if " ".join(rest).find(PRESS_LAP) >= 0:
        open_seg = True
    cue = toks[:dur_at]
    kind = None
    if cue and cue[0].lower().rstrip(":") in KIND_WORDS:
        kind = KIND_WORDS[cue[0].lower().rstrip(":")]
        cue = cue[1:]
    if kind is None:
        # `- 5m walk`: intervals.icu reads only a cue before the duration, but a runner writing the
        # kind after it means it; silently running a walk would be worse than taking it.
        after = [KIND_WORDS[w.rstrip(":,.")] for w in rest if w.rstrip(":,.") in KIND_WORDS]
        kind = after[0] if after else None
    if kind is None:
        kind = "run"
        for t in rest:
            z = _ZONE.match(t)
            if z:
                top = int(z.group(2) or z.group(1))
                kind = "walk" if top <= 1 else "sprint" if top >= 5 else "run"
                break
    label = " ".join(cue).replace(JOINER, "")  # the joiners the export put in a label
    if not label and open_seg and toks[dur_at].lower() in ("1mi", "1.0mi", "1609mtr"):
        label = "mile"
    step: dict[str, Any] = {"kind": kind, "s": None if open_seg else s}
    if label:
        step["label"] = label[: wk.MAX_LABEL]
    if not open_seg and not s:
        raise RunwalkError("%s: a step must last at least 1 second" % where)
    return step


def parse(text: str, name: str) -> dict[str, Any]:
    """intervals.icu workout text as a schema-1 config (validated, as workouts.check does)."""
    steps: list[dict[str, Any]] = []
    block: dict[str, Any] | None = None
    # Lines end at CR, LF or both only: str.splitlines() also broke them at U+2028, U+0085, form feeds..., so a
    # step holding one read as two broken lines ("no duration in 'Run hill'"); in a step it is whitespace, as a space.
    for n, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = raw.strip()
        where = "line %d" % n
        if not line:
            block = None
            continue
        if line.startswith("-"):
            step = _parse_step(line[1:].strip(), where)
            (block["steps"] if block is not None else steps).append(step)
            continue
        m = _REPEAT.search(line)
        if m:
            block = {"repeat": int(m.group(1)), "steps": []}
            steps.append(block)
        else:
            block = None  # a section name
    steps = [s for s in steps if "repeat" not in s or s["steps"]]
    if not steps:
        raise RunwalkError("no workout steps found (intervals.icu steps are lines starting with '- ')")
    cfg = {"schema": 1, "name": name[: wk.MAX_NAME] or "Workout", "steps": steps}
    hidden = hidden_in(cfg)  # first: it names the character, which the band's validator cannot
    if hidden:
        raise RunwalkError("the workout is invalid: %s" % hidden)
    try:
        wk.validate(cfg)
    except wk.ConfigError as e:
        raise RunwalkError("the workout is invalid: %s" % e) from None
    return cfg


def looks_like_icu(path: str, data: bytes) -> bool:
    """True for a file that is intervals.icu text rather than config.json."""
    if Path(path).suffix.lower() == ".json":
        return False
    return not as_utf8(data).lstrip().startswith(b"{")


def load_file(path: str, data: bytes, name: str | None = None) -> dict[str, Any]:
    """The workout in intervals.icu text, named `name` or else after the file."""
    try:
        text = as_utf8(data).decode()  # (a byte order mark would hide the first step's '-')
    except UnicodeDecodeError:
        raise RunwalkError("%s is neither config.json nor intervals.icu text (not UTF-8 or UTF-16 text)"
                           % path) from None
    if name is None:
        # The workout is named after the file: "name: character 5 is U+202E ...; remove it" sent the runner
        # looking for it in the text, and echoed the override into the terminal, turning the message around.
        problem = hidden_problem(Path(path).stem[: wk.MAX_NAME], "name")
        if problem:
            raise RunwalkError("%s: the workout takes its name from the file's, and in it %s (rename the file, or "
                               "give the workout a name with `runwalk config push --file FILE --name NAME`)"
                               % (shown(path), problem.removesuffix("; remove it")))
    try:
        return parse(text, Path(path).stem if name is None else name)
    except RunwalkError as e:
        raise RunwalkError("%s: %s" % (path, e)) from None


def shown(text: str) -> str:
    """text with the characters hidden_char refuses written as \\uXXXX: safe to print in a message."""
    out = []
    for c in text:
        out.append("\\u%04X" % ord(c) if ord(c) <= 0xFFFF and hidden_char(c) else
                   "\\U%08X" % ord(c) if hidden_char(c) else c)
    return "".join(out)


def maybe_load(path: str, name: str | None = None) -> dict[str, Any] | None:
    """The workout in an intervals.icu text file (named `name`, else after the file); None if the file is JSON
    (or unreadable: the caller says why)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if not looks_like_icu(path, data):
        return None
    return load_file(path, data, name)
