# The kind cue at each segment start (its own module: test_session.py fills the unix
# port's 64 KB heap as it is).
from runwalk import cues, logfmt
from support import drive
from test_session import make


def test_kind_cues_follow_the_segment_kind():
    cfg = {"schema": 1, "name": "k", "warn_s": 0,
           "steps": [{"kind": "walk", "s": 60}, {"kind": "run", "s": 60}, {"kind": "sprint", "s": 20},
                     {"kind": "walk", "s": 60}, {"kind": "run", "s": 30}]}
    s, out = make(cfg)
    s.start(0)
    drive(s, 0, 10 ** 8)
    assert out.cues[0] == (cues.START, 80, 0)  # "go" first, the first segment's kind queued behind it
    segs = [(kind, t) for (r, kind, t) in out.recs if r == logfmt.SEG]
    assert segs == [(0, 0), (1, 60000), (2, 120000), (0, 140000), (1, 200000)]  # walk, run, sprint, walk, run
    played = [(p, t) for (p, st, t) in out.cues if p in cues.KIND_CUES]
    assert played == [(cues.KIND_CUES[kind], t) for kind, t in segs]
    # What the runner feels tells the kinds apart: one long pulse (walk), two (run), four (sprint).
    assert [(len(cues.pattern(p)) + 1) // 2 for p, t in played] == [1, 2, 4, 1, 2]  # on, off, on, ...: pulses
