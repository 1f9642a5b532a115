"""Training features end to end on the virtual wristband (`runwalk sim`): the real firmware
in MicroPython, set up and read back with the `runwalk` command and the unmodified mpremote.

Sessions are scripted button edges in virtual time (headless `--script ... --until-idle`), so
a month of sessions takes seconds. A power cut is SIGKILL of the sim and its MicroPython child.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from runwalk import logfmt, logread
from simtools import MPREMOTE, RUNWALK, SimBand, run_headless

TIMEOUT = 120

Edges = list[tuple[int, str]]


def click(t: int) -> Edges:
    return [(t, "down"), (t + 80, "up")]  # the session starts at the release: t + 80


def double(t: int) -> Edges:
    """A double click that happens (second release) at t."""
    return [(t - 220, "down"), (t - 160, "up"), (t - 60, "down"), (t, "up")]


def long_press(t: int) -> Edges:
    return [(t, "down"), (t + 2000, "up")]


def rw(*args: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    return r


class Band:
    """One band: a flash image that outlives every sim run, as a board's flash does."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.image = SimBand(tmp).image
        self.db = tmp / "sessions.sqlite"

    def run(self, edges: Edges) -> list[dict[str, Any]]:
        """Power on, press the button as scripted, run until idle; the trace."""
        r = run_headless(self.image, sorted(edges), timeout=TIMEOUT)
        assert r.returncode == 0, r.stderr
        return r.events

    def run_and_cut(self, edges: Edges, until: Callable[[list[dict[str, Any]]], bool],
                    speed: int = 2000) -> list[dict[str, Any]]:
        """Run the script in fast virtual time and cut the power once until(trace) holds."""
        script = self.tmp / "cut.script"
        script.write_text("".join("%d %s\n" % e for e in sorted(edges)))
        band = SimBand(self.tmp, speed=speed, extra=("--script", str(script))).start(wait=False)
        try:
            deadline = time.monotonic() + TIMEOUT
            while not until(band.events()):
                assert band.running(), "the sim ended before the cut"
                assert time.monotonic() < deadline, "the band never got there"
                time.sleep(0.02)
        finally:
            band.power_cut()
        return band.events()

    @contextlib.contextmanager
    def served(self) -> Iterator[str]:
        """The band on a pty, for the runwalk command and mpremote; its port."""
        with SimBand(self.tmp, speed=100).start() as band:
            yield band.port

    def pulled_headers(self) -> list[tuple[dict, str]]:
        """(log header, end reason) of every stored session, in band order."""
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT seq, raw FROM sessions ORDER BY seq").fetchall()
        con.close()
        out = []
        for _, raw in rows:
            d = logread.decode(bytes(raw))
            out.append((d["header"], logfmt.END_NAMES[d["end"]]))
        return out


def segment_events(tr: list[dict]) -> list[tuple[int, str, str | None]]:
    return [(e["t"], e["kind"], e["label"]) for e in tr if e["ev"] == "segment"]


def ends(tr: list[dict]) -> list[str]:
    return [e["reason"] for e in tr if e["ev"] == "session" and e.get("what") == "end"]


# -- Magic Mile ----------------------------------------------------------------------------


def test_magic_mile_on_the_band_gives_the_mile_time_and_the_advice(tmp_path: Path) -> None:
    band = Band(tmp_path)
    with band.served() as port:
        said = rw("plan", "mile-test", "--strides", "2", "--push", "--port", port).stdout
    # The hint names every gesture this test makes, in the order it makes them.
    steps = said[said.index("On the band:"):].splitlines()[1:]
    assert [ln.split(".")[0].strip() for ln in steps] == ["1", "2", "3", "4", "5"]
    assert steps[0].endswith("click: the warm-up walk starts; it has no set end")
    assert "double-click when warmed up: 2 strides of 20 s" in steps[1]
    assert "ready walk" in steps[2] and steps[2].endswith("double-click as you start the mile")
    assert "double-click as you finish the mile" in steps[3] and "ends the session by itself" in steps[3]
    # Warm up 10 min, strides, then a double-click at 15:00 starts the mile and one at 25:00 ends it.
    mile_start, mile_end = 15 * 60_000, 25 * 60_000
    tr = band.run(click(5000) + double(605_000) + double(mile_start) + double(mile_end))
    segs = segment_events(tr)
    # The last stride's walk is the ready walk: no two walk cues in a row, and the walk with no end is it.
    assert [s[2] for s in segs] == ["warmup", "stride", "stride walk", "stride", "ready", "mile", "recovery"]
    assert segs[5] == (mile_start, "run", "mile") and segs[6] == (mile_end, "walk", "recovery")
    assert ends(tr) == ["completed"]
    with band.served() as port:
        rw("logs", "pull", "--port", port, "--db", str(band.db))
    out = tmp_path / "mm.json"
    rw("logs", "export", "last", "--format", "json", "-o", str(out), "--db", str(band.db))
    mile = [s for s in json.loads(out.read_text())["segments"] if s["label"] == "mile"][0]
    assert (mile["start_ms"], mile["end_ms"]) == (mile_start - 5080, mile_end - 5080)
    r = rw("plan", "magic-mile", "--from-session", "last", "--db", str(band.db))
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Magic Mile 10:00 (session ")
    table = {ln[:15].strip(): ln[15:].split() for ln in lines[3:9]}
    # The source's worked example: MM 10:00 -> 5K 10:33, 10K 11:30, half 12:00, marathon 13:00, long runs 15:00+
    assert table["5K"][:2] == ["10:33", "1m30s:30s"] and table["10K"][:2] == ["11:30", "1m:30s"]
    assert table["half marathon"][:2] == ["12:00", "1m:30s"] and table["marathon"][:2] == ["13:00", "30s:30s"]
    assert table["long runs"] == ["15:00", "or", "slower", "15s:30s", "chart", "row", "14:30-15:45"]
    assert "Long runs: 15s:30s" in r.stdout


# -- progression plan ---------------------------------------------------------------------


def sessions_at(starts: list[int]) -> Edges:
    edges: Edges = []
    for t in starts:
        edges += click(t)
    return edges


SPACING = 10 * 60_000  # every plan workout here lasts at most 6 minutes


def test_a_month_of_plan_sessions_moves_exactly_once_per_completed_session(tmp_path: Path) -> None:
    band = Band(tmp_path)
    with band.served() as port:
        r = rw("plan", "build", "--from", "30s:30s", "--to", "2:1", "--weeks", "4", "--per-week", "3",
               "--minutes", "5", "--warmup", "0", "--cooldown", "0", "--push", "--port", port)
        assert "(12 sessions)" in r.stdout
        show = rw("plan", "show", "--port", port).stdout
        assert "next is session 1 of 12 (week 1, session 1 of 3)" in show
    # Three completed sessions; then one ended early with a long press; then one completed.
    t = [5000 + i * SPACING for i in range(5)]
    tr = band.run(sessions_at(t) + long_press(t[3] + 60_000))
    assert ends(tr) == ["completed", "completed", "completed", "stopped", "completed"]
    # A completed session, then the power goes while the band idles.
    tr = band.run_and_cut(click(5000), lambda tr: ends(tr) == ["completed"] and tr[-1]["ev"] == "sleep")
    # A session cut by the power in its third segment: it never counts.
    # (speed 10: a segment lasts 3 real seconds, so a slow poll on a loaded machine still cuts inside it)
    tr = band.run_and_cut(click(5000), lambda tr: len(segment_events(tr)) >= 3, speed=10)
    assert ends(tr) == []
    # The rest of the month (7 sessions), and one more after the plan is done: config.json again.
    tr = band.run(sessions_at([5000 + i * SPACING for i in range(8)]))
    assert ends(tr) == ["completed"] * 8
    with band.served() as port:
        rw("logs", "pull", "--port", port, "--db", str(band.db))
        show = rw("plan", "show", "--port", port).stdout
        pos = json.loads(subprocess.run([MPREMOTE, "connect", port, "fs", "cat", ":plan.pos"], capture_output=True,
                                        text=True, timeout=60, check=True).stdout)
    got = [((h.get("plan") or {}).get("step"), h["name"], end) for h, end in band.pulled_headers()]
    assert [g[0] for g in got] == [0, 1, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, None]
    assert [g[2] for g in got] == (["completed"] * 3 + ["stopped"] + ["completed"] * 2 + ["interrupted"]
                                   + ["completed"] * 8)
    assert [g[1][:8] for g in got][:4] == ["Week 1/4"] * 3 + ["Week 2/4"]
    assert got[-2][1] == "Week 4/4 2m:1m" and got[-1][1] == "Galloway 4:1"
    assert pos["step"] == 12 and "finished (12 of 12 sessions done)" in show


def test_the_runner_can_count_a_session_ended_early(tmp_path: Path) -> None:
    band = Band(tmp_path)
    with band.served() as port:
        rw("plan", "build", "--from", "30s:30s", "--to", "1:1", "--weeks", "2", "--per-week", "1", "--minutes", "5",
           "--warmup", "0", "--cooldown", "0", "--push", "--port", port)
        assert "A plan is active" in rw("config", "show", "--port", port).stdout
    with band.served() as port:
        # Nothing run yet: advancing would skip session 1, never run.
        r = subprocess.run([RUNWALK, "plan", "advance", "--port", port], capture_output=True, text=True,
                           timeout=TIMEOUT)
        assert r.returncode == 1 and "session 1 of the plan has not been run yet" in r.stderr
    band.run(click(5000) + long_press(65_000))
    with band.served() as port:
        assert "next is session 1 of 2" in rw("plan", "show", "--port", port).stdout
        assert "Session 1 counted" in (said := rw("plan", "advance", "--port", port).stdout)
        assert "next is session 2 of 2" in said
    tr = band.run(click(5000))
    assert [e["workout"] for e in tr if e["ev"] == "ready"] == ["Week 2/2 1m:1m"]


def test_a_magic_mile_mid_plan_runs_once_then_the_plan_goes_on(tmp_path: Path) -> None:
    band = Band(tmp_path)
    with band.served() as port:
        rw("plan", "build", "--from", "30s:30s", "--to", "1:1", "--weeks", "2", "--per-week", "1", "--minutes", "5",
           "--warmup", "0", "--cooldown", "0", "--push", "--port", port)
        out = rw("plan", "mile-test", "--strides", "0", "--push", "--port", port).stdout
        assert "when it is done" in out and "the plan goes on" in out
        assert "First the workout pushed last" in rw("plan", "show", "--port", port).stdout
        assert "A plan is active" not in rw("config", "show", "--port", port).stdout  # the mile runs first
    # The Magic Mile (warm-up, mile 10:00, 5 min recovery), then the next session: the plan's first.
    tr = band.run(click(5000) + double(65_000) + double(665_000) + click(1_000_000))
    assert ends(tr) == ["completed", "completed"]
    assert [e["workout"] for e in tr if e["ev"] == "ready"] == ["Magic Mile"]
    assert [s[2] for s in segment_events(tr)][:3] == ["warmup", "mile", "recovery"]
    with band.served() as port:
        rw("logs", "pull", "--port", port, "--db", str(band.db))
        assert "next is session 2 of 2" in rw("plan", "show", "--port", port).stdout
    got = [((h.get("plan") or {}).get("step"), h["name"]) for h, _ in band.pulled_headers()]
    assert got == [(None, "Magic Mile"), (0, "Week 1/2 30s:30s")]
    r = rw("plan", "magic-mile", "--from-session", "1", "--db", str(band.db))
    assert r.stdout.startswith("Magic Mile 10:00 (session ")


PLAN_2 = ("plan", "build", "--from", "30s:30s", "--to", "1:1", "--weeks", "2", "--per-week", "1", "--minutes", "5",
          "--warmup", "0", "--cooldown", "0", "--push")
FIRST = "Week 1/2 30s:30s"


def one_off(kind: str, tmp: Path) -> tuple[list[str], Edges, str]:
    """A one-off workout of each kind: how it is pushed, the gestures that run it to its end, its end."""
    if kind == "free":  # it can only end by a long press: that end is done
        return ["config", "push", "--free"], click(5000) + double(65_000) + long_press(125_000), "stopped"
    if kind == "sprint":
        return (["config", "push", "--sprint", "10s", "--recover", "20s", "--repeats", "2", "--warmup", "0",
                 "--cooldown", "0"], click(5000), "completed")
    if kind == "mile test":  # warm-up, one stride, the ready walk, the mile, 5 min recovery
        return (["plan", "mile-test", "--strides", "1", "--push"],
                click(5000) + double(65_000) + double(125_000) + double(725_000), "completed")
    if kind == "icu":
        src = tmp / "Tempo.txt"
        src.write_text("- Walk 1m Z1\n- 2m Z2 Pace\n")
        return ["config", "push", "--file", str(src)], click(5000), "completed"
    assert kind == "timed"
    return ["config", "push", "30s:30s", "--repeats", "2", "--warmup", "0", "--cooldown", "0"], click(5000), "completed"


@pytest.mark.parametrize("kind", ["timed", "free", "sprint", "mile test", "icu"])
def test_a_one_off_mid_plan_runs_once_then_the_plan_goes_on(tmp_path: Path, kind: str) -> None:
    band = Band(tmp_path)
    push, gestures, end = one_off(kind, tmp_path)
    with band.served() as port:
        rw(*PLAN_2, "--port", port)
        said = rw(*push, "--port", port).stdout
        assert "this workout runs next, once" in said
        assert ("a long press ends the session, and for this workout that is its end" in said) == (
            kind in ("free", "mile test"))
    # The one-off, run to its end with the band's gestures; then a click later the next session.
    tr = band.run(gestures + click(1_800_000))
    assert ends(tr) == [end, "completed"]
    with band.served() as port:
        rw("logs", "pull", "--port", port, "--db", str(band.db))
        show = rw("plan", "show", "--port", port).stdout
    got = [((h.get("plan") or {}).get("step"), end) for h, end in band.pulled_headers()]
    names = [h["name"] for h, _ in band.pulled_headers()]
    assert got == [(None, end), (0, "completed")] and names[1] == FIRST, names
    assert "next is session 2 of 2" in show and "First the workout pushed last" not in show


def test_a_timed_one_off_ended_early_runs_again_until_advance_sets_it_aside(tmp_path: Path) -> None:
    band = Band(tmp_path)
    with band.served() as port:
        rw(*PLAN_2, "--port", port)
        rw("config", "push", "30s:30s", "--repeats", "2", "--warmup", "0", "--cooldown", "0", "--port", port)
    # Ended early (the README's rule: not done), so the next session is the one-off again, ended early too.
    tr = band.run(click(5000) + long_press(35_000) + click(60_000) + long_press(70_000))
    assert ends(tr) == ["stopped", "stopped"]
    with band.served() as port:
        assert "First the workout pushed last" in rw("plan", "show", "--port", port).stdout
        said = rw("plan", "advance", "--port", port).stdout
        assert "set aside" in said and "next is session 1 of 2" in said  # session 1 is not skipped
    tr = band.run(click(5000))
    assert [e["workout"] for e in tr if e["ev"] == "ready"] == [FIRST] and ends(tr) == ["completed"]
    with band.served() as port:
        rw("logs", "pull", "--port", port, "--db", str(band.db))
    got = [((h.get("plan") or {}).get("step"), end) for h, end in band.pulled_headers()]
    assert got == [(None, "stopped"), (None, "stopped"), (0, "completed")]


# -- free mode and sprints ----------------------------------------------------------------


def test_free_mode_logs_every_switch_at_the_click_time(tmp_path: Path) -> None:
    band = Band(tmp_path)
    with band.served() as port:
        rw("config", "push", "--free", "--port", port)
    switches = [65_000, 70_500, 431_000, 431_700, 1_800_000, 3_600_000]
    edges = click(5000)
    for t in switches:
        edges += double(t)
    tr = band.run(edges + long_press(3_700_000))
    assert segment_events(tr) == [(5080, "run", None)] + [
        (t, "walk" if i % 2 == 0 else "run", None) for i, t in enumerate(switches)]
    cues = [e["name"] for e in tr if e["ev"] == "cue" and e["name"] in ("run", "walk")]
    assert cues == ["run"] + ["walk" if i % 2 == 0 else "run" for i in range(len(switches))]
    assert ends(tr) == ["stopped"]
    with band.served() as port:
        rw("logs", "pull", "--port", port, "--db", str(band.db))
    out = tmp_path / "free.json"
    rw("logs", "export", "last", "--format", "json", "-o", str(out), "--db", str(band.db))
    segs = json.loads(out.read_text())["segments"]
    assert [s["start_ms"] for s in segs] == [0] + [t - 5080 for t in switches]
    assert [s["end_ms"] for s in segs][:-1] == [t - 5080 for t in switches]


def test_sprint_intervals_from_config_push(tmp_path: Path) -> None:
    band = Band(tmp_path)
    with band.served() as port:
        r = rw("config", "push", "--sprint", "20s", "--recover", "40s", "--repeats", "3", "--warmup", "1m",
               "--cooldown", "0", "--port", port)
        assert "3 x sprint 0:20, walk 0:40 (recover)" in r.stdout
    tr = band.run(click(5000))
    assert [(s[1], s[0] - 5080) for s in segment_events(tr)] == [
        ("walk", 0), ("sprint", 60_000), ("walk", 80_000), ("sprint", 120_000), ("walk", 140_000),
        ("sprint", 180_000), ("walk", 200_000)]
    assert [e["name"] for e in tr if e["ev"] == "cue" and e["name"] == "sprint"] == ["sprint"] * 3


def test_icu_text_pushed_with_config_push_file(tmp_path: Path) -> None:
    band = Band(tmp_path)
    src = tmp_path / "Tempo.txt"
    src.write_text("Warmup\n- Walk 2m Z1\n\nMain Set 3x\n- 1m Z2 Pace\n- recover 30s Z1\n\n- Walk cool 1m Z1\n")
    with band.served() as port:
        rw("config", "push", "--file", str(src), "--port", port)
        cfg = json.loads(subprocess.run([MPREMOTE, "connect", port, "fs", "cat", ":config.json"],
                                        capture_output=True, text=True, timeout=60, check=True).stdout)
    assert cfg["name"] == "Tempo" and cfg["steps"][1] == {"repeat": 3, "steps": [
        {"kind": "run", "s": 60}, {"kind": "walk", "s": 30}]}
    tr = band.run(click(5000))
    assert len(segment_events(tr)) == 8 and ends(tr) == ["completed"]


def test_plan_show_advises_from_the_pulled_sessions_and_plan_back_does_it(tmp_path: Path) -> None:
    band = Band(tmp_path)
    with band.served() as port:
        rw("plan", "build", "--from", "30s:30s", "--to", "1:1", "--weeks", "3", "--per-week", "1", "--minutes", "5",
           "--warmup", "0", "--cooldown", "0", "--push", "--port", port)
    # Session 1 completed; session 2 (the next ratio) ended early twice.
    tr = band.run(click(5000) + click(SPACING) + long_press(SPACING + 60_000) + click(2 * SPACING)
                  + long_press(2 * SPACING + 60_000))
    assert ends(tr) == ["completed", "stopped", "stopped"]
    with band.served() as port:
        rw("logs", "pull", "--port", port, "--db", str(band.db))
        show = rw("plan", "show", "--port", port, "--db", str(band.db)).stdout
        assert "Your last 3 sessions of this plan: 1 completed, 2 ended early (long press)." in show
        assert "go back one ratio step" in show and "`runwalk plan back`" in show
        said = rw("plan", "back", "--port", port).stdout
        assert "Back to session 1." in said and "next is session 1 of 3" in said
        said = rw("plan", "repeat-week", "--port", port).stdout
        assert "next is session 1 of 3" in said
    tr = band.run(click(5000))  # the earlier sessions never count again: session 1, then session 2 is due
    assert [e["workout"] for e in tr if e["ev"] == "ready"][0].startswith("Week 1/3")
    with band.served() as port:
        assert "next is session 2 of 3" in rw("plan", "show", "--port", port, "--db", str(band.db)).stdout
    list_out = rw("logs", "list", "--db", str(band.db)).stdout
    assert "`runwalk plan back`" in list_out
