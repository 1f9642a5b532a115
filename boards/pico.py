# Board: Raspberry Pi Pico / Pico W (RP2040), with the Pico 2 / 2 W (RP2350)
# where it differs. Wiring, parts and sources: boards/README.md.
#
# What the rp2 port can do (MicroPython 1.24+, ports/rp2/modmachine.c):
# - lightsleep(ms) stops the CPU and the PLLs, keeps the timer (so ticks_ms
#   runs on) and keeps USB CDC alive when a host has configured it. A pin IRQ
#   wakes it early, but only when a timeout was given. Its alarm is 32-bit
#   microseconds: longer than 4294967 ms raises "sleep too long".
# - lightsleep() with no timeout goes DORMANT (crystal stopped): nothing the
#   port sets up wakes it except the Pico W's wireless chip. This module arms
#   the button as a DORMANT wake source itself (IO_BANK0 registers, RP2040
#   only) and uses DORMANT only when the app allows powering off (no session,
#   nothing due), because the tick clock and the RTC stop while dormant; with
#   the wall clock set, only after _DORMANT_AFTER_MS of idle, and the clock is
#   forgotten on the way out (it would be behind by the whole spell).
# - The RTC is set to 2021-01-01 at every hard reset (main.c, before its
#   soft-reset loop): a soft reset keeps the clock, machine.reset() loses it.
# - deepsleep() is lightsleep() followed by a reset: no lower current, so the
#   band never calls it. A Pico draws about 1.5 mA in lightsleep and 0.9 mA
#   dormant (regulator and LED circuit included): a Pico on a 100 mAh cell is
#   flat in days, so a Pico band needs a power switch (README).
# - The watchdog counts at most 8388 ms on RP2040 (16777 ms on RP2350), and a
#   watchdog that fires in lightsleep can lock the RP2040 until power-on
#   (boards/README.md). So it runs only while the band is awake: it is stopped
#   for every sleep (the timer alarm or the button ends those) and started
#   again after, and a sleep needs no feeding wake.
# - lightsleep gates the PWM's clock: the slice freezes mid-cue, so while the
#   motor runs the band naps awake instead; and the PWM compare is
#   double-buffered until the counter wraps, so "motor off" drives the pin low
#   as a plain output before any sleep (runwalk.edges.EdgeBoard.motor).
import sys
import time

import machine
from machine import ADC, PWM, Pin
from micropython import const
from runwalk.edges import EdgeBoard

ticks_ms = time.ticks_ms
sleep_ms = time.sleep_ms

_BUTTON_PIN = const(15)  # GP15 (pin 20): button to GND, internal pull-up
_MOTOR_PIN = const(14)  # GP14 (pin 19): PWM to the motor driver's gate/base
_MOTOR_FREQ = const(200)  # Hz: an ERM motor smooths this; no audible whine at 200 Hz
_VSYS_ADC = const(29)  # GP29 = ADC3: VSYS through the Pico's own 3:1 divider
_VBUS_PIN = const(24)  # GP24: high when USB power is present (Pico; Pico W: WL_GPIO2)

_WDT_MS = const(8000)  # under the RP2040's 8388 ms maximum; counts only while the band is awake
_SLEEP_CAP_MS = const(3600000)  # longest lightsleep(ms): an hour, inside the port's 32-bit us alarm

# RP2040 registers (RP2040 datasheet, 2.19.6 IO_BANK0 and 4.7.6 watchdog).
_IO_BANK0 = const(0x40014000)
_INTR0 = const(0xF0)  # raw edge latches, write 1 to clear
_DORMANT_WAKE_INTE0 = const(0x160)
_WATCHDOG_CTRL_CLR = const(0x40058000 + 0x3000)  # atomic bit-clear alias of WATCHDOG CTRL
_WATCHDOG_ENABLE = const(1 << 30)
_EDGE_LOW = const(2)  # event index inside a GPIO's 4-bit field: LEVEL_LOW, LEVEL_HIGH, _EDGE_LOW, EDGE_HIGH

_CLOCK_VALID_S = const(1672531200)  # 2023-01-01: a clock reading before this was never set
# DORMANT stops the RTC: idle with the clock set, the band lightsleeps (the timer and
# the RTC run on) and goes DORMANT only after this long, forgetting the clock there.
_DORMANT_AFTER_MS = const(24 * 3600 * 1000)

_machine_name = getattr(sys.implementation, "_machine", "")
RP2350 = "RP2350" in _machine_name
PICO_W = "Pico W" in _machine_name or "Pico 2 W" in _machine_name


def _epoch_offset():
    # Seconds from the Unix epoch to this port's time.time() epoch.
    return 946684800 if time.gmtime(0)[0] == 2000 else 0


class Board(EdgeBoard):
    name = "pico"
    wdt = None  # type: machine.WDT | None

    def __init__(self, usb=None, woke_by_button=False):
        if PICO_W:
            self.vbus = Pin("WL_GPIO2", Pin.IN)
        else:
            self.vbus = Pin(_VBUS_PIN, Pin.IN)
        button = Pin(_BUTTON_PIN, Pin.IN, Pin.PULL_UP)
        EdgeBoard.__init__(self, button, usb, woke_by_button, machine.disable_irq, machine.enable_irq)
        if not self.usb_attached():
            self._wdt_start()
        button.irq(handler=self._irq, trigger=Pin.IRQ_FALLING | Pin.IRQ_RISING, hard=True)
        self.reconcile()

    # -- the hardware EdgeBoard drives -------------------------------------------

    def ticks_ms(self):
        return ticks_ms()

    def _vbus(self):
        return self.vbus.value() == 1

    def _pwm(self):
        # A new PWM takes the pin back from the plain output (GPIO function PWM).
        return PWM(Pin(_MOTOR_PIN), freq=_MOTOR_FREQ, duty_u16=0)

    def _pin_low(self):
        Pin(_MOTOR_PIN, Pin.OUT, value=0)

    def _wdt_start(self):
        self.wdt = machine.WDT(timeout=_WDT_MS)

    def _wdt_stop(self):
        # machine.WDT has no stop. Clear CTRL.ENABLE directly (RP2040 and RP2350
        # share the bit; the block address differs).
        if self.wdt is None:
            return
        machine.mem32[_WATCHDOG_CTRL_CLR if not RP2350 else 0x400D8000 + 0x3000] = _WATCHDOG_ENABLE
        self.wdt = None

    def _nap(self, ms, usb):
        if usb:
            self._wdt_stop()  # the REPL must never run under a watchdog
        elif self.wdt is None:
            self._wdt_start()
        sleep_ms(ms)

    def _sleep(self, ms, may_power_off):
        if ms < 0 and may_power_off and not RP2350 and (self.asleep_ms >= _DORMANT_AFTER_MS or self.wall_s() is None):
            self._dormant()
            return
        # The pin IRQ ends this early. No watchdog through it (see the header).
        self._wdt_stop()
        machine.lightsleep(_SLEEP_CAP_MS if ms < 0 else min(ms, _SLEEP_CAP_MS))
        self._wdt_start()

    def _dormant(self):
        """Idle on battery: DORMANT until the button goes low (RP2040 only)."""
        self.motor(0)
        n = _BUTTON_PIN
        reg = _IO_BANK0 + _DORMANT_WAKE_INTE0 + 4 * (n // 8)
        bit = 1 << (4 * (n % 8) + _EDGE_LOW)
        intr = _IO_BANK0 + _INTR0 + 4 * (n // 8)
        self._wdt_stop()
        machine.mem32[intr] = bit  # clear an old latched edge
        machine.mem32[reg] = machine.mem32[reg] | bit
        if self.button.value() == 1:  # not already pressed
            machine.lightsleep()
            # Back to the port's power-on date: after DORMANT the RTC is behind by the
            # whole spell, and a wrong date is worse than none (wall_s says None).
            machine.RTC().datetime((2021, 1, 1, 4, 0, 0, 0, 0))
        machine.mem32[reg] = machine.mem32[reg] & ~bit
        machine.mem32[intr] = bit
        self._wdt_start()

    # -- outputs and sensors --------------------------------------------------

    def battery_mv(self):
        # Pico W: GP29 is shared with the wireless SPI clock; GP25 (its CS) high
        # frees it for the ADC (Pico W datasheet, "Using the ADC").
        if PICO_W:
            Pin(25, Pin.OUT, value=1)
            Pin(_VSYS_ADC, Pin.IN)
        adc = ADC(_VSYS_ADC)
        raw = 0
        for _ in range(4):
            raw += adc.read_u16()
        # 3:1 divider, 3.3 V reference, 16-bit scale.
        return raw // 4 * 3 * 3300 // 65535

    def wall_s(self):
        # The port starts its RTC in 2021 at every hard reset (a soft reset keeps it,
        # host_tools/band/connection.py): earlier than 2023 means not set.
        t = time.time() + _epoch_offset()
        return t if t >= _CLOCK_VALID_S else None

    def uid(self):
        return "".join("%02x" % b for b in machine.unique_id())


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
