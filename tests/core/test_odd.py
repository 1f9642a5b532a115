# Long and odd sessions through the whole app (gestures, session, cues, log
# file) on a fake board: a 24-hour open segment, a ticks wrap-around, a 10-hour
# pause, sessions longer than the ticks' half period, forgotten ones. Plain code
# for CPython and MicroPython's 64 KB heap (see oddboard.py).
from oddboard import HOUR, RUN, START, WALK, chain, click, double, records, run, session_click
from runwalk import logfmt, ticks_add


def test_a_24_hour_open_segment_ends_at_the_double_click():
    cfg = '{"schema": 1, "name": "Free", "steps": [{"kind": "run", "s": null}]}'
    day = 24 * HOUR
    b, logs = run(cfg, chain(click(1000), double(START + day)))
    assert len(logs) == 1
    recs, damage = records(logs[0])
    assert damage == []
    assert recs == [(logfmt.SEG, RUN, 0), (logfmt.END, logfmt.END_COMPLETED, day)]
    assert [n for (t, n) in b.cue_at] == ["start", "run", "done"]
    assert b.cue_at[-1][0] == day
    # A day in an open segment costs a handful of wakes, not one per tick.
    assert b.sleeps < 40, b.sleeps


def test_a_ticks_wraparound_mid_session_changes_nothing():
    cfg = ('{"schema": 1, "name": "Wrap", "warn_s": 5, "steps": [{"repeat": 3, "steps": '
           '[{"kind": "run", "s": 60}, {"kind": "walk", "s": 30}]}]}')
    t0 = ticks_add(0, -5000 - 90000)  # the counter wraps 90 s into the board's life, mid-session
    b, logs = run(cfg, chain(click(1000), session_click(100000), session_click(130000)), t0=t0)
    recs, damage = records(logs[0])
    assert damage == []
    # paused 30 s in the third segment: everything after it moves by 30 s
    assert recs == [
        (logfmt.SEG, RUN, 0), (logfmt.SEG, WALK, 60000), (logfmt.SEG, RUN, 90000),
        (logfmt.PAUSE, 0, 100000), (logfmt.RESUME, 0, 130000),
        (logfmt.SEG, WALK, 180000), (logfmt.SEG, RUN, 210000), (logfmt.SEG, WALK, 270000),
        (logfmt.END, logfmt.END_COMPLETED, 300000),
    ]
    warns = [t for (t, n) in b.cue_at if n == "warn"]
    assert warns == [55000, 85000, 175000, 205000, 265000]


def test_a_10_hour_pause_moves_every_later_boundary_by_10_hours():
    cfg = ('{"schema": 1, "name": "Nap", "warn_s": 5, "steps": [{"repeat": 2, "steps": '
           '[{"kind": "run", "s": 30}, {"kind": "walk", "s": 20}]}]}')
    p = 10 * HOUR
    b, logs = run(cfg, chain(click(1000), session_click(10000), session_click(10000 + p)))
    recs, damage = records(logs[0])
    assert damage == []
    assert recs == [
        (logfmt.SEG, RUN, 0), (logfmt.PAUSE, 0, 10000), (logfmt.RESUME, 0, 10000 + p),
        (logfmt.SEG, WALK, 30000 + p), (logfmt.SEG, RUN, 50000 + p),
        (logfmt.SEG, WALK, 80000 + p), (logfmt.END, logfmt.END_COMPLETED, 100000 + p),
    ]
    assert b.cues["pause"] == 1 and b.cues["resume"] == 1
    # the heads-up that was 15 s away when paused comes 15 s after the resume
    assert (25000 + p, "warn") in b.cue_at
    assert b.sleeps < 60, b.sleeps  # slept through the pause


DAY = 24 * HOUR


def test_a_pause_forgotten_for_days_ends_the_session_where_it_was_paused():
    # Paused after 10 min, then nothing for 5 days: before, the resume 5 days on was
    # logged some hours in (ticks wrap every 2**30 ms on a board) and the session stayed
    # open for good. Now it ends by itself 3 days on, quietly, as stopped at the pause;
    # the click 5 days on starts a new one.
    cfg = ('{"schema": 1, "name": "Forgot", "steps": [{"repeat": 10, "steps": '
           '[{"kind": "run", "s": 240}, {"kind": "walk", "s": 60}]}]}')
    b, logs = run(cfg, chain(click(1000), session_click(600000), session_click(5 * DAY)))
    assert len(logs) == 2
    recs, damage = records(logs[0])
    assert damage == []
    assert recs[-2:] == [(logfmt.PAUSE, 0, 600000), (logfmt.END, logfmt.END_STOPPED, 600000)]
    # No done cue for the session nobody was running: after its pause cue, the next's start.
    names = [n for (t, n) in b.cue_at]
    i = names.index("pause")
    assert "done" not in names[:i] and names[i + 1] == "start" and b.cue_at[i + 1][0] == 5 * DAY
    recs, damage = records(logs[1])
    assert damage == [] and recs[0] == (logfmt.SEG, RUN, 0)


def test_an_open_segment_forgotten_for_days_ends_after_3_days():
    cfg = '{"schema": 1, "name": "Free", "steps": [{"kind": "run", "s": null}, {"kind": "walk", "s": 60}]}'
    b, logs = run(cfg, click(1000))
    assert len(logs) == 1
    recs, damage = records(logs[0])
    assert damage == []
    assert recs == [(logfmt.SEG, RUN, 0), (logfmt.END, logfmt.END_STOPPED, 3 * DAY)]
    assert [n for (t, n) in b.cue_at] == ["start", "run", "done"] and b.cue_at[-1][0] == 3 * DAY


def test_a_workout_longer_than_the_ticks_half_period_keeps_its_times():
    # 10 days of 1-day segments (a valid workout): the log's times were the ticks since the
    # start, which wrap past 6.2 days on a board; they are summed from record to record now.
    cfg = ('{"schema": 1, "name": "Days", "steps": [{"repeat": 5, "steps": '
           '[{"kind": "run", "s": 86400}, {"kind": "walk", "s": 86400}]}]}')
    b, logs = run(cfg, click(1000))
    recs, damage = records(logs[0])
    assert damage == []
    assert [t for (r, a, t) in recs if r == logfmt.SEG] == [i * DAY for i in range(10)]
    assert recs[-1] == (logfmt.END, logfmt.END_COMPLETED, 10 * DAY)
