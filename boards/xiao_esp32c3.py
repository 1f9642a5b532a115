# Board: Seeed Studio XIAO ESP32-C3. Wiring, parts and sources: boards/README.md.
#
# What the esp32 port can do on the C3 (MicroPython 1.29, ports/esp32):
# - lightsleep(ms) is ESP-IDF light sleep: CPU and most clocks gated, RAM and
#   peripherals kept, ticks_ms corrected for the time slept. esp32.wake_on_gpio
#   sets GPIO *level* wake sources for it (no edges), so the band arms the
#   level opposite to the button's current one: wake on press while up, on
#   release while held (otherwise a held button would wake it in a loop).
# - Pin IRQs do not wake light sleep and may not fire for an edge that woke
#   it: after each sleep the pin is compared with the last queued level and a
#   missing edge is queued with the wake time.
# - deepsleep() powers the CPU off; only GPIO0-GPIO5 (the VDD3P3_RTC domain)
#   can wake it, so the button must sit on one of them (D1 = GPIO3). A deep
#   sleep wake is a reset: make() queues the press that woke the band, so a
#   click from deep sleep still starts the workout.
# - The USB Serial/JTAG console dies in light and deep sleep: the band never
#   sleeps while USB power is present (sensed through a divider on the 5V pin).
# - machine.WDT is the ESP-IDF task watchdog (minimum 1 s, cannot be stopped).
#   Whether it counts in light sleep is not documented, so light sleeps are
#   capped below it; its 40 s (not 10 s) keeps those wakes to a few per
#   workout segment.
# - Light sleep clock-gates the LEDC PWM (the output freezes high or low), so
#   while the motor runs the band naps awake instead (time.sleep_ms slices),
#   and "motor off" drives the pin low as a plain output before any sleep
#   (runwalk.edges.EdgeBoard.motor): a duty of 0 takes effect only at the
#   PWM's next period, which a light sleep would never reach.
import time

import esp32
import machine
from machine import ADC, PWM, Pin
from micropython import const
from runwalk.edges import EdgeBoard

ticks_ms = time.ticks_ms
sleep_ms = time.sleep_ms

_BUTTON_PIN = const(3)  # D1 = GPIO3: button to GND, internal pull-up; GPIO0-5 wake deep sleep
_MOTOR_PIN = const(10)  # D10 = GPIO10: PWM to the motor driver's gate/base
_MOTOR_FREQ = const(200)
_BATTERY_PIN = const(4)  # D2 = GPIO4 (ADC1_CH4): battery through a 1M/1M divider
_BATTERY_RATIO = const(2)  # divider: battery mV = pin mV * 2
_VBUS_PIN = const(5)  # D3 = GPIO5: 5V pin through 100k/200k, high while USB powers the board

_WDT_MS = const(40000)  # a hung loop resets the band within 40 s
_SLEEP_CAP_MS = const(32000)  # every light sleep ends this long after the last feed, at most

_CLOCK_VALID_S = const(1672531200)  # 2023-01-01: a clock reading before this was never set


def _epoch_offset():
    return 946684800 if time.gmtime(0)[0] == 2000 else 0


class Board(EdgeBoard):
    name = "xiao_esp32c3"
    wdt = None  # type: machine.WDT | None

    def __init__(self, usb=None, woke_by_button=False):
        self.vbus = Pin(_VBUS_PIN, Pin.IN)
        self.adc = ADC(Pin(_BATTERY_PIN), atten=ADC.ATTN_11DB)
        self._wake_level = -1  # the level wake_on_gpio is armed for
        button = Pin(_BUTTON_PIN, Pin.IN, Pin.PULL_UP)
        EdgeBoard.__init__(self, button, usb, woke_by_button, machine.disable_irq, machine.enable_irq)
        if not self.usb_attached():
            self.wdt = machine.WDT(timeout=_WDT_MS)
        button.irq(handler=self._irq, trigger=Pin.IRQ_FALLING | Pin.IRQ_RISING, hard=True)
        self.reconcile()

    # -- the hardware EdgeBoard drives -------------------------------------------

    def ticks_ms(self):
        return ticks_ms()

    def _vbus(self):
        return self.vbus.value() == 1

    def _pwm(self):
        return PWM(Pin(_MOTOR_PIN), freq=_MOTOR_FREQ, duty_u16=0)

    def _pin_low(self):
        Pin(_MOTOR_PIN, Pin.OUT, value=0)  # back to a GPIO, off the LEDC

    def _arm(self, level_now):
        # Wake on the level the button is not at now (see the header).
        if level_now != self._wake_level:
            esp32.wake_on_gpio((self.button,), esp32.WAKEUP_ALL_LOW if level_now else esp32.WAKEUP_ANY_HIGH)
            self._wake_level = level_now

    def _nap(self, ms, usb):
        # The console would die in sleep, and light sleep would freeze the PWM.
        sleep_ms(ms)

    def _sleep(self, ms, may_power_off):
        level = self.button.value()
        if ms < 0 and may_power_off and level == 1:
            self._deep_sleep()
        self._arm(level)
        machine.lightsleep(_SLEEP_CAP_MS if ms < 0 else min(ms, _SLEEP_CAP_MS))

    def _deep_sleep(self):
        """Idle on battery: power off until the button is pressed (a reset)."""
        self.motor(0)
        esp32.wake_on_gpio((self.button,), esp32.WAKEUP_ALL_LOW)
        self._wake_level = 1
        self.feed()
        machine.deepsleep()

    # -- outputs and sensors --------------------------------------------------

    def battery_mv(self):
        uv = 0
        for _ in range(4):
            uv += self.adc.read_uv()  # calibrated by the eFuse ADC data
        return uv // 4 * _BATTERY_RATIO // 1000

    def wall_s(self):
        # The RTC keeps counting through deep sleep; at power-on it reads 2000.
        t = time.time() + _epoch_offset()
        return t if t >= _CLOCK_VALID_S else None

    def uid(self):
        return "".join("%02x" % b for b in machine.unique_id())


_host = [0]  # 1: the host set the clock in this interpreter (and then starts the app itself)


def set_clock(unix_s):
    """Set the wall clock from Unix seconds (the host does this at every connect)."""
    tm = time.gmtime(unix_s - _epoch_offset())
    machine.RTC().datetime((tm[0], tm[1], tm[2], tm[6], tm[3], tm[4], tm[5], 0))
    _host[0] = 1


def make():
    cause = machine.reset_cause()
    # The reset cause outlives soft resets: after a host started the app (soft reset,
    # set_clock, import main) a deep-sleep wake long ago must not read as a click now.
    b = Board(woke_by_button=cause == machine.DEEPSLEEP_RESET and not _host[0])
    b.watchdog_reset = cause == machine.WDT_RESET  # the app closes a session the hang left open as a fault
    return b
