# Button edges from the button's IRQ handler to the app loop: a preallocated ring of
# (tick, level) pairs. put() allocates nothing, so a board's IRQ handler may
# call it. EdgeBoard, below, is the rest of what the board modules share; the
# hardware itself (machine, pins, the port's sleep) stays in boards/.
from array import array

from . import const, ticks_diff

_SIZE = const(16)  # edges kept between two turns of the loop (a power of two)

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    SIZE = _SIZE


class EdgeQueue:
    def __init__(self, level, irq_off=None, irq_on=None):
        # irq_off/irq_on: the port's machine.disable_irq/enable_irq, for push() and
        # reconcile() from the main context (the core imports no hardware).
        self.irq_off = irq_off
        self.irq_on = irq_on
        self.q = array("i", bytes(8 * _SIZE))  # tick, level, tick, level, ...
        self.head = 0  # written only by put()
        self.tail = 0  # written only by get()
        self.level = level  # the last level get() handed out (1 = up, 0 = pressed)

    def put(self, t, level):
        """Queue an edge. From an IRQ, or with IRQs disabled."""
        q = self.q
        h = self.head
        n = (h + 1) & (_SIZE - 1)
        if n == self.tail:
            # Full: overwrite the newest slot, so the level the button ended in is never lost.
            h = (h - 1) & (_SIZE - 1)
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
        """Queue `level` if it is not the last level queued (or handed out, if none is
        queued): an edge that happened while the clocks were stopped may not have raised the IRQ."""
        h = self.head
        last = self.level if h == self.tail else self.q[2 * ((h - 1) & (_SIZE - 1)) + 1]  # the newest queued
        if level != last:
            self.push(t, level)

    def pending(self):
        return self.head != self.tail

    def get(self):
        """The oldest edge as (pressed, tick), or None: the board interface's edge()."""
        t = self.tail
        if t == self.head:
            return None
        q = self.q
        tick = q[2 * t]
        level = q[2 * t + 1]
        self.tail = (t + 1) & (_SIZE - 1)
        self.level = level
        return (level == 0, tick)


_USB_NAP_MS = const(10)  # with USB power: short awake naps, so the REPL and the console stay served
_MOTOR_NAP_MS = const(20)  # while the motor runs on a board whose sleep stops the PWM: awake naps


class EdgeBoard:
    """The board interface's part every real board module shares (boards/README.md):
    button edges from the pin IRQ to the app, the watchdog feed, USB sensing, the
    motor's pin, and the sleep loop around the port's own sleep.

    A board module subclasses it and provides ticks_ms(), _vbus() (USB power
    present), _pwm() (a new PWM on the motor pin at duty 0), _pin_low() (the motor
    pin as a plain output, low), _nap(ms, usb) (an awake wait) and _sleep(ms,
    may_power_off) (the port's sleep; ms < 0: until the button), and wdt (an
    object with feed(), None while no watchdog runs) or its own feed().
    """

    watchdog_reset = False  # make() sets it from machine.reset_cause()
    motor_on = False
    pwm = None  # the motor's PWM while the motor runs; None: the pin is a plain low output
    nap_while_motor = True  # the port's sleep stops the PWM clock (rp2, esp32)
    asleep_ms = 0  # how long the current sleep_until call has slept, in pieces that never wrap

    def __init__(self, button, usb, woke_by_button, irq_off, irq_on):
        self.button = button
        self._usb_forced = usb
        q = self.edges = EdgeQueue(1, irq_off, irq_on)
        if woke_by_button:
            # The press that woke the band from a sleep that resets it came before
            # this interpreter: queue it so the click still counts.
            q.push(self.ticks_ms(), 0)
        else:
            q.level = button.value()
        self._pin_low()

    # -- button -------------------------------------------------------------------

    def _irq(self, pin):
        # In the interrupt, heap locked: put() allocates nothing, nor does a method call.
        self.edges.put(self.ticks_ms(), pin.value())

    def reconcile(self):
        """Queue the button's level if the queue does not end in it (an edge the IRQ missed)."""
        self.edges.reconcile(self.button.value(), self.ticks_ms())

    def edge(self):
        return self.edges.get()

    # -- power ---------------------------------------------------------------------

    def usb_attached(self):
        u = self._usb_forced
        return self._vbus() if u is None else u

    def feed(self):
        if self.wdt is not None:
            self.wdt.feed()

    def sleep_until(self, deadline, may_power_off=False):
        """Sleep until the tick `deadline` (None: until the button) or a button edge.
        may_power_off: the app has nothing due and no session open, so the board may
        choose a sleep it wakes from by a reset."""
        t = self.ticks_ms()
        self.asleep_ms = 0
        while True:
            self.feed()
            if self.edges.pending():
                return
            ms = -1
            if deadline is not None:
                ms = ticks_diff(deadline, t)
                if ms <= 0:
                    return
            if self.usb_attached():
                self._nap(_USB_NAP_MS if ms < 0 else min(ms, _USB_NAP_MS), True)
            elif self.motor_on and ms > 0 and self.nap_while_motor:
                self._nap(min(ms, _MOTOR_NAP_MS), False)
            else:
                self._sleep(ms, may_power_off)
                self.reconcile()
            now = self.ticks_ms()
            self.asleep_ms += ticks_diff(now, t)
            t = now

    # -- motor ---------------------------------------------------------------------

    def motor(self, level):
        """Strength in percent. Off means the pin is low now, not at the PWM's next
        period: the RP2040 double-buffers the compare until the counter wraps, and a
        sleep that stops the PWM's clock keeps the pin at its level (boards/README.md)."""
        self.motor_on = level > 0
        p = self.pwm
        if level > 0:
            if p is None:
                p = self.pwm = self._pwm()
            p.duty_u16(min(level, 100) * 65535 // 100)
        elif p is not None:
            self.pwm = None
            p.deinit()
            self._pin_low()

    def note(self, ev, fields):
        pass
