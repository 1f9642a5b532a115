# Board: Seeed Studio XIAO nRF52840 (and the Sense variant). Wiring, parts
# and sources: boards/README.md. The board boards/README.md recommends.
#
# What the nrf port can do (MicroPython 1.29, ports/nrf):
# - machine.lightsleep() is a bare WFE that ignores its timeout (any interrupt
#   ends it), and machine.deepsleep() is a plain reset or WFI: neither sleeps
#   until a deadline by itself.
# - The port keeps ticks_ms on _RTC1 (32768 Hz, 24-bit counter, overflow IRQ
#   every 512 s) and reschedules _RTC1's CC[0] every 33 counts (~1 ms) so that
#   time.sleep_ms's WFI loop wakes to look at the clock (mphalport.c): any
#   sleep the port offers wakes the CPU a thousand times a second.
# - So this module sleeps itself: it pauses that 1 ms tick (INTENCLR
#   COMPARE0), arms _RTC1's CC[1] for the deadline, and waits in
#   machine.lightsleep(); the compare, the button's IRQ or the counter's
#   overflow ends the WFE. The port's _RTC1 handler (nrfx) clears and disables
#   a compare channel when it fires and ignores all but CC[0], so CC[1] is a
#   one-shot wake the port does not otherwise touch. The tick is restored
#   before Python runs on. machine.RTCounter (in this board's build) cannot
#   serve: _RTC1 is reserved by the time module, and RTC0/RTC2 count at a fixed
#   8 Hz (125 ms steps); it would not stop the 1 ms tick either.
# - Idle on battery (the app allows powering off) the band stays in System ON,
#   woken by the button only (and the overflow every 512 s), so the tick clock
#   and the software wall clock run on. Only after _OFF_AFTER_MS of idle does it
#   enter System OFF (POWER.SYSTEMOFF, the button's GPIO SENSE armed as the
#   wake): 3 uA less, but the wall clock is lost there. The wake is a reset the
#   port reports as PWRON_RESET (its name for RESETREAS.OFF); make() queues
#   that press so a click still starts the workout.
# - Pin.irq has no hard= argument: its handler already runs in the interrupt
#   with the heap locked, which this module's handler never needs.
# - machine.unique_id() returns b"" on nrf: uid() reads FICR.DEVICEID.
# - The port has no machine.WDT: this module drives the nRF52840 WDT
#   registers directly, paused while the CPU sleeps (CONFIG.SLEEP = 0), so a
#   hang in the loop resets the band and a long sleep needs no feeding wake.
#   Once started it cannot be stopped (only a watchdog, pin or power-on reset
#   stops it, not machine.reset()), so it is started only on battery and keeps
#   being fed if USB appears later.
# - The PWM peripheral keeps its clock in System ON sleep, so the motor needs
#   no awake naps; "motor off" still stops it and drives the pin low at once.
# - USB power is read from POWER.USBREGSTATUS.VBUSDETECT.
import time

import machine
from machine import ADC, PWM, Pin
from micropython import const
from runwalk.edges import EdgeBoard

ticks_ms = time.ticks_ms
ticks_diff = time.ticks_diff
ticks_add = time.ticks_add
sleep_ms = time.sleep_ms

_BUTTON_PIN = const(3)  # D1 = P0.03: button to GND, internal pull-up
_MOTOR_PIN = const(28)  # D2 = P0.28: PWM to the motor driver's gate/base
_MOTOR_FREQ = const(200)
_BATTERY_PIN = const(31)  # P0.31 (AIN7): on-board 1M/510k divider from the battery
_BATTERY_ENABLE_PIN = const(14)  # P0.14: drive low to connect the divider; left floating otherwise
_BATTERY_NUM = const(1510)  # battery mV = pin mV * 1510 / 510
_BATTERY_DEN = const(510)
_ADC_FULL_SCALE_MV = const(3600)  # SAADC gain 1/6 with the internal 0.6 V reference
_IMU_POWER_PIN = const(40)  # P1.08: the Sense variant's IMU/mic supply; the port switches it on at boot
# The on-board 2 MB QSPI flash (unused: MicroPython keeps its filesystem in the
# chip's own flash) is told to enter deep power-down, as in the sleep-current
# measurement the energy model uses. Pins from the port's pins.csv.
_QSPI_SCK = const(21)
_QSPI_CS = const(25)
_QSPI_IO0 = const(20)  # serial data in of the flash
_QSPI_WP = const(22)
_QSPI_HOLD = const(23)
_FLASH_DEEP_POWER_DOWN = const(0xB9)

_WDT_MS = const(10000)  # of awake time: the watchdog is paused while the CPU sleeps
_SLEEP_CAP_MS = const(500000)  # longest RTC1 compare: inside its 24-bit counter's 512 s
_OLD_WDT_CAP_MS = const(8000)  # a watchdog started that counts in sleep (an older firmware's): feed it in time
_OFF_AFTER_MS = const(7 * 24 * 3600 * 1000)  # idle this long on battery: System OFF (the wall clock is lost)

# nRF52840 registers (nRF52840 Product Specification v1.7: POWER, GPIO, WDT, FICR).
_POWER_SYSTEMOFF = const(0x40000500)
_POWER_USBREGSTATUS = const(0x40000438)
_P0_PIN_CNF = const(0x50000700)  # + 4 * pin
_PIN_CNF_SENSE_LOW = const((3 << 2) | (3 << 16))  # input, connected, pull-up, SENSE = low
_WDT_BASE = const(0x40010000)
_WDT_TASKS_START = const(_WDT_BASE + 0x000)
_WDT_RUNSTATUS = const(_WDT_BASE + 0x400)
_WDT_CRV = const(_WDT_BASE + 0x504)
_WDT_RREN = const(_WDT_BASE + 0x508)
_WDT_CONFIG = const(_WDT_BASE + 0x50C)
_WDT_RR0 = const(_WDT_BASE + 0x600)
_WDT_RELOAD = const(0x6E524635)
_RTC1 = const(0x40011000)  # the port's ticks_ms counter
_RTC1_EVENTS_COMPARE0 = const(_RTC1 + 0x140)
_RTC1_EVENTS_COMPARE1 = const(_RTC1 + 0x144)
_RTC1_INTENSET = const(_RTC1 + 0x304)
_RTC1_INTENCLR = const(_RTC1 + 0x308)
_RTC1_EVTENSET = const(_RTC1 + 0x344)
_RTC1_COUNTER = const(_RTC1 + 0x504)
_RTC1_CC0 = const(_RTC1 + 0x540)
_RTC1_CC1 = const(_RTC1 + 0x544)
_RTC_COMPARE0 = const(1 << 16)
_RTC_COMPARE1 = const(1 << 17)
_RTC_TICK_COUNTS = const(33)  # the port's 1 ms tick (mphalport.c RTC_TICK_INCREASE_MSEC)
_FICR_DEVICEID = const(0x10000060)


# Software wall clock: [unix seconds at the base tick, base tick, 1 if set].
_clock = [0, 0, 0]  # type: list


def _flash_sleep():
    """Send the external flash its deep power-down command (SPI mode 0, bit-banged)."""
    cs = Pin(_QSPI_CS, Pin.OUT, value=1)
    Pin(_QSPI_WP, Pin.OUT, value=1)
    Pin(_QSPI_HOLD, Pin.OUT, value=1)  # HOLD low would pause the flash
    sck = Pin(_QSPI_SCK, Pin.OUT, value=0)
    si = Pin(_QSPI_IO0, Pin.OUT, value=0)
    cs.value(0)
    for i in range(7, -1, -1):
        si.value((_FLASH_DEEP_POWER_DOWN >> i) & 1)
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


class Board(EdgeBoard):
    name = "xiao_nrf52840"
    nap_while_motor = False  # the PWM runs on in System ON sleep

    def __init__(self, usb=None, woke_by_button=False):
        Pin(_IMU_POWER_PIN, Pin.OUT, value=0)  # the band has no use for the IMU
        _flash_sleep()
        button = Pin(_BUTTON_PIN, Pin.IN, Pin.PULL_UP)
        EdgeBoard.__init__(self, button, usb, woke_by_button, machine.disable_irq, machine.enable_irq)
        self.wdt_on = (machine.mem32[_WDT_RUNSTATUS] & 1) == 1
        if not self.wdt_on and not self.usb_attached():
            self._wdt_start()
        # A watchdog that counts in sleep bounds every sleep below its timeout.
        self.cap = _OLD_WDT_CAP_MS if self.wdt_on and machine.mem32[_WDT_CONFIG] & 1 else _SLEEP_CAP_MS
        button.irq(handler=self._irq, trigger=Pin.IRQ_FALLING | Pin.IRQ_RISING)
        self.reconcile()

    # -- the hardware EdgeBoard drives -------------------------------------------

    def ticks_ms(self):
        return ticks_ms()

    def _vbus(self):
        return (machine.mem32[_POWER_USBREGSTATUS] & 1) == 1

    def _pwm(self):
        return PWM(Pin(_MOTOR_PIN), freq=_MOTOR_FREQ, duty_u16=0)

    def _pin_low(self):
        Pin(_MOTOR_PIN, Pin.OUT, value=0)  # GPIO state is kept in System OFF too

    def _wdt_start(self):
        machine.mem32[_WDT_CRV] = _WDT_MS * 32768 // 1000 - 1
        machine.mem32[_WDT_RREN] = 1
        machine.mem32[_WDT_CONFIG] = 0  # paused while the CPU sleeps and under a debugger
        machine.mem32[_WDT_TASKS_START] = 1
        self.wdt_on = True

    def feed(self):
        if self.wdt_on:
            machine.mem32[_WDT_RR0] = _WDT_RELOAD

    def _nap(self, ms, usb):
        sleep_ms(ms)  # USB: the port's own WFI wait, its 1 ms tick on

    def _sleep(self, ms, may_power_off):
        _clock_rebase()  # a week-long idle spell crosses the tick wrap: keep the wall clock's base near
        if ms < 0 and may_power_off and self.asleep_ms >= _OFF_AFTER_MS and self.button.value() == 1:
            self._system_off()
        m = machine.mem32
        m[_RTC1_INTENCLR] = _RTC_COMPARE0  # pause the port's 1 ms tick: it would end every WFE
        if ms < 0 and self.cap == _SLEEP_CAP_MS:
            # Until the button: nothing armed; the counter's overflow (512 s)
            # brings the band back here now and then, to keep its accounts.
            machine.lightsleep()
        else:
            ms = self.cap if ms < 0 else min(ms, self.cap)
            end = ticks_add(ticks_ms(), ms)
            m[_RTC1_EVENTS_COMPARE1] = 0
            # Counts at 32768 Hz, rounded up and one more: ticks_ms has reached `end` when it fires.
            m[_RTC1_CC1] = (m[_RTC1_COUNTER] + (ms * 32768 + 999) // 1000 + 1) & 0xFFFFFF
            m[_RTC1_EVTENSET] = _RTC_COMPARE1
            m[_RTC1_INTENSET] = _RTC_COMPARE1
            # WFE also returns at once if an event is already latched, and at the
            # overflow; plugging USB in raises the port's USB power interrupt.
            while not self.edges.pending() and ticks_diff(end, ticks_ms()) > 0 and not self.usb_attached():
                machine.lightsleep()
            m[_RTC1_INTENCLR] = _RTC_COMPARE1
        m[_RTC1_EVENTS_COMPARE0] = 0
        m[_RTC1_CC0] = (m[_RTC1_COUNTER] + _RTC_TICK_COUNTS) & 0xFFFFFF
        m[_RTC1_EVTENSET] = _RTC_COMPARE0
        m[_RTC1_INTENSET] = _RTC_COMPARE0  # the port's tick again

    def _system_off(self):
        """Idle on battery for _OFF_AFTER_MS: System OFF until the button pulls its pin low (a reset)."""
        self.motor(0)
        self.feed()
        machine.mem32[_P0_PIN_CNF + 4 * _BUTTON_PIN] = _PIN_CNF_SENSE_LOW
        machine.mem32[_POWER_SYSTEMOFF] = 1
        # Not reached on the chip; a debugger session emulates System OFF and returns.
        machine.reset()

    # -- outputs and sensors --------------------------------------------------

    def battery_mv(self):
        # The divider draws ~3 uA when connected: connect it only to measure.
        en = Pin(_BATTERY_ENABLE_PIN, Pin.OUT, value=0)
        adc = ADC(Pin(_BATTERY_PIN))
        raw = 0
        for _ in range(4):
            raw += adc.read_u16()
        en.init(Pin.IN)
        return raw // 4 * _ADC_FULL_SCALE_MV // 65535 * _BATTERY_NUM // _BATTERY_DEN

    def wall_s(self):
        if not _clock[2]:
            return None
        return _clock[0] + ticks_diff(ticks_ms(), _clock[1]) // 1000

    def uid(self):
        u = machine.unique_id()
        if not u:
            hi = machine.mem32[_FICR_DEVICEID + 4] & 0xFFFFFFFF
            return "%08x%08x" % (hi, machine.mem32[_FICR_DEVICEID] & 0xFFFFFFFF)
        return "".join("%02x" % b for b in u)


def set_clock(unix_s):
    """Set the software wall clock from Unix seconds. Any reset loses it (a module
    global), soft ones too, so the host sets it in the interpreter that then runs
    the app (host_tools/band/connection.py); System OFF is a reset."""
    _clock[0] = unix_s
    _clock[1] = ticks_ms()
    _clock[2] = 1


def make():
    # The port reports a wake from System OFF (RESETREAS.OFF) as PWRON_RESET;
    # a true power-on leaves RESETREAS empty and reads as HARD_RESET.
    cause = machine.reset_cause()
    # The port keeps that cause across soft resets: with the clock set in this
    # interpreter, the host started the app (soft reset, set_clock, import main),
    # not a press.
    b = Board(woke_by_button=cause == machine.PWRON_RESET and not _clock[2])
    # RESETREAS.DOG (this module's own WDT, driven by register) reads as WDT_RESET.
    b.watchdog_reset = cause == machine.WDT_RESET
    return b
