"""Headless scripted sessions on the virtual wristband, checked from the trace and the log (design 4.4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runwalk import logfmt, logread
from simtools import Headless, SimBand, click, long_press, run_headless

BUTTON = {"long_ms": 1500, "double_ms": 400}


def config(steps: list[dict[str, Any]], warn_s: int = 5, name: str = "test") -> dict[str, Any]:
    return {"schema": 1, "name": name, "steps": steps, "warn_s": warn_s, "intensity": 80, "button": BUTTON}


def motor_edges(run: Headless) -> list[tuple[int, bool]]:
    return [(e["t"], e["on"]) for e in run.of("motor")]


def pattern_at(edges: list[tuple[int, bool]], t: int, span: int = 3000) -> tuple[int, ...]:
    """The cue starting at t as on/off durations (ms), from the motor edges in [t, t + span)."""
    ts = [e for e in edges if t <= e[0] < t + span]
    assert ts and ts[0] == (t, True), f"no cue starts at {t}: {ts[:3]}"
    return tuple(b[0] - a[0] for a, b in zip(ts, ts[1:], strict=False))


def the_log(image: Path, seq: int = 1) -> dict[str, Any]:
    from host_tools.sim import flash

    return logread.decode(flash.read_file(image, f"logs/{seq:06d}.rwl"))


def test_six_hours_of_15s_15s_every_cue_on_time(tmp_path: Path) -> None:
    image = tmp_path / "band.img"
    steps = [{"repeat": 720, "steps": [{"kind": "run", "s": 15}, {"kind": "walk", "s": 15}]}]
    run = run_headless(image, click(1000), config=config(steps, name="6 hours"))
    assert run.returncode == 0, run.stderr
    assert all(isinstance(e["t"], int) for e in run.events)
    t0 = run.of("session")[0]["t"]
    segs = run.of("segment")
    assert len(segs) == 1440
    edges = motor_edges(run)
    ons = [t for t, on in edges if on]
    patterns: dict[str, set[tuple[int, ...]]] = {"run": set(), "walk": set()}
    for i, s in enumerate(segs):
        deadline = t0 + 15000 * i
        assert abs(s["t"] - deadline) <= 10, f"segment {i} began at {s['t']}, due {deadline}"
        if i == 0:
            continue  # the first segment's cue follows the start cue
        cue = min(t for t in ons if t >= deadline)
        assert cue - deadline <= 10, f"segment {i}: cue at {cue}, due {deadline}"
        patterns[s["kind"]].add(pattern_at(edges, cue))
    # Every run start feels the same, every walk start too, and they differ.
    assert len(patterns["run"]) == 1 and len(patterns["walk"]) == 1
    assert patterns["run"] != patterns["walk"]
    end = run.of("session")[-1]
    assert end["what"] == "end" and end["completed"] is True and end["t"] - t0 == 6 * 3600 * 1000
    # The log on the flash says the same as the trace.
    log = the_log(image)
    assert log["end"] == logfmt.END_COMPLETED and log["end_ms"] == 6 * 3600 * 1000
    assert [s[1] for s in log["segments"]] == [s["t"] - t0 for s in segs]
    assert [("walk", "run")[s[0]] for s in log["segments"]] == [s["kind"] for s in segs]


def test_pause_resume_shifts_the_rest_and_long_press_saves(tmp_path: Path) -> None:
    image = tmp_path / "band.img"
    steps = [{"kind": "run", "s": 60}, {"kind": "walk", "s": 60}, {"kind": "run", "s": 60}]
    script = click(1000) + click(21000) + click(51000) + long_press(100000)
    run = run_headless(image, script, config=config(steps))
    assert run.returncode == 0, run.stderr
    t0 = 1100  # a click starts the session at its release
    sess = run.of("session")
    assert [(e["what"], e["t"]) for e in sess[:1]] == [("start", t0)]
    pause = [e for e in sess if e["what"] == "pause"]
    resume = [e for e in sess if e["what"] == "resume"]
    assert len(pause) == 1 and len(resume) == 1
    # Paused from the first click's release (21100) to the second's (51100): 30 s.
    segs = run.of("segment")
    assert [s["t"] for s in segs] == [t0, t0 + 60000 + 30000]
    # A click is known double_ms after its release; its cue is still felt whole.
    edges = motor_edges(run)
    assert pattern_at(edges, pause[0]["t"]) == (700, 250, 150)
    assert pattern_at(edges, resume[0]["t"]) == (150, 250, 700)
    # The long press ends and saves the session when it reaches long_ms, with the done cue.
    end = sess[-1]
    assert end["what"] == "end" and end["completed"] is False and end["reason"] == "stopped"
    assert end["t"] == 100000 + BUTTON["long_ms"]
    assert pattern_at(motor_edges(run), end["t"]) == (600, 300, 600, 300, 600)
    log = the_log(image)
    assert log["end"] == logfmt.END_STOPPED and log["end_ms"] == end["t"] - t0
    assert log["pauses"] == [[20000, 50000]]
    assert [s[1:3] for s in log["segments"]] == [[0, 90000], [90000, end["t"] - t0]]


def test_battery_wakes_only_for_edges_and_deadlines(tmp_path: Path) -> None:
    image = tmp_path / "band.img"
    steps = [{"repeat": 2, "steps": [{"kind": "run", "s": 20}, {"kind": "walk", "s": 10}]}]
    hour = 3600 * 1000
    script = click(1000) + click(15000) + click(25000) + long_press(2 * hour)
    run = run_headless(image, script, config=config(steps, warn_s=3), extra=("--battery",))
    assert run.returncode == 0, run.stderr
    evs = run.events
    sleep = None
    wakes = 0
    for i, e in enumerate(evs):
        if e["ev"] == "sleep":
            assert e.get("mode") == "light"
            sleep = e
        elif e["ev"] == "wake":
            wakes += 1
            assert sleep is not None
            here = [x["ev"] for x in evs[i + 1 :] if x["t"] == e["t"]]
            if e["reason"] == "timer":
                # Woken at the deadline it asked for, and something was due then.
                assert "ms" in sleep and e["t"] == sleep["t"] + sleep["ms"], (sleep, e)
                assert {"motor", "segment", "gesture", "session", "cue"} & set(here), (e, here)
            else:
                assert e["reason"] == "button"
                assert evs[i - 1]["ev"] == "button" and evs[i - 1]["t"] == e["t"]
    assert wakes > 20
    # Between the end of the session and the long press an hour later: no wake at all.
    end = run.of("session")[-1]["t"]
    idle = [e for e in evs if e["ev"] == "wake" and end + 3000 < e["t"] < 2 * hour]
    assert idle == []
    last_sleep_before = [e for e in evs if e["ev"] == "sleep" and e["t"] < 2 * hour][-1]
    assert "ms" not in last_sleep_before  # until the button


def test_power_cut_keeps_closed_sessions_and_closes_the_open_one(tmp_path: Path) -> None:
    steps = [{"repeat": 20, "steps": [{"kind": "run", "s": 10}, {"kind": "walk", "s": 10}]}]
    band = SimBand(tmp_path, speed=40)
    first = run_headless(band.image, click(500) + long_press(30000), config=config(steps))
    assert first.returncode == 0, first.stderr
    before = band.read_file("logs/000001.rwl")
    band.start()
    band.press("click")
    band.wait_event("segment", index=4, timeout=30)
    band.power_cut()
    traced = band.events("segment")
    t0 = band.events("session")[0]["t"]
    assert "000002.open" in band.list_dir("logs")
    # Power on again: the band closes the interrupted session at boot.
    run = run_headless(band.image, trace=tmp_path / "after.jsonl")
    assert run.returncode == 0, run.stderr
    assert band.read_file("logs/000001.rwl") == before
    names = band.list_dir("logs")
    assert "000002.rwl" in names and not [n for n in names if n.endswith(".open")]
    log = the_log(band.image, 2)
    assert log["end"] == logfmt.END_INTERRUPTED and not log["damage"]
    # Every segment the band announced had reached the flash.
    assert len(log["segments"]) >= len(traced) >= 5
    # Each at its deadline (real time at speed 40: the trace's `t` is when the band woke).
    assert [s[1] for s in log["segments"]] == [10000 * i for i in range(len(log["segments"]))]
    assert all(abs(e["t"] - t0 - 10000 * e["index"]) < 2000 for e in traced)


def test_tick_wrap_during_a_session(tmp_path: Path) -> None:
    steps = [{"repeat": 3, "steps": [{"kind": "run", "s": 15}, {"kind": "walk", "s": 15}]}]
    run = run_headless(tmp_path / "band.img", click(1000), config=config(steps), extra=("--wrap-after", "20000"))
    assert run.returncode == 0, run.stderr
    t0 = 1100
    assert [s["t"] - t0 for s in run.of("segment")] == [15000 * i for i in range(6)]
    assert run.of("session")[-1]["completed"] is True


def test_headless_run_left_in_an_open_segment_ends_it_days_on_as_a_band_does(tmp_path: Path) -> None:
    # It exited 3 ("waits for the button"): a band waited for good, and its log's times wrapped.
    run = run_headless(tmp_path / "band.img", click(1000), config=config([{"kind": "run", "s": None}]))
    assert run.returncode == 0, run.stderr
    end = run.of("session")[-1]
    assert end["what"] == "end" and end["reason"] == "stopped"
    assert end["t"] - run.of("segment")[0]["t"] == 3 * 86400000


def test_bad_script_is_one_clear_error(tmp_path: Path) -> None:
    run = run_headless(tmp_path / "band.img", "100 down\n50 press\n")
    assert run.returncode != 0
    assert run.stderr.strip().splitlines() == ["runwalk: " + str(tmp_path / "band.script") + " line 2: expected "
                                              "'<ms> down' or '<ms> up', got '50 press'"]
    assert not (tmp_path / "band.img").exists()


def test_timeline_tells_segments_and_cues(tmp_path: Path) -> None:
    from host_tools.sim import timeline

    steps = [{"kind": "walk", "s": 30, "label": "warmup"}, {"kind": "run", "s": 20}]
    run = run_headless(tmp_path / "band.img", click(1000), config=config(steps))
    assert run.returncode == 0, run.stderr
    text = "\n".join(timeline.describe(run.events))
    assert "segment 1: walk (warmup)" in text and "0:30.0  segment 2: run" in text
    assert "cue run     400 _200_ 400" in text and "cue walk    900" in text
    assert "0:50.0  session completed" in text


def test_small_flash_images(tmp_path: Path) -> None:
    from host_tools.sim import flash

    # The firmware as source does not fit in 64 KB: one clear error, no image left behind.
    small = tmp_path / "small.img"
    run = run_headless(small, extra=("--flash-size", "64k"))
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1].startswith("runwalk sim: the band did not boot")
    assert "--flash-size" in run.stderr and not small.exists()
    # As .mpy (what a deploy puts there) it takes a third of that: 192 KB hold it and sessions.
    image = tmp_path / "band.img"
    run = run_headless(image, click(1000) + long_press(20000), extra=("--flash-size", "192k", "--mpy"))
    assert run.returncode == 0, run.stderr
    assert image.stat().st_size == 192 * 1024
    assert "app.mpy" in flash.list_dir(image, "lib/runwalk")
    assert the_log(image)["end"] == logfmt.END_STOPPED


def test_one_image_one_band(make_band: Any, tmp_path: Path) -> None:
    band = make_band().start()
    run = run_headless(band.image)
    assert run.returncode == 1
    assert run.stderr.strip() == (f"runwalk: {band.image} is in use by another runwalk sim (one flash, one band): "
                                  "stop that sim first, or give --flash a copy of the image or another one")
    band.stop()
    assert run_headless(band.image).returncode == 0
