"""Names and labels in any language, from the laptop through the band and back.

The broad property runs at the level of the MicroPython process: one `micropython`
(the virtual band's interpreter) reads many generated config.json files written by the
host, validates them with the firmware's validator and writes a session log with the
firmware's log writer; the host then reads every log and lists, shows, plots and exports
it. A few examples go the whole way through a virtual band (`runwalk sim`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import fitdecode
import pytest
import validtext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runwalk import logfmt
from runwalk import workout as wk

from host_tools import bandtext
from host_tools.commands import cli
from host_tools.exports import csv as export_csv
from host_tools.exports import fit as export_fit
from host_tools.exports import json as export_json
from host_tools.exports import plot as export_plot
from host_tools.exports import tcx as export_tcx
from host_tools.sim.live import Live
from host_tools.store import db, model
from host_tools.training import workouts

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "firmware" / "lib"
MICROPYTHON = Path(sys.executable).parent / "micropython"
TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"

# What the band does with a config.json and a session, with its own modules: validate,
# then write the log header and one record per segment as the app does.
BAND = """
import sys, os
sys.path.insert(0, %r)
from runwalk import workout, logfmt, loghead
d = sys.argv[1]
for n in sorted(os.listdir(d)):
    if not n.endswith(".json"):
        continue
    stem = n[:-5]
    f = open(d + "/" + n, "rb")
    data = f.read()
    f.close()
    try:
        w = workout.loads(data)
    except workout.ConfigError as e:
        f = open(d + "/" + stem + ".err", "w")
        f.write(str(e))
        f.close()
        continue
    f = open(d + "/" + stem + ".rwl", "wb")
    wr = logfmt.Writer(f, 0, lambda a, b: a - b)
    loghead.write(wr, {"seq": int(stem), "uid": "unicode", "start": 1700000000, "name": w.name, "steps": w.steps,
                       "warn_s": w.warn_s, "fw": "test"}, None)
    t = 0
    for i in range(len(w)):
        wr.record(logfmt.SEG, w.kind(i), t)
        ms = w.dur_ms(i)
        t += 1000 if ms is None else ms
    wr.record(logfmt.END, logfmt.END_COMPLETED, t)
    wr.close()
""" % str(LIB)

# All of Unicode but what the validator refuses (tests/validtext.py).
NAMES = validtext.text(min_size=1, max_size=wk.MAX_NAME)
LABELS = st.one_of(st.none(), validtext.text(min_size=1, max_size=wk.MAX_LABEL))


@st.composite
def configs(draw: Any) -> dict[str, Any]:
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        step: dict[str, Any] = {"kind": draw(st.sampled_from(wk.KINDS)),
                                "s": draw(st.one_of(st.none(), st.integers(1, 600)))}
        label = draw(LABELS)
        if label is not None:
            step["label"] = label
        steps.append(step)
    return {"schema": 1, "name": draw(NAMES), "steps": steps}


def band_run(tmp: Path, cfgs: list[bytes]) -> dict[int, bytes | str]:
    """Every config through one MicroPython process: the log it wrote, or the validator's message."""
    tmp.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(cfgs, start=1):
        (tmp / ("%03d.json" % i)).write_bytes(data)
    script = tmp / "band.py"
    script.write_text(BAND)
    p = subprocess.run([str(MICROPYTHON), str(script), str(tmp)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    out: dict[int, bytes | str] = {}
    for i in range(1, len(cfgs) + 1):
        log, err = tmp / ("%03d.rwl" % i), tmp / ("%03d.err" % i)
        out[i] = log.read_bytes() if log.exists() else err.read_text(encoding="utf-8")
    return out


def labels_of(cfg: dict[str, Any]) -> list[str | None]:
    return [s.get("label") or None for s in cfg["steps"]]


def check_views_and_exports(s: model.Session, cfg: dict[str, Any]) -> None:
    """Every export of the session is valid in its format and carries the name and labels."""
    name, labels = cfg["name"], labels_of(cfg)
    doc = json.loads(export_json.render(s))
    assert doc["config_name"] == name
    assert [g["label"] for g in doc["segments"]] == labels

    rows = list(csv.DictReader(io.StringIO(export_csv.render(s).decode("utf-8"), newline="")))
    assert [r["label"] or None for r in rows] == labels

    start = s.started
    assert start is not None
    root = ET.fromstring(export_tcx.render(s, start))  # well-formed XML, whatever the script
    act = root.find(TCX + "Activities/" + TCX + "Activity")
    assert act is not None
    assert act.findtext(TCX + "Notes") == export_tcx.xml_text(name)
    for lap, label in zip(act.findall(TCX + "Lap"), labels, strict=True):
        assert (export_tcx.xml_text(label) in lap.findtext(TCX + "Notes", "")) if label else True

    with fitdecode.FitReader(io.BytesIO(export_fit.render(s, start))) as reader:  # CRCs checked
        msgs = [f for f in reader if isinstance(f, fitdecode.FitDataMessage)]
    assert [m.get_value("wkt_name") for m in msgs if m.name == "workout"] == [export_fit.fit_string(name)]
    assert sum(1 for m in msgs if m.name == "lap") == len(labels)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = export_plot.render(s, "png")
    assert png.startswith(b"\x89PNG")
    assert not caught, [str(w.message) for w in caught]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(configs(), min_size=10, max_size=10))
def test_any_text_goes_through_the_band_and_every_view_and_export(tmp_path_factory: pytest.TempPathFactory,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  cfgs: list[dict[str, Any]]) -> None:
    tmp = tmp_path_factory.mktemp("band")
    data = [workouts.to_bytes(c) for c in cfgs]
    # UTF-8, not \u escapes the band's json would split (a text's own backslash before a u is no escape)
    assert not any(re.search(rb"(?<!\\)(?:\\\\)*\\u", d) for d in data)
    got = band_run(tmp, data)
    store = db.Store(tmp / "s.sqlite")
    for i, cfg in enumerate(cfgs, start=1):
        log = got[i]
        assert isinstance(log, bytes), "the band refused %r: %s" % (cfg, log)
        s = store.add("%06d.rwl" % i, log).session()
        assert s.damage == []
        assert s.config_name == cfg["name"]  # exactly the runner's text, astral planes too
        assert [g.label for g in s.segments] == labels_of(cfg)
        check_views_and_exports(s, cfg)
    store.close()
    capsys.readouterr()
    assert cli.main(["logs", "list", "--db", str(tmp / "s.sqlite")]) == 0
    # Each session's row ends in its status: a name may read "completed" too (hypothesis found one).
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    status = {r[1]: r[-1] for r in rows if len(r) > 2 and r[0].isascii() and r[0].isdigit()}
    assert status == {"unicode-%06d" % i: "completed" for i in range(1, len(cfgs) + 1)}
    for i, cfg in enumerate(cfgs, start=1):
        assert cli.main(["logs", "show", "unicode-%06d" % i, "--db", str(tmp / "s.sqlite")]) == 0
        out = capsys.readouterr().out
        assert "  workout:   %s\n" % cfg["name"] in out
        assert all(label in out for label in labels_of(cfg) if label)


HIDDEN = "%s: must be text without control, hidden or direction-changing characters or lone surrogates"
REFUSED = [
    ('"Zebra \\ud83e run"', None, HIDDEN % "name"),
    ('"x"', '"tab\\there"', HIDDEN % "steps[0].label"),
    ('"bell\\u0007"', None, HIDDEN % "name"),
    ('"x"', '"\\udc00"', HIDDEN % "steps[0].label"),
    ('"x"', '"C1 \\u0085"', HIDDEN % "steps[0].label"),
    # What does not show, or turns the text around it: a copied config.json is refused by the band as by the host.
    ('"evil \\u202egnp.exe"', None, HIDDEN % "name"),
    ('"x"', '"zero\\u200bwidth"', HIDDEN % "steps[0].label"),
    ('"\\ufeffBOM name"', None, HIDDEN % "name"),
    ('"x"', '"isolate \\u2066x\\u2069"', HIDDEN % "steps[0].label"),
    ('"soft\\u00adhyphen"', None, HIDDEN % "name"),
    ('"x"', '"line\\u2028break"', HIDDEN % "steps[0].label"),
    ('"\\u3164"', None, HIDDEN % "name"),  # a Hangul filler: looks blank
]


def test_the_band_and_the_laptop_refuse_the_same_text_the_same_way(tmp_path: Path) -> None:
    texts = []
    for name, label, _ in REFUSED:
        step = '{"kind": "run", "s": 30%s}' % (', "label": ' + label if label else "")
        texts.append(('{"schema": 1, "name": %s, "steps": [%s]}' % (name, step)).encode())
    got = band_run(tmp_path, texts)
    for i, (text, (_, _, why)) in enumerate(zip(texts, REFUSED, strict=True), start=1):
        with pytest.raises(wk.ConfigError) as e:
            wk.loads(text)
        assert str(e.value).startswith(why)
        assert isinstance(got[i], str) and got[i].startswith(why), got[i]


def test_a_name_pushed_from_the_command_line_is_utf8_in_config_json() -> None:
    cfg = workouts.from_ratio(30, 30, name="Zebra 🦓 run")
    data = workouts.to_bytes(cfg)
    assert "Zebra 🦓 run".encode() in data and b"\\u" not in data


def test_a_config_file_with_an_escaped_emoji_reaches_the_band_as_the_emoji(tmp_path: Path) -> None:
    # Another tool's json.dumps escapes the emoji; pushed as it was, the band would read two lone surrogates.
    src = tmp_path / "mine.json"
    src.write_text(json.dumps({"schema": 1, "name": "Zebra 🦓 run", "steps": [
        {"kind": "run", "s": 30, "label": "\\ud83e\\udd93 \U0001f993"}]}))
    data, _cfg, w = workouts.load_file(str(src))
    assert w.name == "Zebra 🦓 run" and "🦓".encode() in data
    log = band_run(tmp_path / "band", [data])[1]
    assert isinstance(log, bytes), log
    s = model.from_log(log)
    assert s.config_name == "Zebra 🦓 run"
    assert s.segments[0].label == "\\ud83e\\udd93 \U0001f993"


def old_firmware_log(name: bytes, label: bytes) -> bytes:
    """A log as older firmware wrote it for a config.json with escaped emoji: CESU-8 in the header."""
    header = (b'{"seq": 1, "uid": "old", "start": 1700000000, "name": "' + name + b'", "steps": [{"kind": "run", '
              b'"s": 30, "label": "' + label + b'"}], "warn_s": 5, "fw": "0.9"}')
    return (logfmt.MAGIC + logfmt.encode(logfmt.HEADER, 0, 0, header) + logfmt.encode(logfmt.SEG, 1, 0)
            + logfmt.encode(logfmt.END, logfmt.END_COMPLETED, 30000))


ZEBRA_CESU = "Zebra \ud83e\udd93 run".encode("utf-8", "surrogatepass")  # ED A0 BE ED B6 93: what such a band wrote


def test_logs_from_older_firmware_with_surrogates_read_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                               ) -> None:
    lone = "lone \udc00 one".encode("utf-8", "surrogatepass")
    s = model.from_log(old_firmware_log(ZEBRA_CESU, lone))
    assert s.config_name == "Zebra 🦓 run"  # the pair joined into the character it stood for
    assert s.segments[0].label == "lone \ufffd one"
    assert s.damage == []
    ET.fromstring(export_tcx.render(s, s.started))  # type: ignore[arg-type]
    store = tmp_path / "s.sqlite"
    with db.Store(store) as st_:
        st_.add("000001.rwl", old_firmware_log(ZEBRA_CESU, lone))
    for args in (["logs", "list"], ["logs", "show", "1"], ["logs", "plot", "1", "-o", str(tmp_path / "p.png")],
                 ["logs", "export", "1", "-o", str(tmp_path / "x.tcx")]):
        assert cli.main([*args, "--db", str(store)]) == 0
    assert "Zebra 🦓 run" in capsys.readouterr().out
    ET.parse(tmp_path / "x.tcx")


def test_a_header_with_bytes_that_are_no_text_is_read_as_far_as_it_goes() -> None:
    s = model.from_log(old_firmware_log(b"bad \xff byte", b"ok"))
    assert s.config_name == "bad \ufffd byte" and s.segments[0].label == "ok"
    assert s.started is not None and s.damage == ["the header holds bytes that are not text (shown as \ufffd)"]


def test_the_sim_live_lines_print_what_older_firmware_traced(tmp_path: Path) -> None:
    trace = tmp_path / "t.jsonl"
    trace.write_bytes(b'{"t": 5, "ev": "ready", "workout": "' + ZEBRA_CESU + b'", "segments": 3}\n'
                      b'{"t": 9, "ev": "segment", "index": 0, "kind": "run", "label": "a\xed\xb0\x80b"}\n')
    lines = Live(trace).lines()
    assert [line.strip().split("  ", 1)[1] for line in lines] == ["ready: Zebra 🦓 run, 3 segments",
                                                                  "segment 1: run (a\ufffdb)"]
    for line in lines:
        line.encode("utf-8")  # printable: no lone surrogate left


def test_band_text_decoding() -> None:
    assert bandtext.decode(ZEBRA_CESU + b" \xff") == "Zebra 🦓 run \ufffd"
    assert bandtext.clean("a\x00b\ud800") == "a\ufffdb\ufffd"
    assert bandtext.clean("\u2028 ok \u200d") == "\u2028 ok \u200d"  # not control characters: kept


def test_tcx_and_fit_take_the_text_xml_and_fit_cannot_carry() -> None:
    assert export_tcx.xml_text("a\uffffb\ufffe\U0001f993") == "a\ufffdb\ufffd\U0001f993"
    assert export_fit.fit_string("ab🦓", 5) == "ab"  # the emoji's 4 bytes do not fit: cut before it
    assert export_fit.fit_string("ab🦓", 6) == "ab🦓"
    assert len(export_fit.fit_string("🦓" * 100).encode()) <= export_fit.MAX_STRING_BYTES


# -- the whole way, on a virtual band --------------------------------------------------

WHOLE_WAY = [
    # The issue's own example: a name from the command line.
    (["30s:30s", "--name", "Zebra 🦓 run", "--repeats", "1", "--warmup", "0", "--cooldown", "0"], "Zebra 🦓 run",
     [None, None]),
    # Labels in other scripts from a file: a ZWJ emoji sequence, right-to-left text, an astral CJK ideograph.
    ({"schema": 1, "name": "Ελληνικά 中文 עברית 🏃‍♀️", "steps": [
        {"kind": "run", "s": 20, "label": "hill 30s 𠀋"}, {"kind": "walk", "s": 20, "label": "मार्ग $x$ <&>"}]},
     "Ελληνικά 中文 עברית 🏃‍♀️", ["hill 30s 𠀋", "मार्ग $x$ <&>"]),
]


@pytest.mark.parametrize("push, name, labels", WHOLE_WAY, ids=["name", "labels"])
def test_text_in_any_script_the_whole_way_through_a_virtual_band(tmp_path: Path, push: Any, name: str,
                                                                  labels: list[str | None]) -> None:
    import time

    from simtools import SimBand, rw

    band = SimBand(tmp_path, speed=50).start()
    try:
        if isinstance(push, dict):
            (tmp_path / "w.json").write_text(json.dumps(push, ensure_ascii=False), encoding="utf-8")
            push = ["--file", str(tmp_path / "w.json")]
        n = len(band.events())
        r = rw("config", "push", *push, "--port", band.port)
        assert r.returncode == 0, r.stderr
        assert band.wait_event("ready", since=n, timeout=20)["workout"] == name  # the band read it as one text
        n = len(band.events())
        band.press("click")
        band.wait_event("session", since=n, timeout=60, what="end")
        end = time.monotonic() + 60  # generous: a loaded CI host runs the band slower
        while not any(e["ev"] == "sleep" and "ms" not in e for e in band.events(since=n)[-3:]):
            assert time.monotonic() < end, "the band never went idle"
            time.sleep(0.05)
        db_ = str(tmp_path / "s.sqlite")
        r = rw("logs", "pull", "--port", band.port, "--db", db_)
        assert r.returncode == 0 and name in r.stdout, r.stderr
    finally:
        band.stop()
    r = rw("logs", "list", "--db", db_)
    assert r.returncode == 0 and "completed" in r.stdout, r.stderr
    r = rw("logs", "show", "last", "--db", db_)
    assert r.returncode == 0 and "workout:   %s\n" % name in r.stdout, r.stderr
    assert all(label in r.stdout for label in labels if label)
    for fmt in ("json", "csv", "tcx", "fit"):
        r = rw("logs", "export", "last", "-o", str(tmp_path / ("s." + fmt)), "--db", db_)
        assert r.returncode == 0 and r.stderr == "", r.stderr
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["config_name"] == name
    rows = list(csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8"), newline="")))
    assert [row["label"] or None for row in rows] == labels
    notes = [e.text for e in ET.parse(tmp_path / "s.tcx").getroot().iter(TCX + "Notes")]
    assert notes[-1] == name and all(any(label in (t or "") for t in notes) for label in labels if label)
    with fitdecode.FitReader(str(tmp_path / "s.fit")) as reader:
        wkt = [f.get_value("wkt_name") for f in reader if isinstance(f, fitdecode.FitDataMessage)
               and f.name == "workout"]
    assert wkt == [name]
    r = rw("logs", "plot", "last", "-o", str(tmp_path / "s.svg"), "--db", db_)
    assert r.returncode == 0 and r.stderr == "", r.stderr  # no traceback, no warning per missing glyph


def test_a_console_without_the_characters_shows_question_marks(tmp_path: Path) -> None:
    import os

    store = tmp_path / "s.sqlite"
    with db.Store(store) as st_:
        st_.add("000001.rwl", old_firmware_log(ZEBRA_CESU, "घाटी".encode()))
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}  # a console in ASCII (or cp1252 on Windows)
    for args in (["logs", "list"], ["logs", "show", "1"]):
        r = subprocess.run([str(Path(sys.executable).parent / "runwalk"), *args, "--db", str(store)],
                           capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 0 and "Zebra ? run" in r.stdout and r.stderr == "", r.stderr


def test_a_plan_with_names_in_any_script_runs_on_a_virtual_band(tmp_path: Path) -> None:
    from simtools import SimBand, rw

    first = {"schema": 1, "name": "Semaine 1 🏃 一", "steps": [{"kind": "run", "s": 30, "label": "côte 30s 𠀋"}]}
    plan = {"schema": 1, "id": "unicode", "name": "Plan ✨", "per_week": 1, "workouts": [first],
            "sessions": [{"workout": 0, "week": 1}]}
    src = tmp_path / "plan.json"
    src.write_text(json.dumps(plan), encoding="utf-8")  # escaped: the host writes it to the band as UTF-8
    band = SimBand(tmp_path, speed=50).start()
    try:
        n = len(band.events())
        r = rw("plan", "push", str(src), "--port", band.port)
        assert r.returncode == 0, r.stderr
        assert band.wait_event("ready", since=n, timeout=20)["workout"] == "Semaine 1 🏃 一"
        assert b"\\u" not in band.read_file("plan.json")
    finally:
        band.stop()


def test_a_sim_config_named_in_emoji_is_the_bands_workout(tmp_path: Path) -> None:
    # Before: the sim handed --config to the band inside a JSON file of its own that escaped the
    # emoji, MicroPython's json read two lone surrogates, and the band refused the workout.
    from simtools import run_headless

    text = json.dumps({"schema": 1, "name": "Zebra 🦓 run", "steps": [
        {"kind": "run", "s": 20, "label": "hügel 𠀋"}]}, ensure_ascii=False)
    run = run_headless(tmp_path / "band.img", [(1000, "down"), (1120, "up")], config=text)
    assert run.returncode == 0, run.stderr
    ready = run.of("ready")
    assert ready[0]["workout"] == "Zebra 🦓 run" and ready[0]["error"] is None
    assert [e["label"] for e in run.of("segment")] == ["hügel 𠀋"]
