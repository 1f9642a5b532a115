import json

from runwalk import cues, logfmt, ticks_diff
from runwalk import workout as wk
from runwalk.buttons import CLICK, DOUBLE, LONG
from runwalk.ready import DEFAULT
from runwalk.session import ENDED, PAUSED, RUNNING, Session
from support import Recorder, drive

# The built-in workout, decoded here: runwalk.config's DEFAULT_CONFIG would bring in the
# config loader too, which the unix port's 64 KB heap has no room for beside these tests.
DEFAULT_CONFIG = json.loads(DEFAULT)

DAY = 86400000


def make(cfg, t0=0):
    w = wk.validate(cfg)
    out = Recorder(t0)
    s = Session(w, out)
    return s, out


def ratio(run_s, walk_s, n, warn=5):
    return {"schema": 1, "name": "r", "warn_s": warn,
            "steps": [{"repeat": n, "steps": [{"kind": "run", "s": run_s}, {"kind": "walk", "s": walk_s}]}]}


def test_galloway_4_1_boundaries_and_warnings():
    s, out = make(DEFAULT_CONFIG)
    s.start(0)
    drive(s, 0, 10 ** 8)
    starts = [0, 300000]
    for k in range(8):
        r = 300000 + 300000 * k
        if k:
            starts.append(r)
        starts.append(r + 240000)
    starts.append(300000 + 8 * 300000)  # cooldown
    assert out.seg_times() == starts
    expected_warn = [295000]
    for k in range(8):
        r = 300000 + 300000 * k
        expected_warn.append(r + 235000)  # run -> walk
        if k < 7:
            expected_warn.append(r + 295000)  # walk -> run; the last walk leads into the cooldown walk
    assert out.cue_times(cues.WARN) == expected_warn
    assert s.state == ENDED and s.completed
    end = [r for r in out.recs if r[0] == logfmt.END]
    assert end == [(logfmt.END, logfmt.END_COMPLETED, 3000000)]
    assert out.cue_times(cues.DONE) == [3000000]


def test_pausing_30s_in_the_third_run_moves_every_later_boundary():
    plain, out1 = make(DEFAULT_CONFIG)
    plain.start(0)
    drive(plain, 0, 10 ** 8)
    a, w1 = out1.seg_times(), out1.cue_times(cues.WARN)
    plain = out1 = None  # the unix port's 64 KB heap: keep only what the comparison needs
    third_run = 300000 + 2 * 300000
    pause_at = third_run + 100000
    s, out2 = make(DEFAULT_CONFIG)
    s.start(0)
    drive(s, 0, 10 ** 8, [(pause_at, CLICK), (pause_at + 30000, CLICK)])
    b = out2.seg_times()
    assert len(a) == len(b) == 18
    for x, y in zip(a, b):
        assert y == (x if x <= pause_at else x + 30000)
    assert [r for r in out2.recs if r[0] in (logfmt.PAUSE, logfmt.RESUME)] == [
        (logfmt.PAUSE, 0, pause_at), (logfmt.RESUME, 0, pause_at + 30000)]
    w2 = out2.cue_times(cues.WARN)
    assert w2 == [t if t <= pause_at else t + 30000 for t in w1]


def test_paused_session_sleeps_until_the_button():
    s, out = make(DEFAULT_CONFIG)
    s.start(0)
    s.gesture(CLICK, 1000)
    assert s.state == PAUSED
    assert ticks_diff(s.next_deadline(), 1000 + 3 * DAY) == 0  # or until a forgotten pause ends (test_odd.py)
    s.gesture(CLICK, 36001000)  # a 10-hour pause
    assert s.state == RUNNING
    assert ticks_diff(s.next_deadline(), 36001000 + 294000) == 0  # heads-up 5 s before the warm-up ends


def test_double_click_ends_the_segment_now():
    s, out = make(DEFAULT_CONFIG)
    s.start(0)
    drive(s, 0, 10 ** 8, [(10000, DOUBLE)])
    t = out.seg_times()
    assert t[:3] == [0, 10000, 250000]
    assert (logfmt.SEG, wk.RUN | logfmt.SEG_SKIPPED, 10000) in out.recs
    assert t[-1] == 10000 + 8 * 300000
    assert 295000 not in out.cue_times(cues.WARN)


def test_long_press_ends_and_saves():
    s, out = make(DEFAULT_CONFIG)
    s.start(0)
    drive(s, 0, 10 ** 8, [(400000, LONG)])
    assert s.state == ENDED and not s.completed
    assert out.recs[-1] == (logfmt.END, logfmt.END_STOPPED, 400000)
    assert out.cues[-1][0] == cues.DONE
    assert s.next_deadline() is None


def test_long_press_while_paused_ends():
    s, out = make(DEFAULT_CONFIG)
    s.start(0)
    drive(s, 0, 10 ** 8, [(1000, CLICK), (5000, LONG)])
    assert out.recs[-1] == (logfmt.END, logfmt.END_STOPPED, 5000)
    assert s.paused_ms == 4000


def test_open_segments_wait_for_a_double_click():
    cfg = {"schema": 1, "steps": [{"kind": "walk", "s": None, "label": "warmup"},
                                  {"kind": "run", "s": None, "label": "mile"},
                                  {"kind": "walk", "s": 300}]}
    s, out = make(cfg)
    s.start(0)
    assert ticks_diff(s.next_deadline(), 3 * DAY) == 0  # or until a forgotten one ends (test_odd.py)
    drive(s, 0, 10 ** 8, [(600000, DOUBLE), (1080123, DOUBLE)])
    assert out.seg_times() == [0, 600000, 1080123]
    assert out.recs[-1] == (logfmt.END, logfmt.END_COMPLETED, 1380123)


def test_no_warning_in_segments_shorter_than_twice_warn():
    s, out = make(ratio(9, 9, 3, warn=5))
    s.start(0)
    drive(s, 0, 10 ** 8)
    assert out.cue_times(cues.WARN) == []
    s, out = make(ratio(10, 10, 2, warn=5))
    s.start(0)
    drive(s, 0, 10 ** 8)
    assert out.cue_times(cues.WARN) == [5000, 15000, 25000]


def test_sprint_segments_have_their_own_cue():
    cfg = {"schema": 1, "steps": [{"repeat": 2, "steps": [{"kind": "sprint", "s": 20}, {"kind": "walk", "s": 40}]}]}
    s, out = make(cfg)
    s.start(0)
    drive(s, 0, 10 ** 8)
    assert out.cue_times(cues.SPRINT) == [0, 60000]
    assert cues.SPRINT not in (cues.RUN, cues.WALK, cues.WARN)


def test_intensity_sets_cue_strength():
    cfg = ratio(60, 60, 1)
    cfg["intensity"] = 40
    s, out = make(cfg)
    s.start(0)
    drive(s, 0, 10 ** 8)
    strengths = dict((p, st) for (p, st, t) in out.cues)
    assert strengths[cues.RUN] == 40 and strengths[cues.WALK] == 40
    assert 0 < strengths[cues.WARN] < 40


def walk_then_run(warn=5):
    return {"schema": 1, "name": "wr", "warn_s": warn,
            "steps": [{"kind": "walk", "s": 20}, {"kind": "run", "s": 30}, {"kind": "walk", "s": 20}]}


def test_a_pause_that_cut_the_heads_up_gives_it_again_after_the_resume_cue():
    s, out = make(walk_then_run())
    s.start(0)
    drive(s, 0, 10 ** 6, presses=[(15200, CLICK), (25000, CLICK)])
    # The heads-up at 15.0 s, cut by the pause at 15.2 s; again at the resume (queued
    # after the resume cue), and the change comes 4.8 s after the resume.
    assert out.cue_times(cues.WARN)[:2] == [15000, 25000]
    assert out.cue_times(cues.RESUME) == [25000]
    assert out.seg_times()[:2] == [0, 29800]


def test_a_pause_before_the_heads_up_does_not_add_one():
    s, out = make(walk_then_run())
    s.start(0)
    drive(s, 0, 10 ** 6, presses=[(5000, CLICK), (10000, CLICK)])
    assert out.cue_times(cues.WARN)[0] == 20000  # 5 s before the change, which moved 5 s
    assert out.cue_times(cues.WARN).count(20000) == 1 and out.seg_times()[1] == 25000


def test_a_double_click_that_straddles_a_change_skips_nothing():
    # Its first press came before the walk ended by itself at 20 s, its second
    # release 0.25 s into the run: the run is not skipped.
    s, out = make(walk_then_run())
    s.start(0)
    drive(s, 0, 10 ** 6, presses=[(20250, DOUBLE)])
    assert out.seg_times() == [0, 20000, 50000]
    assert not [a for (r, a, t) in out.recs if r == logfmt.SEG and a & logfmt.SEG_SKIPPED]


def test_a_double_click_well_into_a_segment_skips_it_and_skips_can_follow_each_other():
    s, out = make(walk_then_run())
    s.start(0)
    drive(s, 0, 10 ** 6, presses=[(21500, DOUBLE)])  # 1.5 s into the run: meant for it
    assert out.seg_times() == [0, 20000, 21500]
    s, out = make(walk_then_run())
    s.start(0)
    drive(s, 0, 10 ** 6, presses=[(5000, DOUBLE), (5600, DOUBLE)])  # skipping through, quickly
    assert out.seg_times() == [0, 5000, 5600]
    assert s.completed  # the last walk ran out by itself at 25.6 s
