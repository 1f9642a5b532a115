from runwalk import ticks_add, ticks_diff
from runwalk.buttons import CLICK, DOUBLE, LONG, Gestures


def play(edges, long_ms=1500, double_ms=400, double=True, t0=0, until=None):
    """Feed (t_rel, 'down'|'up') edges; run timeouts like the app loop; return [(gesture, t_rel)]."""
    g = Gestures(long_ms, double_ms)
    g.double_enabled = double
    out = []
    for rel, e in edges:
        t = ticks_add(t0, rel)
        # wake on any deadline before this edge, as the loop would
        while True:
            d = g.next_deadline()
            if d is None or ticks_diff(d, t) >= 0:
                break
            g.tick(d)
        g.edge(e == "down", t)
    end = ticks_add(t0, until if until is not None else rel + 5000)
    while True:
        d = g.next_deadline()
        if d is None or ticks_diff(d, end) > 0:
            break
        g.tick(d)
    while True:
        x = g.take()
        if x is None:
            break
        out.append((x[0], ticks_diff(x[1], t0)))
    return out


def test_click_is_final_after_the_double_window():
    assert play([(0, "down"), (120, "up")]) == [(CLICK, 120)]


def test_idle_click_fires_at_release_without_waiting():
    g = Gestures(1500, 400)
    g.double_enabled = False
    g.edge(True, 0)
    g.edge(False, 150)
    assert g.take() == (CLICK, 150)
    assert g.next_deadline() is None or ticks_diff(g.next_deadline(), 180) <= 0


def test_double_click():
    assert play([(0, "down"), (100, "up"), (250, "down"), (350, "up")]) == [(DOUBLE, 350)]


def test_two_slow_clicks_are_two_clicks():
    got = play([(0, "down"), (100, "up"), (700, "down"), (800, "up")])
    assert got == [(CLICK, 100), (CLICK, 800)]


def test_long_press_fires_while_still_held():
    g = Gestures(1500, 400)
    g.edge(True, 1000)
    assert g.next_deadline() == 2500 or ticks_diff(g.next_deadline(), 2500) <= 0
    g.tick(2499)
    assert g.take() is None
    g.tick(2500)
    assert g.take() == (LONG, 2500)
    g.edge(False, 4000)  # release after a long press is not a click
    g.tick(10000)
    assert g.take() is None


def test_held_for_a_minute_is_one_long_press():
    assert play([(0, "down"), (60000, "up")]) == [(LONG, 1500)]


def test_bouncing_press_is_one_click():
    edges = [(0, "down"), (3, "up"), (6, "down"), (9, "up"), (12, "down"), (150, "up"), (153, "down"), (158, "up")]
    assert play(edges) == [(CLICK, 150)]


def test_bounce_that_ends_released_is_seen_after_30ms_quiet():
    # Contact opens for good 10 ms after the press: 30 ms of quiet later, it counts.
    got = play([(0, "down"), (10, "up")], double=False)
    assert got == [(CLICK, 40)]


def test_chatter_at_100hz_is_one_press():
    edges = []
    t = 0
    for i in range(100):  # one second of 100 Hz chatter, ends released
        edges.append((t, "down"))
        edges.append((t + 5, "up"))
        t += 10
    assert play(edges) == [(CLICK, 1025)]
    assert play(edges, double=False) == [(CLICK, 1025)]


def chatter(ms):
    for i in range(ms // 10):
        yield (i * 10, "down")
        yield (i * 10 + 5, "up")


def test_chatter_for_a_minute_is_one_long_press():
    assert play(chatter(60000), until=65000) == [(LONG, 1500)]


def test_custom_long_and_double_settings():
    assert play([(0, "down"), (900, "up")], long_ms=800) == [(LONG, 800)]
    assert play([(0, "down"), (100, "up"), (500, "down"), (600, "up")], double_ms=600) == [(DOUBLE, 600)]


def test_second_press_held_long_is_a_long_press():
    got = play([(0, "down"), (100, "up"), (200, "down"), (3000, "up")])
    assert got == [(LONG, 1700)]


def test_gestures_across_a_ticks_wraparound():
    t0 = ticks_add(0, -250)
    assert play([(0, "down"), (100, "up"), (250, "down"), (350, "up")], t0=t0) == [(DOUBLE, 350)]
    assert play([(0, "down"), (2000, "up")], t0=t0) == [(LONG, 1500)]
