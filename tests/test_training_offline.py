"""Training workouts run by the real firmware core on the fake board (fast), read back by the host tools.
The same runs on the virtual wristband are in tests/test_training_band.py."""

from __future__ import annotations

import pytest
from hostlogs import click, double_click, long_press, make_log

from host_tools.commands.plan import recommend
from host_tools.errors import RunwalkError
from host_tools.store import model
from host_tools.training import magic_mile, specials

T0 = 1080  # session time 0: the release of the start click (hostlogs.click(1000))


def test_magic_mile_time_is_the_time_between_the_two_double_clicks():
    # start 1 s; warm-up ends 10 min later; strides 20 s + 40 s walk, 20 s, then the "ready" walk;
    # the mile starts at 15:00.000 and ends 9:41.250 later; recovery 5 min completes the session.
    start_mile = 15 * 60_000
    end_mile = start_mile + 9 * 60_000 + 41_250
    edges = click(1000) + double_click(600_000) + double_click(start_mile - 220) + double_click(end_mile - 220)
    s = model.from_log(make_log(specials.magic_mile(2), edges))
    assert s.completed
    assert [g.label for g in s.segments] == ["warmup", "stride", "stride walk", "stride", "ready", "mile", "recovery"]
    mile = s.segments[5]
    assert (mile.start_ms, mile.end_ms) == (start_mile - T0, end_mile - T0)
    assert magic_mile.mile_time_ms(s) == 9 * 60_000 + 41_250
    assert s.segments[6].end_ms - s.segments[6].start_ms == 300_000


def test_a_pause_inside_the_mile_is_not_mile_time():
    edges = (click(1000) + double_click(60_000) + click(120_000) + click(150_000)
             + double_click(60_000 + 30_000 + 600_000))
    s = model.from_log(make_log(specials.magic_mile(0), edges))
    assert magic_mile.mile_time_ms(s) == 600_000  # 10:30 on the clock, 30 s of it paused


def test_a_mile_never_finished_is_refused():
    edges = click(1000) + double_click(60_000) + long_press(300_000)
    s = model.from_log(make_log(specials.magic_mile(0), edges))
    with pytest.raises(RunwalkError, match="never finished"):
        magic_mile.mile_time_ms(s)
    with pytest.raises(RunwalkError, match="no segment labelled 'mile'"):
        magic_mile.mile_time_ms(model.from_log(make_log()))


def test_recommendation_for_the_worked_example():
    rows, advice, long_pace = recommend(600_000, None)
    table = {r[0]: (r[1], r[2], r[3]) for r in rows}
    assert table["5K"] == ("10:33", "1m30s:30s", "chart row 9:30-10:45")
    assert table["marathon"] == ("13:00", "30s:30s", "chart row 12:15-14:30")
    assert table["long runs"] == ("15:00 or slower", "15s:30s", "chart row 14:30-15:45")
    assert advice.ratio.text() == "15s:30s" and long_pace == 900_000


def test_free_mode_logs_each_switch_at_its_click():
    clicks = [61_000, 185_500, 190_000, 1_000_000, 1_000_900]
    edges = click(1000)
    for t in clicks:
        edges += double_click(t - 220)
    edges += long_press(1_200_000)
    s = model.from_log(make_log(specials.free_mode(), edges))  # a double click happens at its second release
    assert [g.kind for g in s.segments] == ["run", "walk", "run", "walk", "run", "walk"]
    assert [g.start_ms for g in s.segments] == [0] + [t - T0 for t in clicks]
    assert [g.end_ms for g in s.segments[:-1]] == [t - T0 for t in clicks]
    assert s.end_reason == "stopped"


def test_sprints_use_the_sprint_kind():
    s = model.from_log(make_log(specials.sprints(20, 40, 3, warmup_s=60, cooldown_s=60)))
    assert [(g.kind, g.end_ms - g.start_ms) for g in s.segments] == [
        ("walk", 60_000)] + [("sprint", 20_000), ("walk", 40_000)] * 3 + [("walk", 60_000)]


def test_logs_and_plots_say_how_a_session_ended_in_the_same_words(monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    from host_tools.exports import plot
    from host_tools.store import model as m

    monkeypatch.setitem(matplotlib.rcParams, "svg.fonttype", "none")  # text stays text in the SVG
    # A timed workout: a double click cuts the first run short, a long press ends it early.
    timed = m.from_log(make_log(edges=click(1000) + double_click(70_000) + long_press(150_000)))
    assert m.how_ended(timed) == "ended early (long press)"
    svg = plot.render(timed, "svg").decode()
    assert "ended early (long press)" in svg and "skipped (double-click)" in svg
    assert "time since start (m:ss)" in svg and ">1:00<" in svg and ">2:00<" in svg
    # Free mode has no other end than the long press: done, as a plan counts it.
    free = m.from_log(make_log(specials.free_mode(), click(1000) + double_click(60_000) + long_press(120_000)))
    assert m.how_ended(free) == "ended by its long press"
    svg = plot.render(free, "svg").decode()
    assert "ended by its long press" in svg and "skipped (double-click)" not in svg
