"""Energy model of the band: charge drawn per hour of workout, per idle day, and days between charges.

Input: a battery-mode trace of the virtual wristband (`runwalk sim --battery --trace`,
design 4.4: JSON lines with `t` and `ev`), which says when the firmware woke, how long it
asked to sleep, and when the motor ran at what strength. Each board's published current
figures (below, with their sources; boards/README.md has the same table) turn that into
charge. What the model assumes, and why:

- Between a `sleep` and the next `wake` the MCU draws its sleep current: the board's
  light-sleep current in a session or when a deadline is set (cues, gestures). When the
  firmware sleeps "until the button" and the app allows powering off (the trace's
  `may_power_off`; older traces: no session open), the board idles: in its light sleep
  for its first `off_after_ms` (the nRF keeps System ON a week, so the clocks run on; the
  Pico lightsleeps a day with its clock set), then in its deepest sleep (ESP32-C3 deep
  sleep at once, Pico DORMANT, nRF System OFF).
- Every wake costs `wake_ms` of active current (restart the clocks, one app loop turn);
  every sleep longer than the board's `cap_ms` is cut into pieces by the board module
  (watchdog feeding), and a board whose port keeps a timer interrupt on in sleep wakes
  every `periodic_ms` besides (the nRF's RTC1 overflow, every 512 s); each such wake
  costs `cap_wake_ms` active.
- A wake out of a deep sleep that resets the MCU (ESP32-C3 deep sleep, nRF System OFF)
  costs a boot: `boot_ms` active.
- The motor is a 10 mm coin ERM driven from the battery through a transistor; with PWM
  its average current follows the duty: `motor_ma * level / 100`. On the RP2040 and the
  ESP32-C3 light sleep gates the PWM's clock, so their board modules stay awake while
  the motor runs (`motor_awake`): that time costs their active current.
- Battery self-discharge and converter losses are not modelled (the LDOs' quiescent
  current is inside the boards' measured sleep figures).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOUR_MS = 3_600_000


@dataclass(frozen=True)
class Motor:
    ma_full: float
    source: str


# Adafruit "Vibrating Mini Motor Disc" (10 mm coin ERM), product 1201: 60 mA at 3 V,
# 80 mA at 4 V; a LiPo averages about 3.7 V over its discharge.
MOTOR = Motor(
    ma_full=75.0,
    source="Adafruit product 1201 (10 mm coin vibration motor): 60 mA at 3 V, 80 mA at 4 V; "
    "75 mA at a LiPo's 3.7 V, https://www.adafruit.com/product/1201",
)


@dataclass(frozen=True)
class BoardPower:
    name: str
    active_ma: float  # CPU running MicroPython, radio off
    light_ua: float  # asleep between events (session, cues, paused)
    idle_ua: float  # the deepest sleep the board module uses when idle on battery
    cap_ms: int  # longest single sleep the board module takes
    cap_wake_ms: float  # awake time of one cap/periodic wake
    wake_ms: float  # awake time of one event wake (clocks back + one app loop turn)
    boot_ms: float  # awake time of a boot after a deep-sleep reset (0: no reset)
    motor_awake: bool  # light sleep would stop the PWM: the MCU stays awake while the motor runs
    off_after_ms: int = 0  # idle this long in light sleep before the deepest sleep (0: at once)
    periodic_ms: int = 0  # a timer interrupt the port keeps on in sleep wakes the MCU this often (0: none)
    idle_cap_ms: int = 0  # idle in light sleep, pieces this long at most (0: woken only by the button)
    sources: dict[str, str] = field(default_factory=dict)


BOARDS: dict[str, BoardPower] = {
    "pico": BoardPower(
        name="Raspberry Pi Pico (RP2040)",
        active_ma=20.0,
        light_ua=1500.0,
        idle_ua=900.0,
        cap_ms=3_600_000,
        cap_wake_ms=1.0,
        wake_ms=2.0,
        boot_ms=0.0,
        motor_awake=True,
        off_after_ms=24 * HOUR_MS,
        idle_cap_ms=3_600_000,
        sources={
            "active_ma": "Raspberry Pi Pico datasheet, 'Power consumption' (RP2040 at 125 MHz running code: "
            "about 20 mA)",
            "light_ua": "MicroPython commit b004e7e 'rp2: Implement machine.lightsleep' (Damien George): "
            "about 1.5 mA in machine.lightsleep(5000) measured on a Pico",
            "idle_ua": "same commit: about 0.9 mA in machine.lightsleep() (DORMANT) on a Pico",
            "cap_ms": "boards/pico.py _SLEEP_CAP_MS (lightsleep's 32-bit us alarm; the watchdog is stopped "
            "for every sleep)",
            "off_after_ms": "boards/pico.py _DORMANT_AFTER_MS (DORMANT stops the RTC: with the clock set, a day "
            "of lightsleep first)",
            "motor_awake": "ports/rp2/modmachine.c: lightsleep(ms) leaves only the timer's clock (and USB's) "
            "running, so the PWM slice stops",
            "wake_ms": "estimate: XOSC/PLL restart plus one app loop turn (see docs/performance.md)",
        },
    ),
    "xiao_esp32c3": BoardPower(
        name="Seeed XIAO ESP32-C3",
        active_ma=24.4,
        light_ua=169.0,
        idle_ua=44.0,
        cap_ms=32000,
        cap_wake_ms=1.0,
        wake_ms=2.0,
        boot_ms=500.0,
        motor_awake=True,
        sources={
            "active_ma": "Seeed wiki 'XIAO ESP32C3 power consumption modes': modem-sleep (CPU on, radio "
            "idle) 24.4 mA",
            "light_ua": "ESP32-C3 datasheet, low-power modes: light-sleep 130 uA for the chip, plus the "
            "XIAO's own 39 uA (its 44 uA deep-sleep figure less the chip's 5 uA)",
            "idle_ua": "Seeed wiki 'XIAO ESP32C3 power consumption modes': deep-sleep 44 uA",
            "cap_ms": "boards/xiao_esp32c3.py _SLEEP_CAP_MS (watchdog 40000 ms)",
            "off_after_ms": "boards/xiao_esp32c3.py: deep sleep at once (the RTC keeps the date through it)",
            "motor_awake": "Espressif (esp32.com, igrr): in light sleep all peripherals are clock gated, "
            "including the LEDC PWM",
            "boot_ms": "estimate: ROM + MicroPython boot + firmware import after a deep-sleep reset",
            "wake_ms": "estimate: light-sleep exit plus one app loop turn",
        },
    ),
    "xiao_nrf52840": BoardPower(
        name="Seeed XIAO nRF52840",
        active_ma=6.3,
        light_ua=5.4,
        idle_ua=2.4,
        cap_ms=500_000,
        cap_wake_ms=0.05,
        wake_ms=2.0,
        boot_ms=300.0,
        motor_awake=False,
        off_after_ms=7 * 24 * HOUR_MS,
        periodic_ms=512_000,
        sources={
            "active_ma": "nRF52840 Product Specification, CPU running from flash at 64 MHz with the LDO "
            "regulator: 6.3 mA (3.3 mA with DC/DC)",
            "light_ua": "Seeed forum 'Sleep Current of XIAO nRF52840, Deep Sleep vs. Light Sleep' "
            "(msfujino, PPK2 on the BAT pad, on-board LDO included): System ON sleep 5.4 uA; the "
            "module pauses the port's 1 ms RTC1 tick while it sleeps, so nothing else wakes the CPU",
            "idle_ua": "same measurement: System OFF 2.4 uA",
            "cap_ms": "boards/xiao_nrf52840.py _SLEEP_CAP_MS (one RTC1 compare, inside the 24-bit counter)",
            "off_after_ms": "boards/xiao_nrf52840.py _OFF_AFTER_MS (System OFF loses the wall clock)",
            "periodic_ms": "ports/nrf/mphalport.c: RTC1's overflow interrupt (24 bits at 32768 Hz) stays on",
            "cap_wake_ms": "estimate: one WFE exit and one sleep loop turn (about 3000 cycles)",
            "boot_ms": "estimate: reset, MicroPython boot and firmware import after System OFF",
            "wake_ms": "estimate: one app loop turn at 64 MHz",
        },
    ),
}

RECOMMENDED = "xiao_nrf52840"


@dataclass
class TraceStats:
    """What a trace says about power, in virtual milliseconds."""

    duration_ms: int = 0
    wakes: int = 0
    button_wakes: int = 0
    awake_ms: int = 0  # virtual time between a wake and the next sleep
    light_sleeps: list[int] = field(default_factory=list)  # actual lengths of sleeps with a deadline or in a session
    idle_ms: int = 0  # time asleep "until the button" with powering off allowed
    idle_wakes: int = 0  # wakes out of such sleeps (a deep-sleep exit: a reset on some boards)
    idle_sleeps: list[tuple[int, int, bool]] = field(default_factory=list)  # (start, end, ended by a wake)
    t0: int = 0  # the window
    t1: int = 0
    motor_on_ms: int = 0
    motor_level_ms: float = 0.0  # sum of on-time x level / 100
    session_ms: int = 0


def read_trace(path: Path) -> list[dict[str, Any]]:
    events = []
    for line in path.read_text().splitlines():
        if line.strip():
            events.append(json.loads(line))
    return events


def trace_stats(events: Iterable[dict[str, Any]], start: int | None = None, end: int | None = None) -> TraceStats:
    """Sum a trace over the virtual time window [start, end) (default: the whole trace)."""
    evs = sorted((e for e in events if "t" in e), key=lambda e: e["t"])
    says = any("may_power_off" in e for e in evs)  # the app's word, in traces that carry it
    if not evs:
        return TraceStats()
    t0 = evs[0]["t"] if start is None else start
    t1 = evs[-1]["t"] if end is None else end
    st = TraceStats(duration_ms=t1 - t0, t0=t0, t1=t1)
    in_session = False
    session_from = None
    sleeping_since: int | None = None
    sleep_kind = ""  # "light" or "idle"
    awake_since: int | None = t0
    motor_since: int | None = None
    motor_level = 0

    def clip(t: int) -> int:
        return min(max(t, t0), t1)

    for e in evs:
        t = e["t"]
        ev = e.get("ev")
        if ev == "session":
            what = e.get("what")
            if what == "start":
                in_session = True
                session_from = t
            elif what == "end":
                if in_session and session_from is not None:
                    st.session_ms += clip(t) - clip(session_from)
                in_session = False
        elif ev == "motor":
            if motor_since is not None:
                span = clip(t) - clip(motor_since)
                st.motor_on_ms += span
                st.motor_level_ms += span * motor_level / 100.0
            if e.get("on") and e.get("level", 0) > 0:
                motor_since = t
                motor_level = int(e.get("level", 0))
            else:
                motor_since = None
        elif ev == "sleep":
            if awake_since is not None:
                st.awake_ms += clip(t) - clip(awake_since)
                awake_since = None
            sleeping_since = t
            if says:
                off = bool(e.get("may_power_off"))
            else:  # a trace from before the app said so
                off = e.get("ms") is None and not in_session
            sleep_kind = "idle" if off else "light"
        elif ev == "wake":
            if sleeping_since is not None:
                span = clip(t) - clip(sleeping_since)
                if sleep_kind == "idle":
                    st.idle_ms += span
                    woke = t0 <= t < t1
                    st.idle_sleeps.append((sleeping_since, t, woke))
                    if woke:
                        st.idle_wakes += 1
                elif span > 0:
                    st.light_sleeps.append(span)
            sleeping_since = None
            awake_since = t
            if t0 <= t < t1:
                st.wakes += 1
                if e.get("reason") == "button":
                    st.button_wakes += 1
    # Whatever is still open at the end of the window.
    if motor_since is not None:
        span = t1 - clip(motor_since)
        st.motor_on_ms += span
        st.motor_level_ms += span * motor_level / 100.0
    if sleeping_since is not None:
        span = t1 - clip(sleeping_since)
        if sleep_kind == "idle":
            st.idle_ms += span
            st.idle_sleeps.append((sleeping_since, t1, False))
        elif span > 0:
            st.light_sleeps.append(span)
    if awake_since is not None:
        st.awake_ms += t1 - clip(awake_since)
    if in_session and session_from is not None:
        st.session_ms += t1 - clip(session_from)
    return st


@dataclass
class Charge:
    """Charge in millicoulombs (mA x s), by where it went."""

    active: float
    light: float
    idle: float
    cap_wakes: float
    boots: float
    motor: float

    @property
    def total(self) -> float:
        return self.active + self.light + self.idle + self.cap_wakes + self.boots + self.motor

    @property
    def mah(self) -> float:
        return self.total / 3600.0


def _idle_split(board: BoardPower, st: TraceStats) -> tuple[int, int, int]:
    """Idle time inside the window in light sleep and in the deepest sleep, and the resets out of it.

    Each idle sleep spends its first `off_after_ms` in light sleep (counted from its own
    start, which may lie before the window).
    """
    def inside(a: int, b: int) -> int:
        return max(0, min(b, st.t1) - max(a, st.t0))

    on = off = resets = 0
    for start, end, woke in st.idle_sleeps:
        mid = min(end, start + board.off_after_ms)
        on += inside(start, mid)
        off += inside(mid, end)
        if woke and end > mid:
            resets += 1
    return on, off, resets


def cap_wakes(board: BoardPower, st: TraceStats) -> int:
    """Wakes the board module or its port adds: long sleeps cut (watchdog feeding), periodic timer interrupts."""
    n = sum((span - 1) // board.cap_ms for span in st.light_sleeps if span > board.cap_ms)
    on, _off, _resets = _idle_split(board, st)
    if board.idle_cap_ms:
        n += int(on // board.idle_cap_ms)
    if board.periodic_ms:
        n += int((sum(st.light_sleeps) + on) // board.periodic_ms)
    return n


def charge(board: BoardPower, st: TraceStats, motor: Motor = MOTOR) -> Charge:
    ma_s = 1.0 / 1000.0  # mA x ms -> mA x s
    n_cap = cap_wakes(board, st)
    idle_on, idle_off, resets = _idle_split(board, st)
    light_ms = sum(st.light_sleeps)
    active_ms = st.awake_ms + st.wakes * board.wake_ms
    if board.motor_awake:
        # The motor runs between the wakes of its pattern, which the trace shows as sleeps.
        shift = min(st.motor_on_ms, light_ms)
        light_ms -= shift
        active_ms += shift
    return Charge(
        active=board.active_ma * active_ms * ma_s,
        light=board.light_ua / 1000.0 * (light_ms + idle_on) * ma_s,
        idle=board.idle_ua / 1000.0 * idle_off * ma_s,
        cap_wakes=board.active_ma * n_cap * board.cap_wake_ms * ma_s,
        boots=board.active_ma * resets * board.boot_ms * ma_s,
        motor=motor.ma_full * st.motor_level_ms * ma_s,
    )


@dataclass
class Estimate:
    board: str
    workout_mah_per_h: float
    motor_share: float  # of the workout's charge
    idle_mah_per_day: float
    days_between_charges: float
    capacity_mah: float
    sessions_per_week: int
    session_min: int


def idle_gap(gap_ms: int) -> TraceStats:
    """One idle spell of `gap_ms` between two sessions, ended by the press that starts the next."""
    return TraceStats(duration_ms=gap_ms, idle_ms=gap_ms, idle_wakes=1, idle_sleeps=[(0, gap_ms, True)],
                      t0=0, t1=gap_ms + 1)


def estimate(
    board: BoardPower,
    workout: TraceStats,
    idle: TraceStats,
    capacity_mah: float = 100.0,
    sessions_per_week: int = 3,
    session_min: int = 45,
    motor: Motor = MOTOR,
) -> Estimate:
    """Days between charges for a runner doing `sessions_per_week` sessions of `session_min` minutes.

    `workout` is a trace window covering a whole session (start to end), scaled to the
    week's sessions. Idle, the week is `sessions_per_week` equal spells between sessions,
    each costing what the board does in a spell that long (light sleep, then its deepest
    sleep after `off_after_ms`, and a boot out of it); `idle`, a trace window of idle time,
    adds what the firmware itself does while idle (its wakes), per hour.
    """
    cw = charge(board, workout, motor)
    workout_h = workout.duration_ms / HOUR_MS
    idle_h = idle.duration_ms / HOUR_MS
    if workout_h <= 0 or idle_h <= 0:
        raise ValueError("both traces need a duration")
    w_mah_h = cw.mah / workout_h
    week_session_h = sessions_per_week * session_min / 60.0
    week_idle_h = 168.0 - week_session_h
    gap = charge(board, idle_gap(int(week_idle_h * HOUR_MS / sessions_per_week)), motor)
    fw = charge(board, idle, motor)
    fw_mah_h = (fw.active + fw.motor) / 3600.0 / idle_h  # the firmware's own idle wakes
    week_idle_mah = sessions_per_week * gap.mah + week_idle_h * fw_mah_h
    week_mah = week_session_h * w_mah_h + week_idle_mah
    return Estimate(
        board=board.name,
        workout_mah_per_h=w_mah_h,
        motor_share=cw.motor / cw.total if cw.total else 0.0,
        idle_mah_per_day=week_idle_mah / week_idle_h * 24.0,
        days_between_charges=capacity_mah / (week_mah / 7.0),
        capacity_mah=capacity_mah,
        sessions_per_week=sessions_per_week,
        session_min=session_min,
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m host_tools.band.energy TRACE.jsonl`: the charge a sim trace costs on each board."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m host_tools.band.energy", description=main.__doc__)
    p.add_argument("trace", type=Path, help="a `runwalk sim --battery --trace` file")
    args = p.parse_args(argv)
    try:
        st = trace_stats(read_trace(args.trace))
    except (OSError, ValueError) as e:
        print("energy: %s: %s" % (args.trace, e), file=sys.stderr)
        return 1
    hours = st.duration_ms / HOUR_MS
    print("%.2f h traced: %d wakes, motor on %.1f s" % (hours, st.wakes, st.motor_on_ms / 1000))
    for key, b in BOARDS.items():
        c = charge(b, st)
        motor = 100 * c.motor / c.total if c.total else 0.0
        print("%-14s %8.4f mAh (motor %.0f %%)" % (key, c.mah, motor))
    return 0


if __name__ == "__main__":
    sys.exit(main())
