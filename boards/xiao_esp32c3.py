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
# - Light sleep clock-gates the LEDC PWM (the output freezes high or low), so
#   while the motor runs the band naps awake instead (time.sleep_ms slices).
import os
import time

import esp32
import machine
from machine import ADC, PWM, Pin
from runwalk.edges import EdgeQueue

ticks_ms = time.ticks_ms
ticks_diff = time.ticks_diff
sleep_ms = time.sleep_ms

BUTTON_PIN = 3  # D1 = GPIO3: button to GND, internal pull-up; GPIO0-5 wake deep sleep
MOTOR_PIN = 10  # D10 = GPIO10: PWM to the motor driver's gate/base
MOTOR_FREQ = 200
BATTERY_PIN = 4  # D2 = GPIO4 (ADC1_CH4): battery through a 1M/1M divider
BATTERY_RATIO = 2  # divider: battery mV = pin mV * 2
VBUS_PIN = 5  # D3 = GPIO5: 5V pin through 100k/200k, high while USB powers the board

WDT_MS = 10000
SLEEP_CAP_MS = 8000
USB_SLICE_MS = 10
MOTOR_SLICE_MS = 20  # while the motor runs: awake naps, because lightsleep would stop the PWM

LOGS_DIR = "/logs"
CLOCK_VALID_S = 1672531200  # 2023-01-01: a clock reading before this was never set


def _epoch_offset():
    return 946684800 if time.gmtime(0)[0] == 2000 else 0


def session_open():
    """True while the app has a session log open: never deep-sleep it away."""
    try:
        for n in os.listdir(LOGS_DIR):
            if n.endswith(".open"):
                return True
    except OSError:
        pass
    return False


class Board:
    name = "xiao_esp32c3"

    def __init__(self, usb=None, woke_by_button=False):
        self.watchdog_reset = False  # set by make() from machine.reset_cause()
        self.button = Pin(BUTTON_PIN, Pin.IN, Pin.PULL_UP)
        self.pwm = PWM(Pin(MOTOR_PIN), freq=MOTOR_FREQ, duty_u16=0)
        self.vbus = Pin(VBUS_PIN, Pin.IN)
        self.adc = ADC(Pin(BATTERY_PIN), atten=ADC.ATTN_11DB)
        self.edges = EdgeQueue(1, machine.disable_irq, machine.enable_irq)
        self.wdt = None
        self._usb_forced = usb
        self._motor_on = False
        self._wake_level = -1  # the level wake_on_gpio is armed for
        if not self.usb_attached():
            self.wdt = machine.WDT(timeout=WDT_MS)
        if woke_by_button:
            # The press that woke the band from deep sleep happened before this
            # interpreter existed: queue it now so the click still counts.
            self._push(0, ticks_ms())
        else:
            self.edges.level = self.button.value()
        self.button.irq(handler=self._irq, trigger=Pin.IRQ_FALLING | Pin.IRQ_RISING, hard=True)
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

    def feed(self):
        if self.wdt is not None:
            self.wdt.feed()

    def _arm(self, level_now):
        # Wake on the level the button is not at now (see the header).
        if level_now != self._wake_level:
            esp32.wake_on_gpio((self.button,), esp32.WAKEUP_ALL_LOW if level_now else esp32.WAKEUP_ANY_HIGH)
            self._wake_level = level_now

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
                # The console would die in sleep: nap briefly, stay reachable.
                sleep_ms(USB_SLICE_MS if ms < 0 else min(ms, USB_SLICE_MS))
                continue
            level = self.button.value()
            if ms < 0 and level == 1 and not session_open():
                self._deep_sleep()
            self._arm(level)
            machine.lightsleep(SLEEP_CAP_MS if ms < 0 else min(ms, SLEEP_CAP_MS))
            self._reconcile()

    def _deep_sleep(self):
        """Idle on battery: power off until the button is pressed (a reset)."""
        self.pwm.duty_u16(0)
        esp32.wake_on_gpio((self.button,), esp32.WAKEUP_ALL_LOW)
        self._wake_level = 1
        self.feed()
        machine.deepsleep()

    # -- outputs and sensors --------------------------------------------------

    def motor(self, level):
        self._motor_on = level > 0
        if level <= 0:
            self.pwm.duty_u16(0)
        else:
            self.pwm.duty_u16(min(level, 100) * 65535 // 100)

    def battery_mv(self):
        uv = 0
        for _ in range(4):
            uv += self.adc.read_uv()  # calibrated by the eFuse ADC data
        return uv // 4 * BATTERY_RATIO // 1000

    def wall_s(self):
        # The RTC keeps counting through deep sleep; at power-on it reads 2000.
        t = time.time() + _epoch_offset()
        return t if t >= CLOCK_VALID_S else None

    def uid(self):
        return "".join("%02x" % b for b in machine.unique_id())

    def note(self, ev, fields):
        pass


def set_clock(unix_s):
    """Set the wall clock from Unix seconds (the host does this at deploy and pull)."""
    tm = time.gmtime(unix_s - _epoch_offset())
    machine.RTC().datetime((tm[0], tm[1], tm[2], tm[6], tm[3], tm[4], tm[5], 0))


def make():
    cause = machine.reset_cause()
    b = Board(woke_by_button=cause == machine.DEEPSLEEP_RESET)
    b.watchdog_reset = cause == machine.WDT_RESET  # the app closes a session the hang left open as a fault
    return b
