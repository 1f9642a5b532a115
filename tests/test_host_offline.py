"""Host tools without a band: parsing, workouts, the session model, the store, exports, plots."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import fitdecode
import pytest
from hostlogs import SHORT, click, double_click, make_log, paused_log, stopped_log
from runwalk import logfmt
from runwalk import workout as wk

from host_tools import parse
from host_tools.commands import cli
from host_tools.commands.logs import FORMATS
from host_tools.errors import RunwalkError
from host_tools.exports import fit as export_fit
from host_tools.exports import json as export_json
from host_tools.exports import tcx as export_tcx
from host_tools.store import db, model
from host_tools.training import specials, workouts

# -- parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize("text,seconds", [("90", 90), ("90s", 90), ("1:30", 90), ("5m", 300), ("1m30s", 90),
                                          ("2.5m", 150), ("1:02:03", 3723), ("1h", 3600)])
def test_durations(text: str, seconds: int) -> None:
    assert parse.duration(text) == seconds


@pytest.mark.parametrize("text", ["abc", "", "0", "1:3", "1.5s", "-4", "5x"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(RunwalkError):
        parse.duration(text)


def test_duration_limits_name_the_option() -> None:
    assert parse.duration("1m", "--warn", most=60) == 60
    with pytest.raises(RunwalkError, match="--warn '61' is too long: at most 60 s"):
        parse.duration("61", "--warn", most=60)
    with pytest.raises(RunwalkError, match="at most 24 hours"):
        parse.duration("24h1s", "--warmup", most=86400)


@pytest.mark.parametrize("text,pair", [("4:1", (240, 60)), ("2.5:0.5", (150, 30)), ("30s:30s", (30, 30)),
                                       ("1m30s:30s", (90, 30)), ("1:1", (60, 60))])
def test_ratios(text: str, pair: tuple[int, int]) -> None:
    assert parse.ratio(text) == pair


@pytest.mark.parametrize("text,says", [("4:0", "walk part must be longer than 0"), ("0:1", "run part"),
                                       ("abc", "must be RUN:WALK"), ("4", "must be RUN:WALK"),
                                       ("4:1:1", "must be RUN:WALK"), ("x:1", "not a time"),
                                       ("0.01:1", "whole number of seconds"),
                                       ("1441:1", "run part is too long: at most 24 hours"),
                                       ("4:99999", "walk part is too long")])
def test_bad_ratios(text: str, says: str) -> None:
    with pytest.raises(RunwalkError, match=says):
        parse.ratio(text)


# -- workouts --------------------------------------------------------------------------


def test_ratio_workout_is_what_the_runner_asked_for() -> None:
    cfg = workouts.from_ratio(240, 60, repeats=3, warmup_s=120, cooldown_s=0, warn_s=10)
    w = wk.validate(cfg)
    assert [(w.kind_name(i), w.dur_ms(i), w.label(i)) for i in range(len(w))] == [
        ("walk", 120000, "warmup")] + [("run", 240000, None), ("walk", 60000, None)] * 3
    assert cfg["warn_s"] == 10 and cfg["name"] == "Run-walk 4:1"
    text = "\n".join(workouts.describe(w))
    assert "3 x run 4:00, walk 1:00" in text
    assert "Total time: 17:00" in text and "Running time: 12:00" in text


def test_describe_shows_motor_and_button_settings_only_when_set() -> None:
    cfg = {"schema": 1, "steps": [{"kind": "run", "s": 60}], "intensity": 50, "button": {"long_ms": 2000}}
    text = "\n".join(workouts.describe(wk.validate(cfg)))
    assert text.endswith("\nSettings: motor at 50 %, long press 2000 ms")
    assert "Settings" not in "\n".join(workouts.describe(wk.validate({"schema": 1, "steps": [{"kind": "run", "s": 60}],
                                                                       "intensity": 80})))


def test_one_segment_is_one_segment() -> None:
    text = "\n".join(workouts.describe(wk.validate({"schema": 1, "steps": [{"kind": "run", "s": None}]})))
    assert "(1 segment lasts until you double-click)" in text and "\n1 segment, heads-up" in text


def test_firmware_validator_rejects_what_the_band_would() -> None:
    with pytest.raises(RunwalkError, match="warn_s"):
        workouts.from_ratio(240, 60, warn_s=61)
    with pytest.raises(RunwalkError, match="repeat: must be a whole number from 1 to 999"):
        workouts.from_ratio(30, 30, repeats=1000)


def test_bad_files(tmp_path: Path) -> None:
    p = tmp_path / "c.json"
    p.write_text('{"schema": 1, "steps": [], "bogus": 1}')
    with pytest.raises(RunwalkError, match="unknown key 'bogus'"):
        workouts.load_file(str(p))
    p.write_text("{not json")
    with pytest.raises(RunwalkError, match="not valid JSON"):
        workouts.load_file(str(p))
    with pytest.raises(RunwalkError, match="cannot read"):
        workouts.load_file(str(tmp_path / "missing.json"))


# -- the session model -----------------------------------------------------------------


def test_model_of_a_paused_skipped_session() -> None:
    s = model.from_log(paused_log())
    assert s.id == "test-000001" and s.completed and s.end_reason == "completed"
    assert s.started == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    assert [g.kind for g in s.segments] == ["walk", "run", "walk", "run", "walk", "walk"]
    assert [g.label for g in s.segments] == ["warmup", None, None, None, None, "cooldown"]
    assert len(s.pauses) == 1 and s.pauses[0].end_ms - s.pauses[0].start_ms == 20000
    # The paused run lasts its planned minute plus the pause; the skipped one is short.
    assert s.segments[1].elapsed_ms == 80000 and s.moving_ms(s.segments[1]) == 60000
    assert s.segments[3].skipped and s.segments[3].elapsed_ms < 60000
    assert s.total_ms("walk") == 180000
    assert s.total_ms("run") == 60000 + s.segments[3].elapsed_ms
    for a, b in zip(s.segments, s.segments[1:], strict=False):
        assert a.end_ms == b.start_ms


def test_truncated_and_corrupt_logs_decode_as_far_as_readable() -> None:
    data = paused_log()
    cut = model.from_log(data[:-7])
    assert not cut.completed and cut.damage and len(cut.segments) >= 4
    bad = bytearray(data)
    bad[60] ^= 0xFF
    s = model.from_log(bytes(bad))
    assert s.damage
    assert model.from_log(b"garbage").damage


# -- the store -------------------------------------------------------------------------


def test_store_keeps_raw_bytes_keyed_by_band_and_seq(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    raw = paused_log()
    with db.Store(path) as st:
        st.add("000001.rwl", raw)
        st.add("000001.rwl", raw)  # the same session again is no second copy
        st.add("000001.rwl", make_log(uid="other"))
    with db.Store(path) as st:
        rows = st.all()
        assert len(rows) == 2
        r = st.find("test-000001")
        assert r.raw == raw and st.find("1").raw == raw
        assert st.find("last").uid == "other"
        with pytest.raises(RunwalkError, match="no session"):
            st.find("nope")


# -- exports ---------------------------------------------------------------------------


def _fit_messages(data: bytes) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    with fitdecode.FitReader(io.BytesIO(data)) as r:
        for fr in r:
            if isinstance(fr, fitdecode.FitDataMessage):
                out.setdefault(fr.name, []).append({f.name: f.value for f in fr.fields})
    return out


def test_fit_has_one_lap_per_segment_with_times_and_pauses() -> None:
    s = model.from_log(paused_log())
    m = _fit_messages(export_fit.render(s, s.started))
    assert m["file_id"][0]["type"] == "activity"
    laps = m["lap"]
    assert len(laps) == len(s.segments)
    assert [x["intensity"] for x in laps] == ["warmup", "active", "rest", "active", "rest", "cooldown"]
    for lap, g in zip(laps, s.segments, strict=True):
        assert lap["start_time"] == s.started + dt.timedelta(milliseconds=g.start_ms // 1000 * 1000)
        assert lap["total_elapsed_time"] == pytest.approx(g.elapsed_ms / 1000, abs=0.001)
        assert lap["total_timer_time"] == pytest.approx(s.moving_ms(g) / 1000, abs=0.001)
    stamps = {r["timestamp"] for r in m["record"]}
    for g in s.segments:  # a time-stamped sample at every boundary
        assert s.started + dt.timedelta(seconds=g.start_ms // 1000) in stamps
    timer = [(e["event_type"], e["timestamp"]) for e in m["event"] if e["event"] == "timer"]
    p = s.pauses[0]
    assert timer == [("start", s.started),
                     ("stop_all", s.started + dt.timedelta(seconds=p.start_ms // 1000)),
                     ("start", s.started + dt.timedelta(seconds=p.end_ms // 1000)),
                     ("stop_all", s.started + dt.timedelta(seconds=s.end_ms // 1000))]
    ses = m["session"][0]
    assert ses["sport"] == "running" and ses["num_laps"] == 6
    assert ses["total_elapsed_time"] == pytest.approx(s.end_ms / 1000)
    assert ses["total_timer_time"] == pytest.approx((s.end_ms - 20000) / 1000)


def test_tcx_laps_and_trackpoint_times() -> None:
    s = model.from_log(paused_log())
    root = ET.fromstring(export_tcx.render(s, s.started))
    ns = {"t": export_tcx.NS}
    laps = root.findall("t:Activities/t:Activity/t:Lap", ns)
    assert root.find("t:Activities/t:Activity", ns).get("Sport") == "Running"
    assert len(laps) == len(s.segments)

    def t(text: str) -> dt.datetime:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))

    for lap, g in zip(laps, s.segments, strict=True):
        assert t(lap.get("StartTime")) == s.started + dt.timedelta(milliseconds=g.start_ms)
        assert float(lap.findtext("t:TotalTimeSeconds", namespaces=ns)) == pytest.approx(s.moving_ms(g) / 1000)
        assert lap.findtext("t:Intensity", namespaces=ns) == ("Resting" if g.kind == "walk" else "Active")
        times = [t(x.text) for x in lap.findall("t:Track/t:Trackpoint/t:Time", ns)]
        assert times[0] == s.started + dt.timedelta(milliseconds=g.start_ms)
        assert times[-1] == s.started + dt.timedelta(milliseconds=g.end_ms)
    # The paused lap has two tracks: before and after the pause.
    assert len(laps[1].findall("t:Track", ns)) == 2
    assert "warmup" in laps[0].findtext("t:Notes", namespaces=ns)


def test_json_is_the_design_shape() -> None:
    s = model.from_log(stopped_log())
    d = json.loads(export_json.render(s))
    assert list(d) == ["session", "started", "completed", "config_name", "segments", "pauses", "events"]
    assert d["session"] == "test-000001" and d["completed"] is False and d["config_name"] == SHORT["name"]
    assert d["started"] == "2023-11-14T22:13:20+00:00"
    assert d["segments"][0] == {"index": 0, "kind": "walk", "label": "warmup", "start_ms": 0, "end_ms": 60000}
    assert all(set(e) == {"t_ms", "ev"} for e in d["events"])
    assert d["events"][-1]["ev"] == "end:stopped"


# -- the commands that need no band -----------------------------------------------------


@pytest.fixture()
def filled(tmp_path: Path) -> str:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        st.add("000001.rwl", paused_log())
        st.add("000002.rwl", make_log(edges=[(1000, True), (1080, False), (101000, True), (103000, False)],
                                      uid="b2", wall_s=None))
    return path


def test_list_show_export_plot(filled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["logs", "list", "--db", filled]) == 0
    out = capsys.readouterr().out
    assert "test-000001" in out and "b2-000001" in out and "completed" in out and "ended early (long press)" in out
    assert cli.main(["logs", "show", "1", "--db", filled]) == 0
    out = capsys.readouterr().out
    assert "run:       1:29" in out and "walk:      3:00" in out and "pauses:    1" in out
    for fmt in ("csv", "json", "tcx", "fit"):
        out_file = tmp_path / ("x." + fmt)
        assert cli.main(["logs", "export", "1", "--format", fmt, "-o", str(out_file), "--db", filled]) == 0
        assert out_file.stat().st_size > 100
    rows = list(csv.DictReader(io.StringIO((tmp_path / "x.csv").read_text())))
    assert [r["kind"] for r in rows] == ["walk", "run", "walk", "run", "walk", "walk"]
    assert rows[1]["paused_s"] == "20.000" and rows[3]["skipped"] == "yes"
    # A session whose band clock was never set still exports, counted back from the pull.
    assert cli.main(["logs", "export", "b2-000001", "-o", str(tmp_path / "y.fit"), "--db", filled]) == 0
    assert "clock was not set" in capsys.readouterr().err
    png = tmp_path / "p.png"
    assert cli.main(["logs", "plot", "last", "-o", str(png), "--db", filled]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_show_tells_a_skipped_segment_from_an_open_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        st.add("000001.rwl", paused_log())  # its second run is skipped by a double click
        st.add("000002.rwl", make_log(specials.magic_mile(0), click(1000) + double_click(60_000) + double_click(
            500_000), seq=2))
    assert cli.main(["logs", "show", "1", "--db", path]) == 0
    out = capsys.readouterr().out
    assert out.count("skipped (planned ") == 1 and "double-click" not in out
    assert cli.main(["logs", "show", "2", "--db", path]) == 0
    lines = capsys.readouterr().out.splitlines()
    mile = [x for x in lines if " mile " in x]
    assert len(mile) == 1 and mile[0].endswith("ended by double-click") and "skipped" not in "".join(lines)


def test_list_keeps_each_session_on_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        st.add("000001.rwl", make_log({"schema": 1, "name": "\U0001f3c3" * 40, "steps": [{"kind": "run", "s": 5}]}))
        st.add("000002.rwl", stopped_log(2))
        st.add("000009.rwl", logfmt.MAGIC + logfmt.encode(logfmt.END, logfmt.END_INTERRUPTED, 0))  # damaged
    assert cli.main(["logs", "list", "--db", path]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4, "\n".join(lines)  # rich wrapped long statuses onto a second line
    assert lines[3].rstrip().endswith("cut off (power lost), damaged") and "\u2026" in lines[1]


def test_plot_of_an_emoji_name_warns_nothing(tmp_path: Path) -> None:
    import warnings

    path = str(tmp_path / "s.sqlite")
    cfg = {"schema": 1, "name": "\U0001f3c3 easy", "steps": [{"kind": "run", "s": 5, "label": "\U0001f525"}]}
    with db.Store(path) as st:
        st.add("000001.rwl", make_log(cfg))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert cli.main(["logs", "plot", "1", "-o", str(tmp_path / "a.png"), "--db", path]) == 0
    assert not [w for w in caught if "Glyph" in str(w.message)]  # each would be a stderr line for the runner


def test_failed_exports_write_nothing(filled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["logs", "export", "9", "-o", str(tmp_path / "a.json"), "--db", filled]) == 1
    assert cli.main(["logs", "export", "1", "-o", str(tmp_path / "no" / "a.fit"), "--db", filled]) == 1
    assert cli.main(["logs", "plot", "1", "-o", str(tmp_path / "no" / "a.png"), "--db", filled]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(x.startswith("runwalk: ") for x in err)
    # A name that tells no format: a usage error (exit 2), as design 4.5 has it.
    assert cli.main(["logs", "export", "1", "-o", str(tmp_path / "a.txt"), "--db", filled]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["runwalk logs export: say --format csv, json, tcx or fit (cannot tell from %r) "
                   "(see `runwalk logs export --help`)" % str(tmp_path / "a.txt")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite"]


def test_exports_and_plots_are_files_like_any_other(filled: str, tmp_path: Path,
                                                   capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    umask = os.umask(0o022)
    try:
        # Readable by whoever reads the user's other files (the temporary file behind them is 0600).
        assert cli.main(["logs", "export", "1", "-o", str(tmp_path / "a.tcx"), "--db", filled]) == 0
        assert cli.main(["logs", "plot", "1", "-o", str(tmp_path / "a.png"), "--db", filled]) == 0
        assert (tmp_path / "a.tcx").stat().st_mode & 0o777 == 0o644
        assert (tmp_path / "a.png").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(umask)
    # The picture's format is the one its name says.
    assert cli.main(["logs", "plot", "1", "-o", str(tmp_path / "a.svg"), "--db", filled]) == 0
    assert b"<svg" in (tmp_path / "a.svg").read_bytes()[:400]
    assert cli.main(["logs", "plot", "1", "-o", str(tmp_path / "a.pdf"), "--db", filled]) == 0
    assert (tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-"
    # `-o -`: standard output, nothing else on it.
    capsysbinary.readouterr()
    assert cli.main(["logs", "export", "1", "--format", "csv", "-o", "-", "--db", filled]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert out.startswith("session,started,index,kind") and len(out.splitlines()) == 7
    assert not (tmp_path / "-").exists() and not Path("-").exists()
    # Names that cannot work are refused before anything is written.
    for argv, says in ((["export", "1", "-o", str(tmp_path)], "is a directory; give a file name"),
                       (["plot", "1", "-o", str(tmp_path)], "is a directory; give a file name"),
                       (["plot", "1", "-o", str(tmp_path / "a.gif")], "name the picture .png, .svg or .pdf")):
        assert cli.main(["logs", *argv, "--db", filled]) == (2 if "picture" in says else 1)
        err = capsysbinary.readouterr().err.decode().strip().splitlines()
        assert len(err) == 1 and says in err[0], err
    assert not (tmp_path / "a.gif").exists()


def test_another_programs_database_is_refused_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    for i, table in enumerate(("sessions (a, b)", "notes (a)")):
        other = tmp_path / ("other%d.sqlite" % i)
        con = sqlite3.connect(str(other))
        con.execute("CREATE TABLE " + table)
        con.commit()
        con.close()
        before = other.read_bytes()
        for argv in (["logs", "list"], ["logs", "show", "last"], ["logs", "pull", "--port", str(tmp_path / "no")]):
            assert cli.main([*argv, "--db", str(other)]) == 1
            err = capsys.readouterr().err.strip().splitlines()
            assert err == ["runwalk: %s is an SQLite database but not a runwalk session store; give --db another "
                           "file" % other], err
        assert other.read_bytes() == before


def test_session_selectors(filled: str) -> None:
    with db.Store(filled) as st:
        assert st.find("#2").number == st.find("2").number == st.find("LAST").number == st.find("b2-000001").number


@pytest.mark.parametrize("ref", ["99999999999999999999", "b2-99999999999999999999", "\u00b2", "0", "-1", "1-2"])
def test_odd_session_selectors_are_one_line(filled: str, ref: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["logs", "show", ref, "--db", filled]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("runwalk: no session"), err


def test_empty_log_has_no_segments() -> None:
    s = model.from_log(logfmt.MAGIC + logfmt.encode(logfmt.END, logfmt.END_INTERRUPTED, 0))
    assert s.segments == [] and s.end_reason == "interrupted"


def test_a_session_without_segments_is_shown_exported_and_plotted(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        st.add("000009.rwl", logfmt.MAGIC + logfmt.encode(logfmt.END, logfmt.END_INTERRUPTED, 0))
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main(["logs", "show", "last", "--db", path]) == 0
    for name in ("a.png", "a.svg"):  # the plot had no legend to draw: ValueError, and a stray temporary file
        assert cli.main(["logs", "plot", "last", "-o", str(out / name), "--db", path]) == 0
    for fmt in FORMATS:
        assert cli.main(["logs", "export", "last", "-o", str(out / ("a." + fmt)), "--db", path]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(["a.png", "a.svg"] + ["a." + f for f in FORMATS])


# -- --port auto -------------------------------------------------------------------------
# USB enumeration is the one thing the virtual band cannot stand in for: pyserial's port
# list is replaced by fixed entries shaped like its ListPortInfo.


class _Port:
    def __init__(self, device: str, vid: int | None, manufacturer: str | None = None) -> None:
        self.device, self.vid, self.manufacturer, self.product = device, vid, manufacturer, None


def test_port_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    import serial.tools.list_ports

    from host_tools.band import connection

    monkeypatch.delenv(connection.PORT_ENV, raising=False)
    ports: list[_Port] = [_Port("/dev/ttyS0", None), _Port("/dev/ttyUSB0", 0x0403, "FTDI")]
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda: ports)
    with pytest.raises(RunwalkError, match="no runwalk band found"):
        connection.resolve_port("auto")
    ports.append(_Port("/dev/ttyACM0", 0x2E8A))
    assert connection.resolve_port("auto") == "/dev/ttyACM0"
    assert connection.resolve_port("/dev/ttyS0") == "/dev/ttyS0"
    ports.append(_Port("/dev/ttyACM1", 0xF055, "MicroPython"))
    with pytest.raises(RunwalkError, match="several MicroPython boards found .*ttyACM0, /dev/ttyACM1"):
        connection.resolve_port(None)
    monkeypatch.setenv(connection.PORT_ENV, "/tmp/band")
    assert connection.resolve_port("auto") == "/tmp/band"


def test_a_stale_port_variable_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from host_tools.band import connection

    monkeypatch.setenv(connection.PORT_ENV, str(tmp_path / "band"))
    assert cli.main(["config", "show"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the port $RUNWALK_PORT names" in err[0] and "unset RUNWALK_PORT" in err[0], err
    assert cli.main(["config", "show", "--port", str(tmp_path / "other")]) == 1  # --port wins, and is named
    assert "RUNWALK_PORT" not in capsys.readouterr().err


def test_same_key_other_bytes_kept_both(tmp_path: Path) -> None:
    # A band whose numbering restarted (flash wiped): two sessions test-000001, neither lost.
    with db.Store(tmp_path / "s.sqlite") as st:
        a = st.add("000001.rwl", paused_log())
        b = st.add("000001.rwl", stopped_log())
        assert a.number != b.number and len(st.all()) == 2
        assert st.find(str(a.number)).raw == paused_log()


# -- damaged logs never crash the host tools ---------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_GOOD = paused_log()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_GOOD) - 1), st.integers(0, 255)), max_size=6),
       st.integers(4, len(_GOOD)))
def test_any_damage_is_decoded_and_exported(flips: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(_GOOD)
    for i, v in flips:
        data[i] = v
    s = model.from_log(bytes(data[:cut]))
    start = s.started or dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    json.loads(export_json.render(s))
    export_tcx.render(s, start)
    _fit_messages(export_fit.render(s, start))


@pytest.mark.parametrize("header", [
    {"seq": "x", "uid": 5, "start": 1e300, "name": ["x"], "steps": "none", "warn_s": "5", "fw": 1},
    {"start": -5, "steps": [{"repeat": 2}]},
    {},
])
def test_odd_headers(header: dict) -> None:
    data = logfmt.MAGIC + logfmt.header_bytes(header) + logfmt.encode(logfmt.SEG, 1, 0) + logfmt.encode(
        logfmt.END, logfmt.END_STOPPED, 5000)
    s = model.from_log(bytes(data), fallback_seq=3, fallback_uid="band")
    assert s.id == "band-000003" and s.segments[0].kind == "run" and s.segments[0].label is None
    assert s.end_reason == "stopped" and s.started is None
    export_fit.render(s, dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))


def test_deploy_targets_the_bands_own_bytecode() -> None:
    from host_tools.commands import deploy as cmd_deploy

    # sys.implementation._mpy of the unix port on x64, an RP2040, an ESP32-C3 and a pre-6 firmware.
    assert cmd_deploy.mpy_target(2822) == (6, "x64")
    assert cmd_deploy.mpy_target(6 | 3 << 8 | 4 << 10) == (6, "armv6m")
    assert cmd_deploy.mpy_target(6 | 3 << 8 | 11 << 10) == (6, "rv32imc")
    assert cmd_deploy.mpy_target(5 | 3 << 10)[0] == 5
    assert cmd_deploy.guess_board("rp2", "Raspberry Pi Pico with RP2040") == "pico"
    assert cmd_deploy.guess_board("esp32", "XIAO ESP32C3 with ESP32-C3") == "xiao_esp32c3"
    assert cmd_deploy.guess_board("esp32", "Generic ESP32S3 module with ESP32S3") is None
    assert cmd_deploy.guess_board("linux", "linux [GCC 14.2.1] version") == "sim"


def test_reading_commands_never_create_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new" / "s.sqlite"
    assert cli.main(["logs", "list", "--db", str(path)]) == 0
    assert "No sessions stored yet" in capsys.readouterr().out
    assert cli.main(["logs", "show", "last", "--db", str(path)]) == 1
    assert cli.main(["logs", "export", "1", "-o", str(tmp_path / "x.json"), "--db", str(path)]) == 1
    assert not (tmp_path / "new").exists() and not (tmp_path / "x.json").exists()
    # A pull that fails (no band) leaves neither a store nor the directories it made for one.
    deep = tmp_path / "new" / "runwalk" / "s.sqlite"
    assert cli.main(["logs", "pull", "--db", str(deep), "--port", str(tmp_path / "no-band")]) == 1
    assert list(tmp_path.iterdir()) == []
