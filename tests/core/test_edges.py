from runwalk.edges import SIZE, EdgeQueue


def test_edges_come_out_in_order_as_pressed_and_tick():
    q = EdgeQueue(1)
    assert q.get() is None and not q.pending()
    q.put(100, 0)
    q.put(230, 1)
    assert q.pending()
    assert q.get() == (True, 100)
    assert q.get() == (False, 230)
    assert q.get() is None and q.level == 1


def test_a_full_queue_keeps_the_level_the_button_ended_in():
    q = EdgeQueue(1)
    for i in range(SIZE + 5):  # more edges than fit, ending pressed
        q.put(i * 10, (i + 1) & 1)
    q.put(999, 0)
    got = []
    while True:
        e = q.get()
        if e is None:
            break
        got.append(e)
    assert len(got) == SIZE - 1
    assert got[-1] == (True, 999)  # the newest edge survives
    assert q.level == 0


def test_reconcile_compares_with_the_newest_edge_queued_else_what_was_handed_out():
    q = EdgeQueue(1)
    q.reconcile(1, 0)  # up, as handed out: nothing to queue
    assert not q.pending()
    q.put(5, 0)
    q.reconcile(0, 6)  # pressed, as the newest edge queued
    assert q.get() == (True, 5) and q.get() is None
    q.reconcile(0, 7)  # pressed, as handed out
    assert not q.pending()
    q.reconcile(1, 8)  # released while the clocks were stopped: queued
    assert q.get() == (False, 8) and q.get() is None


def test_reconcile_queues_a_missed_edge_once_with_irqs_off():
    calls = []

    def off():
        calls.append("off")
        return 7

    def on(state):
        calls.append(("on", state))

    q = EdgeQueue(1, off, on)
    q.reconcile(1, 10)  # the pin still reads up: nothing was missed
    assert q.get() is None and calls == []
    q.reconcile(0, 20)  # pressed while the clocks slept: queue it
    q.reconcile(0, 30)  # already queued: not twice
    assert calls == ["off", ("on", 7)]
    assert q.get() == (True, 20) and q.get() is None
