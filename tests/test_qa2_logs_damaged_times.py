"""A damaged log whose times run backwards is shown and exported, not a traceback.

Before: a record damaged in a way its CRC-8 does not catch (one in 256) can carry any time; a
segment that so ended before it started made `runwalk logs export N -o run.fit` end in fit-tool's
traceback ("FitEncodingError: total_elapsed_time encoded value -58 is not in valid range"), and
`logs show` printed a negative length. Found by test_host_offline's damage test, one run in many.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hostlogs import paused_log
from runwalk import logfmt
from simtools import rw

from host_tools.exports import fit as export_fit
from host_tools.exports import tcx as export_tcx
from host_tools.store import db, model


def backwards_log() -> bytes:
    header = {"uid": "band", "seq": 4, "start": 1_700_000_000, "name": "Back", "steps": [
        {"kind": "walk", "s": 5}, {"kind": "run", "s": 5}, {"kind": "walk", "s": 5}]}
    return bytes(logfmt.MAGIC + logfmt.header_bytes(header) + logfmt.encode(logfmt.SEG, 0, 0)
                 + logfmt.encode(logfmt.SEG, 1, 9000)  # its time damaged: it should be 5000
                 + logfmt.encode(logfmt.SEG, 0, 6000) + logfmt.encode(logfmt.PAUSE, 0, 8000)
                 + logfmt.encode(logfmt.RESUME, 0, 7000)  # damaged too
                 + logfmt.encode(logfmt.END, logfmt.END_COMPLETED, 11000))


def test_times_that_run_backwards_are_left_out_as_damage() -> None:
    s = model.from_log(backwards_log())
    assert all(g.end_ms >= g.start_ms for g in s.segments) and all(p.end_ms >= p.start_ms for p in s.pauses)
    assert any("out of time order" in d for d in s.damage), s.damage
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    export_fit.render(s, start)
    export_tcx.render(s, start)


def test_the_damage_the_fuzzer_found_exports_to_every_format(tmp_path: Path) -> None:
    data = bytearray(paused_log())
    data[146] = 150  # (test_host_offline's flips=[(146, 150)], cut=275)
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        st.add("000001.rwl", bytes(data[:275]), fallback_seq=1)
        st.add("000004.rwl", backwards_log())
    for ref in ("1", "2"):
        for fmt in ("fit", "tcx", "csv", "json"):
            r = rw("logs", "export", ref, "-o", str(tmp_path / ("s%s.%s" % (ref, fmt))), "--db", path)
            assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        r = rw("logs", "show", ref, "--db", path)
        assert r.returncode == 0 and "out of time order" in r.stdout and " -0:" not in r.stdout, r.stdout
    assert json.loads((tmp_path / "s2.json").read_text())["segments"][-1]["end_ms"] == 11000


def test_a_start_time_no_fit_file_can_hold_is_damage_not_a_traceback(tmp_path: Path) -> None:
    # Before: a header whose start had been damaged into 1970 (or past 2126) was taken as the date,
    # and `logs export -o run.fit` ended in "FitEncodingError: time_created encoded value -631065599".
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        for seq, start in ((1, 1), (2, 157_680_000), (3, 2**32 + 631_065_600)):
            header = {"uid": "band", "seq": seq, "start": start, "name": "Odd", "steps": [{"kind": "run", "s": 5}]}
            st.add("%06d.rwl" % seq, bytes(logfmt.MAGIC + logfmt.header_bytes(header)
                                           + logfmt.encode(logfmt.SEG, 1, 0)
                                           + logfmt.encode(logfmt.END, logfmt.END_COMPLETED, 5000)))
    for ref in ("band-000001", "band-000002", "band-000003"):
        r = rw("logs", "export", ref, "-o", str(tmp_path / (ref + ".fit")), "--db", path)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert "the start time is unknown" in r.stderr or "not a date" in r.stderr, r.stderr
        r = rw("logs", "show", ref, "--db", path)
        assert "not a date the band writes" in r.stdout, r.stdout
