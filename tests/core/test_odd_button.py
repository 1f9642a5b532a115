# Odd button use through the whole app: held for a minute, chattering at 100 Hz.
# Plain code for CPython and MicroPython's 64 KB heap (see oddboard.py).
from oddboard import RUN, START, WALK, chain, chatter, click, hold, records, run
from runwalk import logfmt


def test_a_button_held_for_a_minute_ends_once_and_starts_nothing():
    cfg = '{"schema": 1, "name": "Hold", "steps": [{"kind": "run", "s": 600}]}'
    press = START + 40000
    hold_idle = START + 200000
    edges = chain(click(1000), hold(press, 60000), hold(hold_idle, 60000))
    b, logs = run(cfg, edges)
    assert len(logs) == 1  # neither release started a session
    recs, damage = records(logs[0])
    assert damage == []
    assert recs == [(logfmt.SEG, RUN, 0), (logfmt.END, logfmt.END_STOPPED, 41500)]
    assert b.cues["done"] == 1
    assert b.cues["battery"] == 1  # the hold in idle: one battery check, not one per second
    assert b.level == 0


def test_a_button_chattering_at_100hz_is_one_press_each_time():
    cfg = ('{"schema": 1, "name": "Chatter", "warn_s": 0, "steps": [{"repeat": 2, "steps": '
           '[{"kind": "run", "s": 60}, {"kind": "walk", "s": 60}]}]}')
    a = START + 20000
    c = START + 40000
    edges = chain(click(1000), chatter(a, 500), chatter(c, 700))
    b, logs = run(cfg, edges)
    recs, damage = records(logs[0])
    assert damage == []
    # each burst settles released 30 ms after its last edge: one click there
    pause_at = 20000 + 495 + 30
    resume_at = 40000 + 695 + 30
    gap = resume_at - pause_at
    assert recs == [
        (logfmt.SEG, RUN, 0), (logfmt.PAUSE, 0, pause_at), (logfmt.RESUME, 0, resume_at),
        (logfmt.SEG, WALK, 60000 + gap), (logfmt.SEG, RUN, 120000 + gap),
        (logfmt.SEG, WALK, 180000 + gap), (logfmt.END, logfmt.END_COMPLETED, 240000 + gap),
    ]
    assert b.cues["pause"] == 1 and b.cues["resume"] == 1 and "done" in b.cues


def test_chatter_longer_than_a_long_press_stops_the_session_once():
    cfg = '{"schema": 1, "name": "Chatter", "steps": [{"kind": "walk", "s": 600}]}'
    b, logs = run(cfg, chain(click(1000), chatter(START + 30000, 3000), chatter(START + 90000, 3000)))
    assert len(logs) == 1  # the second burst, in idle, is a battery check, not a new session
    recs, damage = records(logs[0])
    assert damage == []
    assert recs == [(logfmt.SEG, WALK, 0), (logfmt.END, logfmt.END_STOPPED, 31500)]
    assert b.cues["done"] == 1 and b.cues["battery"] == 1
