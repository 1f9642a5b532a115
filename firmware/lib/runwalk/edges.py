# Button edges from a hard IRQ to the app loop: a preallocated ring of
# (tick, level) pairs. put() allocates nothing, so a board's IRQ handler may
# call it. The boards own the pin and the IRQ; this is the part they share.
from array import array

SIZE = 16  # edges kept between two turns of the loop (a power of two)


class EdgeQueue:
    def __init__(self, level, irq_off=None, irq_on=None):
        # irq_off/irq_on: the port's machine.disable_irq/enable_irq, for push() and
        # reconcile() from the main context (the core imports no hardware).
        self.irq_off = irq_off
        self.irq_on = irq_on
        self.q = array("i", bytes(8 * SIZE))  # tick, level, tick, level, ...
        self.head = 0  # written only by put()
        self.tail = 0  # written only by get()
        self.level = level  # the last level get() handed out (1 = up, 0 = pressed)

    def put(self, t, level):
        """Queue an edge. From an IRQ, or with IRQs disabled."""
        q = self.q
        h = self.head
        n = (h + 1) & (SIZE - 1)
        if n == self.tail:
            # Full: overwrite the newest slot, so the level the button ended in is never lost.
            h = (h - 1) & (SIZE - 1)
            n = self.head
        q[2 * h] = t
        q[2 * h + 1] = level
        self.head = n

    def push(self, t, level):
        """Queue an edge from the main context, with IRQs off so the queue stays consistent."""
        if self.irq_off is None:
            self.put(t, level)
            return
        state = self.irq_off()
        try:
            self.put(t, level)
        finally:
            self.irq_on(state)

    def reconcile(self, level, t):
        """Queue `level` if it is not the last level queued: an edge that happened while
        the clocks were stopped may not have raised the IRQ."""
        if level != self.last_level():
            self.push(t, level)

    def pending(self):
        return self.head != self.tail

    def last_level(self):
        """The level of the newest edge queued, or handed out if none is queued."""
        h = self.head
        if h != self.tail:
            return self.q[2 * ((h - 1) & (SIZE - 1)) + 1]
        return self.level

    def get(self):
        """The oldest edge as (pressed, tick), or None: the board interface's edge()."""
        t = self.tail
        if t == self.head:
            return None
        q = self.q
        tick = q[2 * t]
        level = q[2 * t + 1]
        self.tail = (t + 1) & (SIZE - 1)
        self.level = level
        return (level == 0, tick)
