"""Every valid workout records a whole log (issue 11 §2).

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
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runwalk import logfmt, loghead, logread
from runwalk import workout as wk
from runwalk.segments import Workout
from runwalk.ticks import ticks_diff

# Text a label or a name may hold (the validator refuses control characters and
# lone surrogates): quotes, backslashes, accents, emoji, CJK.
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=24)
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
    assert wr.header(info, w.steps)
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
    assert not wr.header({"name": "x" * (logfmt.MAX_HEADER + 1)})
    assert f.getvalue() == b""  # nothing written: the band drops the session's file and says FULL
