# Board-module scenarios on fake hardware, run by the MicroPython unix port:
#   micropython tests/boards/scenarios.py NAME
# prints one JSON object of observations; tests/test_boards_*.py assert on it.
import json
import os
import sys

import fakehw
from fakehw import Reset
from runwalk import logfmt

ROOT = "/tmp/runwalk-board-tests-" + str(os.getpid() if hasattr(os, "getpid") else 0)

BOARDS = {
    # name: (port, module, button pin, vbus pin, motor pin)
    "pico": ("rp2", "pico", 15, 24, 14),
    "c3": ("esp32", "xiao_esp32c3", 3, 5, 10),
    "nrf": ("nrf", "xiao_nrf52840", 3, None, 28),
}
DAY = 24 * 3600 * 1000


def _rmtree(p):
    try:
        names = os.listdir(p)
    except OSError:
        return
    for n in names:
        q = p + "/" + n
        try:
            os.remove(q)
        except OSError:
            _rmtree(q)
    os.rmdir(p)


def setup(name, usb=0, reset_cause=None, level=1):
    port, modname, button, vbus, motor = BOARDS[name]
    h, mod = fakehw.install(port, modname, button, vbus, motor)
    h.usb = usb
    h.level = level
    if reset_cause is not None:
        h.reset_cause = reset_cause
    _rmtree(ROOT)
    os.mkdir(ROOT)
    os.mkdir(ROOT + "/logs")
    return h, mod


def sleeps(h, kind=None):
    return [a for (t, w, a) in h.log if kind is None and w in ("lightsleep", "sleep_ms") or w == kind]


def edges(b):
    out = []
    while True:
        e = b.edge()
        if e is None:
            return out
        out.append([e[0], e[1]])


def obs(h, b, **kw):
    d = {
        "t": h.t,
        "lightsleeps": sleeps(h, "lightsleep"),
        "sleep_ms": sleeps(h, "sleep_ms"),
        "wdt": h.wdt_timeout,
        "wdt_max_gap": h.wdt_max_gap,
        "log": [[t, w, a if isinstance(a, (int, str, type(None), list, tuple)) else str(a)] for (t, w, a) in h.log],
        "wfe": h.wfe,
    }
    d.update(kw)
    return d


# -- scenarios shared by the boards -------------------------------------------


def deadline(name):
    """On battery, sleep 20 s to a deadline: woken exactly then, watchdog fed in time."""
    h, mod = setup(name)
    b = mod.make()
    d = h.t + 20000
    b.sleep_until(d)
    return obs(h, b, deadline=d, edges=edges(b))


def press(name):
    """A press in the middle of a sleep ends it early and is reported with its own tick."""
    h, mod = setup(name)
    b = mod.make()
    t0 = h.t
    h.script = [(t0 + 3217, 0), (t0 + 3390, 1)]
    b.sleep_until(t0 + 20000)
    woke = h.t
    first = edges(b)
    b.sleep_until(t0 + 20000)
    return obs(h, b, t0=t0, woke=woke, first=first, later=edges(b))


def usb(name):
    """With USB power the band never sleeps deeply and runs no watchdog."""
    h, mod = setup(name, usb=1)
    b = mod.make()
    t0 = h.t
    b.sleep_until(t0 + 5000)
    at_deadline = h.t
    h.script = [(t0 + 9000, 0), (t0 + 9100, 1)]
    b.sleep_until(None)
    got = edges(b)
    b.sleep_until(t0 + 10000)
    return obs(h, b, t0=t0, at_deadline=at_deadline, edges=got + edges(b))


def idle(name, may_power_off=True, after=60000):
    """Idle on battery (no deadline), the app allowing power-off: the board's idle sleep, ended by the button."""
    h, mod = setup(name)
    b = mod.make()
    t0 = h.t
    h.script = [(t0 + after, 0), (t0 + after + 150, 1)] if after else []
    reset = None
    try:
        b.sleep_until(None, may_power_off)
    except Reset as e:
        reset = str(e)
    return obs(h, b, t0=t0, reset=reset, edges=edges(b) if reset is None else [], mem=sorted(h.mem.items()))


def paused(name):
    """A paused session: the app does not allow powering off."""
    return idle(name, False)


def idle_days(name):
    """Two idle days on battery, then a click."""
    return idle(name, True, 2 * DAY)


def idle_weeks(name):
    """Idle on battery with no press at all."""
    return idle(name, True, 0)


def hang(name):
    """The app loop stops calling sleep_until: the watchdog resets the band."""
    h, mod = setup(name)
    mod.make()
    reset = None
    try:
        fakehw.hw()._edges_until(h.t + 60000, False, False)
    except Reset as e:
        reset = str(e)
    return {"reset": reset, "t": h.t, "wdt": h.wdt_timeout}


def irq_alloc(name):
    """The IRQ handler runs with the heap locked; 40 edges overflow the queue, the last level stays."""
    import micropython

    h, mod = setup(name)
    b = mod.make()
    pin = fakehw.Pin(BOARDS[name][2])
    micropython.heap_lock()
    err = None
    try:
        for i in range(40):
            h.t += 1
            h.level = i & 1
            b._irq(pin)
    except MemoryError:
        err = "MemoryError"
    finally:
        micropython.heap_unlock()
    es = edges(b)
    return {"error": err, "n": len(es), "last": es[-1] if es else None, "t": h.t}


def wake_click(name):
    """After a deep-sleep wake (a reset) the press that woke the band starts the workout."""
    port = BOARDS[name][0]
    cause = 4 if port == "esp32" else 16
    h, mod = setup(name, reset_cause=cause, level=1)
    if port == "rp2":
        # DORMANT resumes in place: the press comes while the band sleeps.
        h.script = [(h.t + 60000, 0), (h.t + 60150, 1)]
    b = mod.make()
    from runwalk.app import App

    app = App(b, root=ROOT)
    app.boot()
    started = None
    for _ in range(50):
        d = app.step()
        if app.session is not None:
            started = h.t
            break
        b.sleep_until(d, d is None and app.session is None)  # as App.run
    return {"started": started, "t0": 1000, "motor": [list(x) for x in h.duty]}


def wdt_reset(name):
    """After a watchdog reset, the session the hang left open is closed as a fault."""
    port = BOARDS[name][0]
    h, mod = setup(name, reset_cause=1 if port == "nrf" else 3)
    with open(ROOT + "/logs/000001.open", "wb") as f:
        f.write(b"RWL\x01")
        f.write(logfmt.header_bytes({"seq": 1}))
    b = mod.make()
    from runwalk import logread
    from runwalk.app import App

    App(b, root=ROOT).boot()
    with open(ROOT + "/logs/000001.rwl", "rb") as f:
        end = logread.decode(f.read())["end"]
    plain = setup(name, reset_cause=0)[1].make()
    return {"flag": b.watchdog_reset, "end": end, "plain_flag": plain.watchdog_reset}


def clock(name, unix_epoch=True):
    """set_clock then wall_s gives Unix seconds back, whatever the port's epoch."""
    h, mod = setup(name)
    h.unix_epoch = unix_epoch
    b = mod.make()
    before = b.wall_s()
    mod.set_clock(1767225600)  # 2026-01-01 00:00:00 UTC
    rtc = h.rtc
    h.t += 90000
    return {"before": before, "after": b.wall_s(), "rtc": list(rtc) if rtc else None}


def clock2000(name):
    return clock(name, False)


def clock_idle(name, after=2 * 3600 * 1000):
    """The clock set, then idle on battery `after` ms until a click: what the wall clock says."""
    h, mod = setup(name)
    b = mod.make()
    mod.set_clock(1767225600)
    t0 = h.t
    h.script = [(t0 + after, 0), (t0 + after + 150, 1)]
    b.sleep_until(None, True)
    return obs(h, b, t0=t0, wall=b.wall_s(), dormant=len(sleeps(h, "dormant")))


def clock_idle_days(name):
    return clock_idle(name, 2 * DAY)


def host_start(name):
    """The host set the clock in this interpreter and then started the app (a soft reset,
    set_clock, import main): a wake cause left from a deep sleep or System OFF is no click."""
    port = BOARDS[name][0]
    h, mod = setup(name, reset_cause=4 if port == "esp32" else 16, level=1)
    mod.set_clock(1767225600)
    b = mod.make()
    return {"edges": edges(b)}


# ADC readings of a 3.90 V battery through each board's divider.
ADC_AT_3900 = {"pico": (25817, 0), "c3": (0, 1950000), "nrf": (23977, 0)}


def battery(name):
    h, mod = setup(name)
    h.adc_u16, h.adc_uv = ADC_AT_3900[name]
    b = mod.make()
    mv = b.battery_mv()
    return obs(h, b, mv=mv, uid=b.uid())


def uid_ficr(name):
    h, mod = setup(name)
    h.unique = b""
    return {"uid": mod.make().uid()}


def flash_sleep(name):
    """The bits clocked into the external flash while its CS is low."""
    h, mod = setup(name)
    mod.make()
    cs = sck = si = None
    bits = []
    cs_low = False
    # The XIAO nRF52840's QSPI flash pins (the port's pins.csv), private const() in the module.
    qspi_cs, qspi_io0, qspi_sck = 25, 20, 21
    for pin, v in h.pins:
        if pin == qspi_cs:
            cs_low = v == 0
            cs = v
        elif pin == qspi_io0:
            si = v
        elif pin == qspi_sck:
            if v == 1 and cs_low:
                bits.append(si)
            sck = v
    byte = 0
    for b in bits:
        byte = byte << 1 | b
    return {"bits": len(bits), "byte": byte, "cs_end": cs, "sck_end": sck}


def motor_sleep(name):
    """While the motor runs the band naps awake (the PWM keeps running); after, it light-sleeps again."""
    h, mod = setup(name)
    b = mod.make()
    t0 = h.t
    b.motor(80)
    b.sleep_until(t0 + 400)
    during = list(h.log)
    h.log = []
    b.motor(0)
    b.sleep_until(t0 + 3000)
    after = [[t, w, a] for (t, w, a) in h.log]
    return {"t0": t0, "t": h.t,
            "during": [[t, w, a] for (t, w, a) in during if w in ("sleep_ms", "lightsleep", "wfe")], "after": after}


def motor(name):
    h, mod = setup(name)
    b = mod.make()
    h.log = []
    b.motor(80)
    b.motor(0)
    b.motor(100)
    return {"log": [[t, w, a] for (t, w, a) in h.log]}


def motor_off(name, deadline=True):
    """A cue pulse, the motor off, then at once a sleep: what the motor pin does as each sleep begins."""
    h, mod = setup(name)
    b = mod.make()
    t0 = h.t
    b.motor(80)
    b.sleep_until(t0 + 100)  # the pulse
    on = fakehw.hw().motor_pin()
    h.log = []
    b.motor(0)
    reset = None
    if not deadline:
        h.script = [(t0 + 60000, 0), (t0 + 60150, 1)]
    try:
        b.sleep_until(t0 + 3000 if deadline else None, not deadline)
    except Reset as e:
        reset = str(e)
    return {"on": on, "reset": reset, "t": h.t, "pin_at_sleep": [a for (t, w, a) in h.log if w == "motor_pin"],
            "log": [[t, w, a if isinstance(a, (int, str, type(None))) else str(a)] for (t, w, a) in h.log]}


def motor_off_idle(name):
    return motor_off(name, False)


def old_wdt(name):
    """nrf: a watchdog already running that counts in sleep (started by an older firmware) is fed in time."""
    h, mod = setup(name)
    h.mem[fakehw.WDT_CONFIG] = 1
    h.wdt_timeout = 10000
    h.wdt_fed = h.t
    b = mod.make()
    d = h.t + 60000
    b.sleep_until(d)
    return obs(h, b, deadline=d)


def held(name):
    """esp32: while the button is held, light sleep is armed for the release, not the press."""
    h, mod = setup(name)
    b = mod.make()
    t0 = h.t
    h.script = [(t0 + 100, 0), (t0 + 2500, 1)]
    b.sleep_until(t0 + 5000)
    first = edges(b)
    b.sleep_until(t0 + 5000)
    return obs(h, b, t0=t0, first=first, second=edges(b))


def main(argv):
    board, scenario = argv[0], argv[1]
    result = globals()[scenario](board)
    _rmtree(ROOT)
    print(json.dumps(result))


main(sys.argv[1:])
