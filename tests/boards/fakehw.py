# Fake MCU peripherals for the board-module tests, run under the MicroPython
# unix port (the board code is MicroPython code). It stands in for `machine`
# and `esp32` with the port behaviour each board module relies on, as the
# modules' headers and boards/README.md describe it:
# - one virtual clock; a scripted button drives the pin level;
# - rp2 lightsleep(ms): the pin IRQ fires and ends the sleep; lightsleep():
#   DORMANT, clock stopped, woken only by an armed IO_BANK0 dormant-wake bit;
# - esp32 lightsleep(ms): ended by the wake_on_gpio level, the pin IRQ is NOT
#   delivered for that edge; deepsleep(): a reset;
# - nrf time.sleep_ms: the IRQ fires, the sleep does not end early, and it
#   needs the port's 1 ms RTC1 tick; machine.lightsleep(): a WFE that the next
#   interrupt ends (the 1 ms tick, an armed RTC1 compare, the counter's
#   overflow every 512 s, the button); writing POWER.SYSTEMOFF: a reset; the
#   WDT paused while the CPU sleeps when its CONFIG.SLEEP bit is 0;
# - the motor pin: a PWM's duty is double-buffered until its counter wraps
#   (one 5 ms period at 200 Hz of the PWM's clock running), the clock stops in
#   rp2/esp32 light sleep and DORMANT, and a PWM's deinit freezes the pin; a
#   plain output is its level at once. Every sleep logs whether the pin could
#   be high ("motor_pin": 1) as it began;
# - a watchdog that resets the band when fed too late.
import sys

RTC1 = 0x40011000
RTC_COMPARE0 = 1 << 16
RTC_COMPARE1 = 1 << 17
RTC_OVRFLW = 1 << 1
WDT_CONFIG = 0x4001050C
PWM_PERIOD_MS = 5


class Reset(Exception):
    """The band reset (deep sleep, System OFF, watchdog)."""


class Hw:
    def __init__(self, port):
        self.port = port
        self.t = 1000
        self.level = 1  # button pin level: 1 = up
        self.script = []  # [(t, level)] future button edges
        self.irq = None  # (handler, pin)
        self.awake = True
        self.log = []  # what the board did: (t, what, arg)
        self.wdt_timeout = None
        self.wdt_fed = 0
        self.wdt_max_gap = 0
        self.wake_pins_level = None  # esp32 wake_on_gpio level (0 = low wakes)
        self.mem = {}
        self.crv = 0
        self.pins = []  # (pin, level) written with Pin.value(v)
        self.usb = 0
        self.adc_u16 = 40000
        self.adc_uv = 1900000
        self.rtc = None
        self.reset_cause = 1
        self.unique = b"\x01\x02\xab"
        self.unix_epoch = True  # time.time() counts from 1970 (else 2000)
        self.wall0 = 0  # port seconds at t = 0 of the virtual clock
        self.duty = []  # (t, duty_u16)
        # The motor pin: "gpio" (level motor_gpio) or "pwm" (active / pending compare).
        self.motor_fn = None
        self.motor_gpio = 0
        self.pwm_active = 0
        self.pwm_pending = 0
        self.pwm_ran = 0  # ms the PWM's clock has run since the last duty write
        self.pwm_clocked = False  # False once deinit froze it
        # nrf RTC1: the port's 1 ms tick (COMPARE0) and counter overflow interrupts are on.
        self.rtc_inten = RTC_COMPARE0 | RTC_OVRFLW
        self.rtc_cc = [0, 0, 0, 0]
        self.wfe = 0  # WFE returns: MCU wakes on the nrf

    # -- time ----------------------------------------------------------------

    def _check_wdt(self, t):
        if self.wdt_timeout is not None:
            gap = t - self.wdt_fed
            if gap > self.wdt_max_gap:
                self.wdt_max_gap = gap
            if gap > self.wdt_timeout:
                raise Reset("watchdog")

    def _edges_until(self, end, deliver, stop_on_edge, wake_level=None):
        """Advance to `end`, applying scripted edges; return the tick it stopped at."""
        while self.script and self.script[0][0] <= end:
            te, lv = self.script.pop(0)
            self._check_wdt(te)
            self.t = te
            if lv == self.level:
                continue
            self.level = lv
            if deliver and self.irq is not None:
                self.irq[0](self.irq[1])
            if stop_on_edge and (wake_level is None or lv == wake_level):
                return te
        self._check_wdt(end)
        self.t = end
        return end

    def feed(self):
        self._check_wdt(self.t)
        self.wdt_fed = self.t

    def pwm_runs(self, ms):
        """The PWM's clock ran `ms`: a pending duty takes effect at the counter's wrap."""
        if self.motor_fn == "pwm" and self.pwm_clocked and self.pwm_active != self.pwm_pending:
            self.pwm_ran += ms
            if self.pwm_ran >= PWM_PERIOD_MS:
                self.pwm_active = self.pwm_pending

    def motor_pin(self):
        """1 if the motor pin can be high now."""
        if self.motor_fn == "gpio":
            return self.motor_gpio
        if self.motor_fn == "pwm":
            return 1 if self.pwm_active else 0
        return 0

    def sleeping(self):
        self.log.append((self.t, "motor_pin", self.motor_pin()))

    def sleep_ms(self, ms):
        self.log.append((self.t, "sleep_ms", ms))
        if self.port == "nrf" and not self.rtc_inten & RTC_COMPARE0:
            raise AssertionError("time.sleep_ms with the port's 1 ms tick paused wakes only at the next interrupt")
        t0 = self.t
        self._edges_until(self.t + ms, True, False)
        self.pwm_runs(self.t - t0)

    def rtc_counter(self):
        return self.t * 32768 // 1000

    def _wfe(self):
        """nrf machine.lightsleep(): WFE until the next interrupt."""
        self.sleeping()
        self.log.append((self.t, "wfe", None))
        now = self.t
        ends = []
        c = self.rtc_counter()
        if self.rtc_inten & RTC_COMPARE0:
            ends.append((now + 1, "tick"))
        if self.rtc_inten & RTC_COMPARE1:
            d = (self.rtc_cc[1] - c) & 0xFFFFFF or 1 << 24
            ends.append(((c + d) * 1000 // 32768, "compare"))
        if self.rtc_inten & RTC_OVRFLW:
            ends.append((((c >> 24) + 1 << 24) * 1000 // 32768, "overflow"))
        if not ends and not self.script:
            raise AssertionError("WFE with nothing to end it")
        end = min(ends)[0] if ends else self.script[-1][0]
        timeout = self.wdt_timeout
        paused = timeout is not None and not self.mem.get(WDT_CONFIG, 1) & 1
        if paused:
            self.wdt_timeout = None  # the watchdog stands still while the CPU sleeps
        if self.script and self.script[0][0] <= end:
            self._edges_until(self.script[0][0], True, True)
            reason = "button"
        else:
            self._edges_until(end, True, False)
            reason = min(ends)[1]
            if reason == "compare":
                self.rtc_inten &= ~RTC_COMPARE1  # the port's nrfx handler disables a channel that fired
        if paused:
            self.wdt_timeout = timeout
            self.wdt_fed += self.t - now
        self.pwm_runs(self.t - now)  # the PWM keeps its clock in System ON sleep
        self.wfe += 1
        self.log.append((self.t, "woke", reason))

    def lightsleep(self, ms=None):
        if self.port == "nrf":
            return self._wfe()
        self.sleeping()
        self.log.append((self.t, "lightsleep", ms))
        if self.port == "rp2":
            if ms is None:
                return self._dormant()
            self._edges_until(self.t + ms, True, True)
        elif self.port == "esp32":
            if self.wake_pins_level is not None and self.level == self.wake_pins_level:
                return
            self._edges_until(self.t + ms, False, True, self.wake_pins_level)

    def _dormant(self):
        # Clock stopped: ticks do not advance; only an armed falling edge wakes.
        self.log.append((self.t, "dormant", None))
        armed = False
        for v in self.mem.values():
            if v:
                armed = True
        if not armed or not self.script:
            raise AssertionError("DORMANT with no way to wake")
        while self.script:
            te, lv = self.script.pop(0)
            changed = lv != self.level
            self.level = lv
            if changed and lv == 0:
                # The tick clock stood still while dormant: later edges come
                # as long after the wake as they were scripted after it.
                lost = te - self.t
                self.wall0 += lost // 1000
                self.script = [(t - lost, v) for (t, v) in self.script]
                return
        raise AssertionError("DORMANT never woken")


HW = [None]


def hw():
    return HW[0]


class Pin:
    IN = 0
    OUT = 1
    PULL_UP = 1
    IRQ_FALLING = 4
    IRQ_RISING = 8

    def __init__(self, id, mode=None, pull=None, value=None):
        self.id = id
        self.mode = mode
        h = hw()
        if value is not None:
            h.log.append((h.t, "pin", (id, mode, value)))
        if id == MOTOR[0] and mode == Pin.OUT:
            h.motor_fn = "gpio"  # a plain output: off the PWM at once
            h.motor_gpio = value or 0

    def init(self, mode=None, pull=None, value=None):
        hw().log.append((hw().t, "pin", (self.id, mode, value)))

    def value(self, v=None):
        h = hw()
        if v is not None:
            h.pins.append((self.id, v))
            return None
        if self.id == BUTTON[0]:
            return h.level
        if self.id in ("WL_GPIO2", 24, VBUS[0]):
            return 1 if h.usb else 0
        return 0

    def irq(self, handler=None, trigger=None, hard=False):
        hw().irq = (handler, self)


BUTTON = [None]
VBUS = [None]
MOTOR = [None]


class PWM:
    def __init__(self, pin, freq=0, duty_u16=0):
        self.pin = pin
        h = hw()
        if pin.id == MOTOR[0]:
            h.motor_fn = "pwm"
            h.pwm_clocked = True
            h.pwm_active = h.pwm_pending = duty_u16
        h.log.append((h.t, "pwm", duty_u16))

    def duty_u16(self, d):
        h = hw()
        h.duty.append((h.t, d))
        h.log.append((h.t, "duty", d))
        h.pwm_pending = d  # double-buffered: takes effect when the counter wraps
        h.pwm_ran = 0

    def deinit(self):
        h = hw()
        h.pwm_clocked = False  # the slice stops; the pin keeps the level it had
        h.log.append((h.t, "pwm_deinit", None))


class ADC:
    ATTN_11DB = 3

    def __init__(self, src, atten=None):
        pass

    def read_u16(self):
        return hw().adc_u16

    def read_uv(self):
        return hw().adc_uv


def _days_from_civil(y, m, d):
    # Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


class RTC:
    def datetime(self, dt=None):
        h = hw()
        h.rtc = dt
        # From now on time.time() reads this date, counted from the port's epoch. A port's
        # RTC has no time zone, while mktime on CPython and on the unix port reads the host's TZ.
        unix = _days_from_civil(dt[0], dt[1], dt[2]) * 86400 + dt[4] * 3600 + dt[5] * 60 + dt[6]
        h.wall0 = unix - (0 if h.unix_epoch else 946684800) - h.t // 1000


class WDT:
    def __init__(self, id=0, timeout=5000):
        h = hw()
        h.wdt_timeout = timeout
        h.wdt_fed = h.t
        h.log.append((h.t, "wdt", timeout))

    def feed(self):
        hw().feed()


class Mem32:
    def __getitem__(self, addr):
        h = hw()
        if addr == 0x40000438:  # nrf POWER.USBREGSTATUS
            return h.usb
        if addr == 0x40010400:  # nrf WDT.RUNSTATUS
            return 1 if h.wdt_timeout is not None else 0
        if addr == 0x10000060:
            return 0x11223344
        if addr == 0x10000064:
            return 0x55667788
        if h.port == "nrf" and addr == RTC1 + 0x504:
            return h.rtc_counter() & 0xFFFFFF
        if h.port == "nrf" and addr == RTC1 + 0x304:
            return h.rtc_inten
        return h.mem.get(addr, 0)

    def __setitem__(self, addr, v):
        h = hw()
        if addr in (0x4005B000, 0x400DB000):  # rp2 watchdog CTRL clear alias
            h.wdt_timeout = None
            h.log.append((h.t, "wdt_off", 0))
            return
        if addr == 0x40010504:  # nrf WDT.CRV
            h.crv = v
            return
        if addr == 0x40010000 and v == 1:  # nrf WDT TASKS_START
            h.wdt_timeout = (h.crv + 1) * 1000 // 32768
            h.wdt_fed = h.t
            h.log.append((h.t, "wdt", h.wdt_timeout))
            return
        if addr == 0x40010600:  # nrf WDT.RR[0]
            if v == 0x6E524635:
                h.feed()
            return
        if addr == 0x40000500 and v == 1:  # nrf POWER.SYSTEMOFF
            h.sleeping()
            h.log.append((h.t, "system_off", dict(h.mem)))
            raise Reset("system off")
        if h.port == "nrf" and RTC1 <= addr < RTC1 + 0x1000:
            off = addr - RTC1
            if off == 0x304:
                h.rtc_inten |= v
            elif off == 0x308:
                h.rtc_inten &= ~v
            elif 0x540 <= off < 0x550:
                h.rtc_cc[(off - 0x540) // 4] = v
            return
        if 0x40014000 <= addr < 0x40015000:  # rp2 IO_BANK0
            if addr & 0xFFF >= 0x160:  # DORMANT_WAKE_INTE: keep; INTR: write-1-clear
                h.mem[addr] = v
            return
        h.mem[addr] = v


def _lightsleep(ms=None):
    hw().lightsleep(ms)


def _deepsleep(ms=None):
    h = hw()
    h.sleeping()
    h.log.append((h.t, "deepsleep", h.wake_pins_level))
    raise Reset("deep sleep")


def _reset():
    raise Reset("machine.reset")


class _Machine:
    pass


class _Time:
    """The port's time module as the board modules use it."""

    def ticks_ms(self):
        return hw().t

    def ticks_diff(self, a, b):
        return a - b

    def ticks_add(self, a, b):
        return a + b

    def sleep_ms(self, ms):
        hw().sleep_ms(ms)

    def time(self):
        return hw().wall0 + hw().t // 1000

    def gmtime(self, s=0):
        import time

        tm = time.gmtime(s + (0 if hw().unix_epoch else 946684800))
        return tm if hw().unix_epoch or s else (2000,) + tuple(tm[1:])


def install(port, board_module, button, vbus=None, motor=None):
    """Fresh fake hardware, fake modules, and the board module imported against them."""
    h = Hw(port)
    HW[0] = h
    BUTTON[0] = button
    VBUS[0] = vbus
    MOTOR[0] = motor
    m = _Machine()
    m.Pin = Pin
    m.PWM = PWM
    m.ADC = ADC
    m.RTC = RTC
    m.WDT = WDT
    m.mem32 = Mem32()
    m.lightsleep = _lightsleep
    m.deepsleep = _deepsleep
    m.reset = _reset
    m.unique_id = lambda: h.unique
    m.reset_cause = lambda: h.reset_cause
    m.disable_irq = lambda: 0
    m.enable_irq = lambda s: None
    m.DEEPSLEEP_RESET = 4
    m.PWRON_RESET = 16 if port == "nrf" else 1
    m.WDT_RESET = 1 if port == "nrf" else 3  # the ports' values (their stubs)
    sys.modules["machine"] = m
    e = _Machine()
    e.WAKEUP_ALL_LOW = False
    e.WAKEUP_ANY_HIGH = True

    def wake_on_gpio(pins, level):
        h.wake_pins_level = 1 if level else 0
        h.log.append((h.t, "wake_on_gpio", h.wake_pins_level))

    e.wake_on_gpio = wake_on_gpio
    sys.modules["esp32"] = e
    sys.modules.pop(board_module, None)
    mod = __import__(board_module)
    t = _Time()
    mod.time = t
    mod.ticks_ms = t.ticks_ms
    mod.ticks_diff = t.ticks_diff
    mod.sleep_ms = t.sleep_ms
    if hasattr(mod, "ticks_add"):
        mod.ticks_add = t.ticks_add
    return h, mod
