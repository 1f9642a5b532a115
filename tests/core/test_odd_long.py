# A 2000-segment workout through the whole app, every boundary checked on the
# fly. Its own module, on the fake board keeping counts only: in MicroPython's
# 64 KB heap the band needs nearly all the room for a workout this long.
import gc
import os

from fakeboard import FakeBoard
from runwalk import logfmt, logread
from runwalk.app import App

CFG = (b'{"schema": 1, "name": "Long", "warn_s": 5, "steps": [{"repeat": 2, "steps": [{"repeat": 500, "steps": '
       b'[{"kind": "run", "s": 20}, {"kind": "walk", "s": 10}]}]}]}')


def test_2000_segments_every_boundary_logged_and_cued_on_time():
    d = "/tmp/runwalk-odd-long-" + str(os.getpid() if hasattr(os, "getpid") else 0)
    for n in ("/logs/000001.rwl", "/logs/seq", "/logs", "/config.json", "/config.good.json", ""):
        try:
            (os.rmdir if n in ("", "/logs") else os.remove)(d + n)
        except OSError:
            pass
    os.mkdir(d)
    with open(d + "/config.json", "wb") as f:
        f.write(CFG)
    b = FakeBoard(0, [(0, True), (120, False)], keep_motor=False, wall=None, uid="long")  # one click
    app = App(b, d)
    app.boot()
    assert b.error is None, b.error
    try:
        while True:
            b.sleep_until(app.step())
    except StopIteration:
        pass
    del app
    gc.collect()
    assert os.listdir(d + "/logs") == ["000001.rwl"] or sorted(os.listdir(d + "/logs")) == ["000001.rwl", "seq"]
    # Read in 1 KB pieces with the real record parser: the heap has no 12 KB block left.
    damage = []
    n = 0
    bad = 0
    end = None
    with open(d + "/logs/000001.rwl", "rb") as f:
        buf = f.read(1024)
        if bytes(buf[:4]) != logfmt.MAGIC:
            damage.append("magic")
        i = 4
        while True:
            r = logread.parse_record(buf, i) if i < len(buf) else (None, "truncated")
            if r[0] is None:
                more = f.read(1024)
                if r[1] != "truncated" or not more:
                    if i < len(buf) or r[1] != "truncated":
                        damage.append(r[1])
                    break
                buf = buf[i:] + more
                i = 0
                continue
            rt, a, t, i = r[0], r[1], r[2], r[4]
            if rt == logfmt.SEG:
                # run 20 s (kind 1) then walk 10 s (kind 0), from the click's release at 120
                if t != (n // 2) * 30000 + (n % 2) * 20000 or a != 1 - n % 2:
                    bad += 1
                n += 1
            elif rt == logfmt.END:
                end = (a, t)
            elif rt != logfmt.HEADER:
                bad += 1
    assert damage == [] and bad == 0
    assert n == 2000 and end == (logfmt.END_COMPLETED, 1000 * 30000)
    c = b.cues
    assert c["run"] == 1000 and c["walk"] == 1000 and c["warn"] == 1999
    assert c["start"] == 1 and c["done"] == 1
    assert b.pulses == 2 * 1000 + 1000 + 3 * 1999 + 3 + 3  # run 2, walk 1, heads-up 3, start 3, done 3
    assert b.level == 0
    assert b.sleeps < 3 * (2000 + 1999 + 10) * 4  # a few wakes per boundary and per cue edge, no polling
