"""Every valid workout records a whole log (docs/log-format.md).

One size limit (runwalk.logfmt.MAX_CONFIG_BYTES) is shared by the validator (a
config.json longer than it is refused), the log writer (runwalk.loghead writes a
workout's steps no longer than config.json had them) and the reader
(logfmt.MAX_HEADER, above it by the header's few other fields). So every config
the band accepts records a header the reader decodes whole: the workout's name,
each segment's label and planned duration.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import validtext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runwalk import cfgstream, logfmt, loghead, logread, records, ticks_diff
from runwalk import workout as wk
from runwalk.segments import Workout

# Text a label or a name may hold (tests/validtext.py): quotes, backslashes, accents, emoji, CJK.
TEXT = validtext.text(max_size=24)
LEAF = st.fixed_dictionaries(
    {"kind": st.sampled_from(wk.KINDS), "s": st.one_of(st.none(), st.integers(1, wk.MAX_SECONDS))},
    optional={"label": st.one_of(st.none(), TEXT)},
)


def _block(kids: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({"repeat": st.integers(1, 3), "steps": st.lists(kids, min_size=1, max_size=4)})


STEPS = st.lists(st.recursive(LEAF, _block, max_leaves=8), min_size=1, max_size=30)
# How config.json is written: compact, as json.dumps does, pretty, with or without escapes.
LAYOUT = st.sampled_from([
    {"separators": (",", ":")}, {}, {"indent": 2}, {"ensure_ascii": False, "separators": (",", ":")},
])


class MemFile(io.BytesIO):
    pass


def accepted(cfg: dict[str, Any], layout: dict[str, Any]) -> tuple[bytes, Workout] | None:
    """The config as config.json text and its workout, if the band accepts it."""
    text = json.dumps(cfg, **layout).encode()
    if len(text) > logfmt.MAX_CONFIG_BYTES:
        return None
    try:
        return text, wk.loads(text)
    except wk.ConfigError:
        return None


def record(w: Workout, segments: int, plan: bool = False) -> bytes:
    """A session of w as the band records it: header, `segments` segments, the end."""
    f = MemFile()
    wr = logfmt.Writer(f, 0, ticks_diff)
    info: dict[str, Any] = {"seq": 999999, "uid": "e66038b7134f4a2d", "start": 1795000000, "name": w.name,
                            "warn_s": w.warn_s, "fw": "1.0.0"}
    if plan:
        info["plan"] = {"id": "x" * 40, "step": 999, "of": 1000}
    assert loghead.write(wr, info, w.steps)
    t = 0
    for i in range(segments):
        wr.record(logfmt.SEG, w.kind(i), t)
        t += w.dur_ms(i) or 60000
    wr.record(logfmt.END, logfmt.END_COMPLETED, t)
    return f.getvalue()


def check_whole(w: Workout, data: bytes, segments: int) -> None:
    d = logread.decode(data)
    assert d["damage"] == [], d["damage"]
    h = d["header"]
    assert h is not None and h["name"] == w.name
    got = Workout(h["name"], len(w), h["warn_s"], 80, 1500, 400, h["steps"])  # the host unrolls them so
    for i in range(len(w)):
        assert (got.kind(i), got.dur_ms(i), got.label(i)) == (w.kind(i), w.dur_ms(i), w.label(i)), i
    assert len(d["segments"]) == segments and d["end"] == logfmt.END_COMPLETED


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS, TEXT.filter(bool), LAYOUT, st.booleans())
def test_every_accepted_config_records_a_header_the_reader_decodes_whole(steps, name, layout, plan):
    got = accepted({"schema": 1, "name": name, "steps": steps}, layout)
    if got is None:
        return
    text, w = got
    data = record(w, min(len(w), 50), plan)
    check_whole(w, data, min(len(w), 50))
    # The steps take no more room in the header than in config.json.
    pieces = "".join(loghead._steps(w.steps)).encode()
    assert len(pieces) <= len(text)


def _biggest(label: str, layout: dict[str, Any]) -> tuple[bytes, Workout]:
    """The longest config.json the band accepts with steps like this (labels of 24 characters)."""
    steps: list[dict[str, Any]] = []
    best = None
    while True:
        steps.append({"kind": wk.KINDS[len(steps) % 3], "s": 86400 - len(steps), "label": label})
        got = accepted({"schema": 1, "name": "N" * 40, "steps": steps, "warn_s": 60, "intensity": 100,
                        "button": {"long_ms": 10000, "double_ms": 1000}}, layout)
        if got is None:
            assert best is not None
            return best
        best = got


def test_the_largest_configs_record_whole() -> None:
    # At the size limit, with labels that take the most room in the header: quotes
    # and backslashes (escaped), emoji (4 bytes of UTF-8, 12 of escapes in config.json).
    for label, layout in (("q\"\\" * 8, {"separators": (",", ":")}), ("\U0001f3c3" * 24, {"ensure_ascii": False}),
                          ("\U0001f3c3" * 24, {}), ("x" * 24, {"separators": (",", ":")})):
        text, w = _biggest(label, layout)
        assert len(text) > logfmt.MAX_CONFIG_BYTES - 200
        data = record(w, len(w), plan=True)
        check_whole(w, data, len(w))
        assert len(data) < logfmt.MAX_HEADER + 16 * len(w) + 64


def test_a_header_over_the_limit_is_refused_not_written() -> None:
    f = MemFile()
    wr = logfmt.Writer(f, 0, ticks_diff)
    assert not loghead.write(wr, {"name": "x" * (logfmt.MAX_HEADER + 1)}, None)
    assert f.getvalue() == b""  # nothing written: the band drops the session's file and says FULL


def _walk(w: Workout) -> list[tuple[int, int | None, str | None]]:
    return [(w.kind(i), w.dur_ms(i), w.label(i)) for i in range(len(w))]


STREAMED = Path(tempfile.mkdtemp(prefix="runwalk-streamed-"))


def streamed(text: bytes) -> Workout | None:
    """config.json as the band reads a long one (runwalk.cfgstream): its workout, or None
    where the stream reader leaves it to the validator. Its labels stay in the file."""
    path = STREAMED / "config.json"  # (one file: a workout is read from it while it is checked)
    path.write_bytes(text)
    with open(path, "rb") as f:
        found = cfgstream.read(f)
    return None if found is None else records.workout(found, str(path))


def decoded(text: bytes) -> Workout | str:
    try:
        return wk.loads(text)
    except wk.ConfigError as e:
        return str(e)


CUT = st.sampled_from([b"", b" ", b"1", b"0", b"-", b".5", b"e1", b"\\", b'"', b"}", b"]", b",", b"\xff", b"\xc3",
                       b"\\ud83e", b"null", b'"x":1,'])


BUTTON = st.fixed_dictionaries({}, optional={"long_ms": st.integers(400, 11000)})


@given(st.fixed_dictionaries({"schema": st.just(1), "steps": STEPS},
                             optional={"name": TEXT.filter(bool), "warn_s": st.integers(-1, 61), "button": BUTTON}),
       LAYOUT, st.integers(0, 10**6), st.one_of(st.none(), CUT))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_stream_reader_agrees_with_the_validator(cfg: dict[str, Any], layout: dict[str, Any], at: int,
                                                     cut: bytes | None) -> None:
    # Valid configs, and the same with a byte sequence put in somewhere: whatever the
    # stream reader takes, the validator takes the same way; what it leaves is decided
    # by the validator (runwalk.config then decodes the file whole).
    text = json.dumps(cfg, **layout).encode()
    if cut is not None:
        k = at % (len(text) + 1)
        text = text[:k] + cut + text[k:]
    got, want = streamed(text), decoded(text)
    if isinstance(got, Workout):
        assert isinstance(want, Workout)
        assert (got.name, got.warn_s, got.intensity, got.long_ms, got.double_ms) == (
            want.name, want.warn_s, want.intensity, want.long_ms, want.double_ms)
        assert _walk(got) == _walk(want)
        # Its records read back as the steps they came from: the log header is the same.
        assert "".join(loghead._steps(got.steps)) == "".join(loghead._steps(want.steps))
    else:  # left to the validator: odd JSON, what the validator refuses, or \\u surrogates
        assert not isinstance(want, Workout) or b"\\ud" in text.lower()


def test_the_largest_configs_stream_into_records_that_record_whole() -> None:
    for label, layout in (("q\"\\" * 8, {"separators": (",", ":")}), ("\U0001f3c3" * 24, {"ensure_ascii": False}),
                          ("x" * 24, {"separators": (",", ":")})):
        text, want = _biggest(label, layout)
        w = streamed(text)
        assert isinstance(w, Workout) and _walk(w) == _walk(want)
        check_whole(w, record(w, len(w), plan=True), len(w))
