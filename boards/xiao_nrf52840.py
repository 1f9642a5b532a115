# Board: Seeed Studio XIAO nRF52840 (and the Sense variant). Wiring, parts
# and sources: boards/README.md. The board boards/README.md recommends.
#
# What the nrf port can do (MicroPython 1.29, ports/nrf/modules/machine):
# - machine.lightsleep() is a bare WFE that ignores its timeout, and
#   machine.deepsleep() is a plain reset: neither serves the band.
# - time.sleep_ms() waits in WFI, but does not return early when the button
#   IRQ fires. So during a session the band sleeps in slices of SLICE_MS and
#   checks the edge queue between them: cue deadlines are met to the
#   millisecond, the button is acted on within SLICE_MS, and its timestamps
#   are exact because the IRQ records them.
# - Idle on battery, the band enters System OFF itself (POWER.SYSTEMOFF, with
#   the button's GPIO SENSE armed as the wake source): the lowest state of the
#   chip. The wake is a reset that the port reports as PWRON_RESET (its name
#   for RESETREAS.OFF); make() queues that press so a click still starts the
#   workout. The tick clock does not survive System OFF, so the wall clock
#   (kept in software: the port has no machine.RTC) is lost until the host
#   sets it again at the next connect.
# - Pin.irq has no hard= argument: its handler already runs in the interrupt
#   with the heap locked, which this module's handler never needs.
# - machine.unique_id() returns b"" on nrf: uid() reads FICR.DEVICEID.
# - The port has no machine.WDT: this module drives the nRF52840 WDT
#   registers directly. Once started it cannot be stopped (only a watchdog,
#   pin or power-on reset stops it, not machine.reset()), so it is started
#   only on battery and keeps being fed if USB appears later.
# - USB power is read from POWER.USBREGSTATUS.VBUSDETECT.
import os
import time

import machine
from machine import ADC, PWM, Pin
from runwalk.edges import EdgeQueue

ticks_ms = time.ticks_ms
ticks_diff = time.ticks_diff
ticks_add = time.ticks_add
sleep_ms = time.sleep_ms

BUTTON_PIN = 3  # D1 = P0.03: button to GND, internal pull-up
MOTOR_PIN = 28  # D2 = P0.28: PWM to the motor driver's gate/base
MOTOR_FREQ = 200
BATTERY_PIN = 31  # P0.31 (AIN7): on-board 1M/510k divider from the battery
BATTERY_ENABLE_PIN = 14  # P0.14: drive low to connect the divider; left floating otherwise
BATTERY_NUM = 1510  # battery mV = pin mV * 1510 / 510
BATTERY_DEN = 510
ADC_FULL_SCALE_MV = 3600  # SAADC gain 1/6 with the internal 0.6 V reference
IMU_POWER_PIN = 40  # P1.08: the Sense variant's IMU/mic supply; the port switches it on at boot
# The on-board 2 MB QSPI flash (unused: MicroPython keeps its filesystem in the
# chip's own flash) is told to enter deep power-down, as in the sleep-current
# measurement the energy model uses. Pins from the port's pins.csv.
QSPI_SCK = 21
QSPI_CS = 25
QSPI_IO0 = 20  # serial data in of the flash
QSPI_WP = 22
QSPI_HOLD = 23
FLASH_DEEP_POWER_DOWN = 0xB9

SLICE_MS = 50  # longest sleep between two looks at the edge queue, on battery in a session
USB_SLICE_MS = 10
WDT_MS = 10000

# nRF52840 registers (nRF52840 Product Specification v1.7: POWER, GPIO, WDT, FICR).
POWER_SYSTEMOFF = 0x40000500
POWER_USBREGSTATUS = 0x40000438
P0_PIN_CNF = 0x50000700  # + 4 * pin
PIN_CNF_SENSE_LOW = (3 << 2) | (3 << 16)  # input, connected, pull-up, SENSE = low
WDT_BASE = 0x40010000
WDT_TASKS_START = WDT_BASE + 0x000
WDT_RUNSTATUS = WDT_BASE + 0x400
WDT_CRV = WDT_BASE + 0x504
WDT_RREN = WDT_BASE + 0x508
WDT_CONFIG = WDT_BASE + 0x50C
WDT_RR0 = WDT_BASE + 0x600
WDT_RELOAD = 0x6E524635
FICR_DEVICEID = 0x10000060

LOGS_DIR = "/logs"

# Software wall clock: [unix seconds at the base tick, base tick, 1 if set].
_clock = [0, 0, 0]  # type: list


def session_open():
    """True while the app has a session log open: never power it off."""
    try:
        for n in os.listdir(LOGS_DIR):
            if n.endswith(".open"):
                return True
    except OSError:
        pass
    return False


def _flash_sleep():
    """Send the external flash its deep power-down command (SPI mode 0, bit-banged)."""
    cs = Pin(QSPI_CS, Pin.OUT, value=1)
    Pin(QSPI_WP, Pin.OUT, value=1)
    Pin(QSPI_HOLD, Pin.OUT, value=1)  # HOLD low would pause the flash
    sck = Pin(QSPI_SCK, Pin.OUT, value=0)
    si = Pin(QSPI_IO0, Pin.OUT, value=0)
    cs.value(0)
    for i in range(7, -1, -1):
        si.value((FLASH_DEEP_POWER_DOWN >> i) & 1)
        sck.value(1)
        sck.value(0)
    cs.value(1)  # the command takes effect when CS rises


def _clock_rebase():
    # Move the base forward in whole seconds so ticks_diff never nears its wrap.
    if not _clock[2]:
        return
    s = ticks_diff(ticks_ms(), _clock[1]) // 1000
    if s >= 3600:
        _clock[0] += s
        _clock[1] = ticks_add(_clock[1], s * 1000)


class Board:
    name = "xiao_nrf52840"

    def __init__(self, usb=None, woke_by_button=False):
        self.watchdog_reset = False  # set by make() from machine.reset_cause()
        Pin(IMU_POWER_PIN, Pin.OUT, value=0)  # the band has no use for the IMU
        _flash_sleep()
        self.button = Pin(BUTTON_PIN, Pin.IN, Pin.PULL_UP)
        self.pwm = PWM(Pin(MOTOR_PIN), freq=MOTOR_FREQ, duty_u16=0)
        self.edges = EdgeQueue(1, machine.disable_irq, machine.enable_irq)
        self._usb_forced = usb
        self.wdt_on = (machine.mem32[WDT_RUNSTATUS] & 1) == 1
        if not self.wdt_on and not self.usb_attached():
            self._wdt_start()
        if woke_by_button:
            # The press that woke the band from System OFF came before this
            # interpreter: queue it so the click still counts.
            self._push(0, ticks_ms())
        else:
            self.edges.level = self.button.value()
        self.button.irq(handler=self._irq, trigger=Pin.IRQ_FALLING | Pin.IRQ_RISING)
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
        return (machine.mem32[POWER_USBREGSTATUS] & 1) == 1

    def _wdt_start(self):
        machine.mem32[WDT_CRV] = WDT_MS * 32768 // 1000 - 1
        machine.mem32[WDT_RREN] = 1
        machine.mem32[WDT_CONFIG] = 1  # keep counting while the CPU sleeps
        machine.mem32[WDT_TASKS_START] = 1
        self.wdt_on = True

    def feed(self):
        if self.wdt_on:
            machine.mem32[WDT_RR0] = WDT_RELOAD

    def sleep_until(self, deadline):
        _clock_rebase()
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
            if self.usb_attached():
                sleep_ms(USB_SLICE_MS if ms < 0 else min(ms, USB_SLICE_MS))
                continue
            if ms < 0 and self.button.value() == 1 and not session_open():
                self._system_off()
            sleep_ms(SLICE_MS if ms < 0 else min(ms, SLICE_MS))

    def _system_off(self):
        """Idle on battery: System OFF until the button pulls its pin low (a reset)."""
        self.pwm.duty_u16(0)
        self.pwm.deinit()
        Pin(MOTOR_PIN, Pin.OUT, value=0)  # GPIO state is kept in System OFF
        self.feed()
        machine.mem32[P0_PIN_CNF + 4 * BUTTON_PIN] = PIN_CNF_SENSE_LOW
        machine.mem32[POWER_SYSTEMOFF] = 1
        # Not reached on the chip; a debugger session emulates System OFF and returns.
        machine.reset()

    # -- outputs and sensors --------------------------------------------------

    def motor(self, level):
        if level <= 0:
            self.pwm.duty_u16(0)
        else:
            self.pwm.duty_u16(min(level, 100) * 65535 // 100)

    def battery_mv(self):
        # The divider draws ~3 uA when connected: connect it only to measure.
        en = Pin(BATTERY_ENABLE_PIN, Pin.OUT, value=0)
        adc = ADC(Pin(BATTERY_PIN))
        raw = 0
        for _ in range(4):
            raw += adc.read_u16()
        en.init(Pin.IN)
        return raw // 4 * ADC_FULL_SCALE_MV // 65535 * BATTERY_NUM // BATTERY_DEN

    def wall_s(self):
        if not _clock[2]:
            return None
        return _clock[0] + ticks_diff(ticks_ms(), _clock[1]) // 1000

    def uid(self):
        u = machine.unique_id()
        if not u:
            hi = machine.mem32[FICR_DEVICEID + 4] & 0xFFFFFFFF
            return "%08x%08x" % (hi, machine.mem32[FICR_DEVICEID] & 0xFFFFFFFF)
        return "".join("%02x" % b for b in u)

    def note(self, ev, fields):
        pass


def set_clock(unix_s):
    """Set the software wall clock from Unix seconds (lost in System OFF)."""
    _clock[0] = unix_s
    _clock[1] = ticks_ms()
    _clock[2] = 1


def make():
    # The port reports a wake from System OFF (RESETREAS.OFF) as PWRON_RESET;
    # a true power-on leaves RESETREAS empty and reads as HARD_RESET.
    cause = machine.reset_cause()
    b = Board(woke_by_button=cause == machine.PWRON_RESET)
    # RESETREAS.DOG (this module's own WDT, driven by register) reads as WDT_RESET.
    b.watchdog_reset = cause == machine.WDT_RESET
    return b
