"""Bad input, everywhere: property tests for what reads untrusted bytes.

- the config validator (runwalk.workout.validate / loads) on random JSON-ish
  structures and random text: it accepts, or raises ConfigError whose message
  names the field; never anything else;
- the log reader (runwalk.logfmt records / scan / decode) on random bytes and
  on real logs truncated at every length, with bits flipped, bytes inserted or
  deleted: never an exception, every good record before the damage is read,
  the damage is reported;
- the host's ratio and duration parsers (host_tools.parse), when present.
"""

from __future__ import annotations

import json
import os
import re
import sys

import pytest
import validtext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runwalk import logfmt, logread
from runwalk import workout as wk
from runwalk.app import App
from runwalk.config import DEFAULT_CONFIG  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "core"))
from fakeboard import FakeBoard, run_app  # noqa: E402

PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- the config validator --------------------------------------------------------

# A ConfigError message starts with the field it is about ("steps[2].s: ...",
# "warn_s: ..."), or, for what is not an object at all, says so.
FIELD = re.compile(
    r"^(schema|name|steps(\[\d+\](\.steps\[\d+\])*(\.(kind|s|label|repeat|steps))?)?|warn_s|intensity"
    r"|button(\.(long_ms|double_ms))?): \S"
)
WHOLE = ("config must be a JSON object", "config.json is not valid JSON", "unknown key")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["run", "walk", "sprint", "jog", "", "Run"]),
    st.sampled_from([0, 1, -1, 5, 60, 86400, 86401, 999, 1000, 2000]),
)
json_ish = st.recursive(
    scalars,
    lambda kids: st.one_of(st.lists(kids, max_size=5), st.dictionaries(st.text(max_size=8), kids, max_size=5)),
    max_leaves=30,
)


def _step(kids):
    plain = st.fixed_dictionaries(
        {"kind": st.one_of(st.sampled_from(wk.KINDS), scalars), "s": st.one_of(st.none(), scalars)},
        optional={"label": st.one_of(st.text(max_size=30), scalars), "x": scalars},
    )
    repeat = st.fixed_dictionaries(
        {"repeat": st.one_of(st.integers(0, 1001), scalars), "steps": st.one_of(st.lists(kids, max_size=4), scalars)},
        optional={"kind": scalars},
    )
    return st.one_of(plain, repeat, json_ish)


steps = st.lists(st.recursive(st.fixed_dictionaries({"kind": st.sampled_from(wk.KINDS), "s": st.integers(1, 600)}),
                              _step, max_leaves=12), max_size=6)
configs = st.fixed_dictionaries(
    {"schema": st.one_of(st.just(1), scalars), "steps": st.one_of(steps, json_ish)},
    optional={
        "name": st.one_of(st.text(max_size=45), scalars),
        "warn_s": st.one_of(st.integers(-5, 70), scalars),
        "intensity": st.one_of(st.integers(0, 110), scalars),
        "button": st.one_of(
            st.fixed_dictionaries({}, optional={"long_ms": st.integers(0, 20000), "double_ms": st.integers(0, 2000),
                                                "triple_ms": scalars}),
            json_ish,
        ),
        "extra": json_ish,
    },
)


def _check_outcome(value):
    try:
        w = wk.validate(value)
    except wk.ConfigError as e:
        msg = str(e)
        assert msg, "a ConfigError without a message"
        assert FIELD.match(msg) or msg.startswith(WHOLE), "message names no field: %r" % msg
        return None
    assert 1 <= len(w) <= wk.MAX_SEGMENTS
    for i in range(len(w)):
        d = w.dur_ms(i)
        assert d is None or 1000 <= d <= wk.MAX_SECONDS * 1000
        assert w.kind_name(i) in wk.KINDS
    return w


@PROPS
@given(configs)
def test_validator_on_config_shaped_values_accepts_or_names_the_field(cfg):
    _check_outcome(cfg)


@PROPS
@given(json_ish)
def test_validator_on_any_json_value_accepts_or_names_the_field(value):
    _check_outcome(value)


@PROPS
@given(configs)
def test_loads_agrees_with_validate_on_the_json_text(cfg):
    text = json.dumps(cfg)
    try:
        expect = str(wk.validate(cfg) and "ok")
    except wk.ConfigError as e:
        expect = str(e)
    try:
        got = str(wk.loads(text) and "ok")
    except wk.ConfigError as e:
        got = str(e)
    assert got == expect


@PROPS
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_loads_on_random_text_never_crashes(text):
    try:
        wk.loads(text)
    except wk.ConfigError as e:
        assert str(e)


@pytest.mark.parametrize("text", ["[" * 5000, '{"a":' * 5000, "[" * 40000 + "]" * 40000])
def test_deeply_nested_json_is_a_config_error_not_a_crash(text):
    # Regression: json.loads raised RecursionError straight through loads().
    with pytest.raises(wk.ConfigError, match="not valid JSON"):
        wk.loads(text)


names = validtext.text  # what the validator takes in a name or label


valid_step = st.recursive(
    st.fixed_dictionaries({"kind": st.sampled_from(wk.KINDS), "s": st.one_of(st.none(), st.integers(1, 86400))},
                          optional={"label": names(max_size=24)}),
    lambda kids: st.fixed_dictionaries({"repeat": st.integers(1, 3), "steps": st.lists(kids, min_size=1, max_size=3)}),
    max_leaves=8,
)
valid_configs = st.fixed_dictionaries(
    {"schema": st.just(1), "steps": st.lists(valid_step, min_size=1, max_size=4)},
    optional={"name": names(min_size=1, max_size=40), "warn_s": st.integers(0, 60),
              "intensity": st.integers(10, 100)},
)


@PROPS
@given(valid_configs, st.data())
def test_every_prefix_of_a_valid_config_is_refused_cleanly(cfg, data):
    text = json.dumps(cfg)
    assert len(wk.loads(text)) >= 1
    cut = data.draw(st.integers(0, len(text) - 1))
    with pytest.raises(wk.ConfigError):
        wk.loads(text[:cut])


# -- the log reader --------------------------------------------------------------




def _real_logs() -> list[bytes]:
    """Logs written by the real app on a fake board: pauses, skips, a stop, a completion."""
    import tempfile

    out = []
    scripts = [
        # click to start, pause/resume, double click (skip), long press to stop
        [(0, True), (100, False), (5000, True), (5100, False), (65000, True), (65100, False),
         (70000, True), (70100, False), (70200, True), (70300, False), (200000, True), (202000, False)],
        # start and let a short workout complete
        [(0, True), (100, False)],
    ]
    cfgs = [DEFAULT_CONFIG, {"schema": 1, "name": "short", "steps": [
        {"repeat": 3, "steps": [{"kind": "run", "s": 20}, {"kind": "walk", "s": 10, "label": "breathe"}]},
        {"kind": "sprint", "s": 15}], "warn_s": 3}]
    for script, cfg in zip(scripts, cfgs, strict=True):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump(cfg, f)
            run_app(App(FakeBoard(t0=1000, edges=script), root=d))
            logs = os.path.join(d, "logs")
            for n in sorted(os.listdir(logs)):
                if n.endswith(".rwl"):
                    with open(os.path.join(logs, n), "rb") as f:
                        out.append(f.read())
    assert len(out) == 2
    return out


LOGS = _real_logs()


def _boundaries(data: bytes) -> list[int]:
    """Offsets at which each record of an undamaged log ends (the first is the magic)."""
    ends = [len(logfmt.MAGIC)]
    i = ends[0]
    while i < len(data):
        r = logread.parse_record(data, i)
        assert r[0] is not None
        i = r[4]
        ends.append(i)
    return ends


def _read(data):
    damage: list[str] = []
    recs = list(logread.records(data, damage))
    return recs, damage


def _everything_is_fine(data):
    """records, scan and decode on these bytes: no exception, sane values."""
    recs, damage = _read(data)
    good, ended, last_t = logread.scan(data)
    assert 0 <= good <= len(data)
    assert isinstance(ended, bool) and last_t >= 0
    d = logread.decode(data)
    assert isinstance(d["damage"], list) and all(isinstance(x, str) and x for x in d["damage"])
    for rtype, arg, t, _ in recs:
        assert logfmt.HEADER <= rtype <= logfmt.NOTE and 0 <= arg <= 15 and t >= 0
    return recs, damage, d


def test_real_logs_read_back_without_damage():
    for data in LOGS:
        recs, damage, d = _everything_is_fine(data)
        assert damage == [] and d["damage"] == []
        assert d["end"] in (logfmt.END_STOPPED, logfmt.END_COMPLETED)
        assert logread.scan(data) == (len(data), True, d["end_ms"])


@PROPS
@given(st.binary(max_size=600))
def test_random_bytes_never_raise(data):
    _everything_is_fine(data)


@PROPS
@given(st.binary(max_size=400))
def test_random_bytes_after_the_magic_never_raise(tail):
    _everything_is_fine(logfmt.MAGIC + tail)


@PROPS
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 15), st.integers(0, 2**42 - 1),
                          st.one_of(st.none(), st.integers(0, 2**35 - 1), st.binary(max_size=40))), max_size=20))
def test_well_formed_records_of_any_content_decode_without_raising(recs):
    # Valid checksums over odd contents: unknown kinds and end reasons, headers that are not JSON.
    data = bytearray(logfmt.MAGIC)
    for rtype, arg, t, payload in recs:
        if rtype == logfmt.HEADER and not isinstance(payload, bytes):
            payload = b"{}"
        if rtype == logfmt.NOTE and not isinstance(payload, int):
            payload = 0
        if rtype not in (logfmt.HEADER, logfmt.NOTE):
            payload = None
        data += logfmt.encode(rtype, arg, t, payload)
    got, damage, _ = _everything_is_fine(bytes(data))
    assert damage == [] and len(got) == len(recs)


@pytest.mark.parametrize("payload", [b"[" * 5000, b'{"a":' * 3000, b"\xff\xfe not utf-8", b"[1, 2]", b"null"])
def test_a_header_that_is_not_a_json_object_is_damage_not_a_crash(payload):
    # Regression: a deeply nested header raised RecursionError out of decode().
    data = logfmt.MAGIC + logfmt.encode(logfmt.HEADER, 0, 0, payload) + logfmt.encode(logfmt.SEG, 1, 0)
    d = logread.decode(bytes(data))
    assert d["header"] is None
    assert len(d["segments"]) == 1


def test_truncation_at_every_length_keeps_every_whole_record():
    for data in LOGS:
        full, _ = _read(data)
        ends = _boundaries(data)
        for k in range(len(data) + 1):
            cut = data[:k]
            recs, damage, d = _everything_is_fine(cut)
            whole = len([e for e in ends[1:] if e <= k])
            assert recs[:whole] == full[:whole], "cut at %d lost a whole record" % k
            good, ended, _ = logread.scan(cut)
            assert good == max([e for e in ends if e <= k], default=0)
            assert ended == (k == len(data))
            if k in ends:
                assert damage == [] and len(recs) == whole
            else:
                assert damage, "cut at %d inside a record reported no damage" % k


def _flip_cases(data):
    for pos in range(len(logfmt.MAGIC), len(data)):
        for bit in range(8):
            yield pos, bit


def _record_at(ends, pos):
    """Index (into records) of the record holding byte pos."""
    for n, e in enumerate(ends[1:]):
        if pos < e:
            return n
    raise AssertionError(pos)


def test_every_single_bit_flip_keeps_the_records_before_it_and_is_reported():
    undetected = 0
    total = 0
    lost_after = 0
    for data in LOGS:
        full, _ = _read(data)
        ends = _boundaries(data)
        for pos, bit in _flip_cases(data):
            bad = bytearray(data)
            bad[pos] ^= 1 << bit
            recs, damage, _ = _everything_is_fine(bytes(bad))
            n = _record_at(ends, pos)
            assert recs[:n] == full[:n], "flip at %d.%d lost a record before it" % (pos, bit)
            total += 1
            if not damage:
                undetected += 1
                # An undetected flip can only be one that re-framed the record (tag or varint
                # continuation bit): a flip in place is always caught by the CRC.
                assert recs != full
            # Records after the damaged one are found again.
            if full[n + 1 :] and recs[-len(full[n + 1 :]) :] != full[n + 1 :]:
                lost_after += 1
    # CRC-8 catches every in-place single-bit error; re-framing flips slip through
    # about 1 in 256 times. Anything much worse means the reader is broken.
    assert undetected <= total // 100, (undetected, total)
    assert lost_after <= total // 50, (lost_after, total)


@PROPS
@given(st.sampled_from(range(len(LOGS))), st.data())
def test_inserted_or_deleted_bytes_keep_the_records_before_them(which, data):
    log = LOGS[which]
    full, _ = _read(log)
    ends = _boundaries(log)
    pos = data.draw(st.integers(len(logfmt.MAGIC), len(log) - 1))
    n = _record_at(ends, pos)
    if data.draw(st.booleans()):
        count = data.draw(st.integers(1, 8))
        bad = log[:pos] + log[pos + count :]
    else:
        bad = log[:pos] + data.draw(st.binary(min_size=1, max_size=8)) + log[pos:]
    recs, damage, _ = _everything_is_fine(bad)
    assert recs[:n] == full[:n]
    assert damage or recs != full or bad == log or len(bad) != len(log)


# -- the host's duration and ratio parsers ------------------------------------------

from host_tools import parse  # noqa: E402
from host_tools.errors import RunwalkError  # noqa: E402

typed = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789:.hmsinec \t", max_size=20),
    st.builds(lambda a, u: a + u, st.text(alphabet="0123456789.", min_size=1, max_size=400),
              st.sampled_from(["", "s", "m", "h", "min", "sec"])),
    st.sampled_from(["1:²", "²", "1:²²", "١:٣٠", "1e400", "9" * 400, "9" * 400 + "h", "0:00", "-5", "nan", "inf"]),
)


@PROPS
@given(typed)
def test_duration_parser_returns_whole_seconds_or_one_clear_error(text):
    try:
        s = parse.duration(text)
    except RunwalkError as e:
        msg = str(e)
        assert msg and "\n" not in msg
        return
    assert isinstance(s, int) and s > 0


@PROPS
@given(st.one_of(typed, st.builds(lambda a, b: a + ":" + b, typed, typed)))
def test_ratio_parser_returns_two_whole_durations_or_one_clear_error(text):
    try:
        run_s, walk_s = parse.ratio(text)
    except RunwalkError as e:
        msg = str(e)
        assert msg and "\n" not in msg
        return
    assert isinstance(run_s, int) and isinstance(walk_s, int) and run_s > 0 and walk_s > 0


@pytest.mark.parametrize("text", ["9" * 400, "9" * 400 + "h", "1:²²", "²"])
def test_absurd_durations_are_refused_not_crashed(text):
    # Regressions: float overflow (round(inf)) and digits that int() refuses.
    with pytest.raises(RunwalkError):
        parse.duration(text)
    with pytest.raises(RunwalkError):
        parse.ratio(text + ":1")


# -- the host's reading of a stored session: whatever the band's bytes, list/show/export work --

from host_tools.exports import csv as export_csv  # noqa: E402
from host_tools.exports import json as export_json  # noqa: E402
from host_tools.exports import tcx as export_tcx  # noqa: E402
from host_tools.store import model  # noqa: E402

headers = st.one_of(
    st.dictionaries(st.sampled_from(["seq", "uid", "start", "name", "steps", "warn_s", "fw", "plan", "x"]),
                    json_ish, max_size=6),
    st.fixed_dictionaries({"seq": st.integers(-5, 10**6), "uid": st.text(max_size=10),
                           "start": st.one_of(st.none(), st.integers(-(10**12), 10**13), st.floats()),
                           "steps": st.one_of(steps, json_ish)}),
)


@PROPS
@given(headers, st.lists(st.tuples(st.integers(2, 6), st.integers(0, 15), st.integers(0, 2**42 - 1),
                                   st.integers(0, 2**35 - 1)), max_size=15), st.binary(max_size=6))
def test_any_checked_log_reads_into_a_session_and_exports(header, recs, tail):
    # What a band with other firmware, or a damaged flash, could hand the host.
    data = bytearray(logfmt.MAGIC) + logfmt.encode(logfmt.HEADER, 0, 0, json.dumps(header).encode())
    for rtype, arg, t, payload in recs:
        data += logfmt.encode(rtype, arg, t, payload if rtype == logfmt.NOTE else None)
    data += tail
    s = model.from_log(bytes(data), 7, "band")
    json.loads(export_json.render(s))
    export_csv.render(s)
    import datetime as dt

    export_tcx.render(s, s.started or dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))


def test_a_lost_resume_still_gives_every_pause_an_end():
    # Regression: a corrupt RESUME between two PAUSE records left a pause without an
    # end, and `logs export --format csv` crashed comparing None with a number.
    data = (logfmt.MAGIC + logfmt.encode(logfmt.HEADER, 0, 0, b"{}") + logfmt.encode(logfmt.SEG, 1, 0)
            + logfmt.encode(logfmt.PAUSE, 0, 1000) + logfmt.encode(logfmt.RESUME, 0, 2000)[:-1] + b"\x00"
            + logfmt.encode(logfmt.PAUSE, 0, 3000) + logfmt.encode(logfmt.END, 1, 4000))
    d = logread.decode(bytes(data))
    assert d["damage"] and d["pauses"] == [[1000, 3000], [3000, 4000]]
    export_csv.render(model.from_log(bytes(data)))
