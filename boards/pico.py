# Board: Raspberry Pi Pico / Pico W (RP2040), with the Pico 2 / 2 W (RP2350)
# where it differs. Wiring, parts and sources: boards/README.md.
#
# What the rp2 port can do (MicroPython 1.24+, ports/rp2/modmachine.c):
# - lightsleep(ms) stops the CPU and the PLLs, keeps the timer (so ticks_ms
#   runs on) and keeps USB CDC alive when a host has configured it. A pin IRQ
#   wakes it early, but only when a timeout was given.
# - lightsleep() with no timeout goes DORMANT (crystal stopped): nothing the
#   port sets up wakes it except the Pico W's wireless chip. This module arms
#   the button as a DORMANT wake source itself (IO_BANK0 registers, RP2040
#   only) and uses DORMANT only when no session is open, because the tick
#   clock and the RTC stop while dormant.
# - deepsleep() is lightsleep() followed by a reset: no lower current, so the
#   band never calls it. A Pico draws about 1.5 mA in lightsleep and 0.9 mA
#   dormant (regulator and LED circuit included): a Pico on a 100 mAh cell is
#   flat in days, so a Pico band needs a power switch (README).
# - The watchdog counts at most 8388 ms on RP2040 (16777 ms on RP2350) and
#   keeps counting in lightsleep; every sleep is capped below it.
# - lightsleep leaves only the timer's (and USB's) clock running: the PWM slice
#   would freeze mid-cue, so while the motor runs the band naps awake instead.
import os
import sys
import time

import machine
from machine import ADC, PWM, Pin
from runwalk.edges import EdgeQueue

ticks_ms = time.ticks_ms
ticks_diff = time.ticks_diff
sleep_ms = time.sleep_ms

BUTTON_PIN = 15  # GP15 (pin 20): button to GND, internal pull-up
MOTOR_PIN = 14  # GP14 (pin 19): PWM to the motor driver's gate/base
MOTOR_FREQ = 200  # Hz: an ERM motor smooths this; no audible whine at 200 Hz
VSYS_ADC = 29  # GP29 = ADC3: VSYS through the Pico's own 3:1 divider
VBUS_PIN = 24  # GP24: high when USB power is present (Pico; Pico W: WL_GPIO2)

WDT_MS = 8000  # under the RP2040's 8388 ms maximum
SLEEP_CAP_MS = 6000  # every sleep ends this long after the last feed, at most
USB_SLICE_MS = 10  # with USB attached: short naps so the REPL and the button stay responsive
MOTOR_SLICE_MS = 20  # while the motor runs: awake naps, because lightsleep would stop the PWM

# RP2040 registers (RP2040 datasheet, 2.19.6 IO_BANK0 and 4.7.6 watchdog).
IO_BANK0 = 0x40014000
INTR0 = 0xF0  # raw edge latches, write 1 to clear
DORMANT_WAKE_INTE0 = 0x160
WATCHDOG_CTRL_CLR = 0x40058000 + 0x3000  # atomic bit-clear alias of WATCHDOG CTRL
WATCHDOG_ENABLE = 1 << 30
EDGE_LOW = 2  # event index inside a GPIO's 4-bit field: LEVEL_LOW, LEVEL_HIGH, EDGE_LOW, EDGE_HIGH

LOGS_DIR = "/logs"
CLOCK_VALID_S = 1672531200  # 2023-01-01: a clock reading before this was never set

_machine_name = getattr(sys.implementation, "_machine", "")
RP2350 = "RP2350" in _machine_name
PICO_W = "Pico W" in _machine_name or "Pico 2 W" in _machine_name


def _epoch_offset():
    # Seconds from the Unix epoch to this port's time.time() epoch.
    return 946684800 if time.gmtime(0)[0] == 2000 else 0


def session_open():
    """True while the app has a session log open: never sleep it away."""
    try:
        for n in os.listdir(LOGS_DIR):
            if n.endswith(".open"):
                return True
    except OSError:
        pass
    return False


class Board:
    name = "pico"

    def __init__(self, usb=None, woke_by_button=False):
        self.watchdog_reset = False  # set by make() from machine.reset_cause()
        self.button = Pin(BUTTON_PIN, Pin.IN, Pin.PULL_UP)
        self.pwm = PWM(Pin(MOTOR_PIN), freq=MOTOR_FREQ, duty_u16=0)
        if PICO_W:
            self.vbus = Pin("WL_GPIO2", Pin.IN)
        else:
            self.vbus = Pin(VBUS_PIN, Pin.IN)
        self.edges = EdgeQueue(self.button.value(), machine.disable_irq, machine.enable_irq)
        self.wdt = None
        self._usb_forced = usb
        self._motor_on = False
        if not self.usb_attached():
            self._wdt_start()
        self.button.irq(handler=self._irq, trigger=Pin.IRQ_FALLING | Pin.IRQ_RISING, hard=True)
        if woke_by_button:
            self._reconcile()

    # -- button ---------------------------------------------------------------

    def _irq(self, pin):
        # Hard IRQ: EdgeQueue.put allocates nothing.
        self.edges.put(ticks_ms(), pin.value())

    def _push(self, level, t):
        self.edges.push(t, level)

    def _reconcile(self):
        self.edges.reconcile(self.button.value(), ticks_ms())

    def edge(self):
        return self.edges.get()

    # -- clocks and sleep -----------------------------------------------------

    def ticks_ms(self):
        return ticks_ms()

    def usb_attached(self):
        if self._usb_forced is not None:
            return self._usb_forced
        return self.vbus.value() == 1

    def _wdt_start(self):
        self.wdt = machine.WDT(timeout=WDT_MS)

    def _wdt_stop(self):
        # machine.WDT has no stop; the REPL must never run under a watchdog, and
        # DORMANT stops the clock it counts. Clear CTRL.ENABLE directly (RP2040
        # and RP2350 share the bit; the block address differs).
        if self.wdt is None:
            return
        machine.mem32[WATCHDOG_CTRL_CLR if not RP2350 else 0x400D8000 + 0x3000] = WATCHDOG_ENABLE
        self.wdt = None

    def feed(self):
        if self.wdt is not None:
            self.wdt.feed()

    def sleep_until(self, deadline):
        while True:
            self.feed()
            if self.edges.pending():
                return
            if deadline is None:
                ms = -1
            else:
                ms = ticks_diff(deadline, ticks_ms())
                if ms <= 0:
                    return
            if self._motor_on and ms > 0:
                # Light sleep gates the PWM's clock and would freeze the motor
                # mid-pattern; the cue's next edge is never far.
                sleep_ms(min(ms, MOTOR_SLICE_MS))
                continue
            if self.usb_attached():
                self._wdt_stop()
                sleep_ms(USB_SLICE_MS if ms < 0 else min(ms, USB_SLICE_MS))
                continue
            if self.wdt is None:
                self._wdt_start()
            if ms < 0 and not RP2350 and not session_open():
                self._dormant()
            else:
                # The pin IRQ ends this early; the cap keeps the watchdog fed.
                machine.lightsleep(SLEEP_CAP_MS if ms < 0 else min(ms, SLEEP_CAP_MS))
            self._reconcile()

    def _dormant(self):
        """Idle on battery: DORMANT until the button goes low (RP2040 only)."""
        self.pwm.duty_u16(0)
        n = BUTTON_PIN
        reg = IO_BANK0 + DORMANT_WAKE_INTE0 + 4 * (n // 8)
        bit = 1 << (4 * (n % 8) + EDGE_LOW)
        intr = IO_BANK0 + INTR0 + 4 * (n // 8)
        self._wdt_stop()
        machine.mem32[intr] = bit  # clear an old latched edge
        machine.mem32[reg] = machine.mem32[reg] | bit
        if self.button.value() == 1:  # not already pressed
            machine.lightsleep()
        machine.mem32[reg] = machine.mem32[reg] & ~bit
        machine.mem32[intr] = bit
        self._wdt_start()

    # -- outputs and sensors --------------------------------------------------

    def motor(self, level):
        self._motor_on = level > 0
        if level <= 0:
            self.pwm.duty_u16(0)
        else:
            self.pwm.duty_u16(min(level, 100) * 65535 // 100)

    def battery_mv(self):
        # Pico W: GP29 is shared with the wireless SPI clock; GP25 (its CS) high
        # frees it for the ADC (Pico W datasheet, "Using the ADC").
        if PICO_W:
            Pin(25, Pin.OUT, value=1)
            Pin(VSYS_ADC, Pin.IN)
        adc = ADC(VSYS_ADC)
        raw = 0
        for _ in range(4):
            raw += adc.read_u16()
        # 3:1 divider, 3.3 V reference, 16-bit scale.
        return raw // 4 * 3 * 3300 // 65535

    def wall_s(self):
        t = time.time()
        # The port starts its RTC in 2021 at every reset: earlier than 2023 means never set.
        if t + _epoch_offset() < CLOCK_VALID_S:
            return None
        return t + _epoch_offset()

    def uid(self):
        return "".join("%02x" % b for b in machine.unique_id())

    def note(self, ev, fields):
        pass


def set_clock(unix_s):
    """Set the wall clock from Unix seconds (the host does this at deploy and pull)."""
    tm = time.gmtime(unix_s - _epoch_offset())
    machine.RTC().datetime((tm[0], tm[1], tm[2], tm[6], tm[3], tm[4], tm[5], 0))


def make():
    # rp2 has no deep-sleep reset to report: DORMANT resumes in place, and the
    # press that ended it is queued by _reconcile() on the way out of sleep.
    b = Board()
    b.watchdog_reset = machine.reset_cause() == machine.WDT_RESET  # a session the hang left open: a fault
    return b
