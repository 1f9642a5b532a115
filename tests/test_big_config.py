"""The largest valid workout on the virtual band (issue 11 §2): a config.json of about
30 KB (465 labelled steps; the limit is 32 KB) starts and records a log the host
reads whole, with every label, on a 64 KB heap with the firmware as .mpy. Decoded
into JSON objects that config takes about 78 KB of the sim's 64-bit heap; the band
reads it as it streams (runwalk.cfgstream) into records of a few bytes a step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from runwalk import logfmt, logread
from runwalk import workout as wk
from simtools import click, long_press, run_headless

from host_tools.sim import flash


def big_config() -> bytes:
    steps = []
    text = b""
    while True:
        i = len(steps)
        steps.append({"kind": wk.KINDS[i % 2], "s": 60 + i, "label": ("step %d " % i).ljust(24, "x")})
        t = json.dumps({"schema": 1, "name": "Big", "warn_s": 0, "steps": steps}).encode()
        if len(t) > 30_000:
            return text
        text = t


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A band with the firmware as .mpy and the big config.json (put straight on its flash)."""
    img = tmp_path_factory.mktemp("big") / "band.img"
    r = run_headless(img, [], extra=("--mpy",))
    assert r.returncode == 0, r.stderr
    fs = flash.open_image(img)
    with fs.open("config.json", "wb") as f:
        f.write(big_config())
    fs.unmount()
    img.write_bytes(bytes(fs.context.buffer))
    return img


def test_the_largest_workout_starts_and_records_whole_on_a_64k_heap(image: Path, tmp_path: Path) -> None:
    img = tmp_path / "band.img"
    img.write_bytes(image.read_bytes())
    r = run_headless(img, [*click(1000), *long_press(700_000)], extra=("--heap", "64k", "--mpy"))
    assert r.returncode == 0, r.stderr
    ready = r.of("ready")[0]
    assert ready["workout"] == "Big" and ready["error"] is None, ready["error"]
    w = wk.loads(big_config())
    assert len(big_config()) > 29_000 and len(w) == ready["segments"] > 450
    assert r.of("log_error") == []
    d = logread.decode(flash.read_file(img, "logs/000001.rwl"))
    assert d["damage"] == [] and d["end"] == logfmt.END_STOPPED
    h = d["header"]
    assert h["name"] == "Big"
    got = wk.validate({"schema": 1, "name": h["name"], "steps": h["steps"]})
    assert [got.label(i) for i in range(len(got))] == [w.label(i) for i in range(len(w))]
    assert [got.dur_ms(i) for i in range(len(got))] == [w.dur_ms(i) for i in range(len(w))]
    # The 11:40 it ran: segments 0 to 10 (60 s, 61 s, ...), each traced with its label.
    segs = r.of("segment")
    assert len(d["segments"]) > 5 and [s["label"] for s in segs[:3]] == [w.label(0), w.label(1), w.label(2)]
