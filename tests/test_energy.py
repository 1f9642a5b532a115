"""The energy model (host_tools/band/energy.py) on traces built by hand in the sim's trace format (design 4.4)."""

import pytest

from host_tools.band import energy
from host_tools.band.energy import BOARDS, MOTOR, cap_wakes, charge, estimate, trace_stats

HOUR = energy.HOUR_MS


def workout_trace(minutes=45, cue_every_s=60, cue_ms=800, level=80):
    """A session that buzzes `cue_ms` at `level` every `cue_every_s` and sleeps in between."""
    ev = [{"t": 0, "ev": "session", "what": "start"}]
    t = 0
    end = minutes * 60_000
    while t < end:
        ev += [{"t": t, "ev": "motor", "on": True, "level": level},
               {"t": t, "ev": "sleep", "ms": cue_ms}, {"t": t + cue_ms, "ev": "wake", "reason": "timer"},
               {"t": t + cue_ms, "ev": "motor", "on": False, "level": 0},
               {"t": t + cue_ms, "ev": "sleep", "ms": cue_every_s * 1000 - cue_ms}]
        t += cue_every_s * 1000
        ev.append({"t": t, "ev": "wake", "reason": "timer"})
    ev.append({"t": end, "ev": "session", "what": "end", "completed": True})
    return ev


def idle_trace(hours=24):
    return [{"t": 0, "ev": "sleep"}, {"t": hours * HOUR, "ev": "wake", "reason": "button"}]


def test_motor_charge_follows_on_time_and_strength():
    ev = [{"t": 0, "ev": "motor", "on": True, "level": 100}, {"t": 1000, "ev": "motor", "on": True, "level": 50},
          {"t": 3000, "ev": "motor", "on": False, "level": 0}]
    st = trace_stats(ev)
    assert st.motor_on_ms == 3000
    assert st.motor_level_ms == pytest.approx(1000 + 1000)
    assert charge(BOARDS["pico"], st).motor == pytest.approx(MOTOR.ma_full * 2.0)  # mA x s


def test_idle_hours_cost_the_boards_idle_sleep_current_and_nothing_else():
    st = trace_stats(idle_trace(24))
    assert st.idle_ms == 24 * HOUR and st.light_sleeps == [] and st.wakes == 0  # the press ends the window
    c3 = charge(BOARDS["xiao_esp32c3"], st)
    assert c3.idle / 3600 == pytest.approx(44e-3 * 24)  # deep sleep at once: 44 uA for a day, in mAh
    nrf = charge(BOARDS["xiao_nrf52840"], st)
    assert nrf.idle == 0 and nrf.light / 3600 == pytest.approx(5.4e-3 * 24)  # a day in System ON
    assert c3.motor == 0 and nrf.motor == 0


def test_the_nrf_enters_system_off_only_after_a_week_idle_and_pays_a_boot_out_of_it():
    nrf = BOARDS["xiao_nrf52840"]
    week = 7 * 24 * HOUR
    six_days = charge(nrf, trace_stats(idle_trace(6 * 24), end=6 * 24 * HOUR + 1))
    assert six_days.idle == 0 and six_days.boots == 0  # System ON all the way: the clocks run on
    ten_days = charge(nrf, trace_stats(idle_trace(10 * 24), end=10 * 24 * HOUR + 1))
    assert ten_days.light / 3600 == pytest.approx(5.4e-3 * week / HOUR, rel=1e-3)
    assert ten_days.idle / 3600 == pytest.approx(2.4e-3 * 3 * 24, rel=1e-3)  # three days in System OFF
    assert ten_days.boots == pytest.approx(nrf.active_ma * nrf.boot_ms / 1000)  # the click that woke it
    assert cap_wakes(nrf, trace_stats(idle_trace(10 * 24))) == week // nrf.periodic_ms  # RTC1 overflows


def test_long_sleeps_cost_the_wakes_the_board_module_cuts_them_into():
    ev = [{"t": 0, "ev": "session", "what": "start"}, {"t": 0, "ev": "sleep", "ms": 100_000},
          {"t": 100_000, "ev": "wake", "reason": "timer"}]
    st = trace_stats(ev)
    assert st.light_sleeps == [100_000]
    c3 = BOARDS["xiao_esp32c3"]
    assert cap_wakes(c3, st) == 3  # 32 s pieces under its 40 s watchdog
    assert charge(c3, st).cap_wakes == pytest.approx(c3.active_ma * 3 * c3.cap_wake_ms / 1000)
    assert cap_wakes(BOARDS["pico"], st) == 0  # no watchdog through a lightsleep: one piece
    assert cap_wakes(BOARDS["xiao_nrf52840"], st) == 0  # one RTC1 compare, under its 512 s overflow


def test_a_paused_session_sleeps_light_not_deep():
    ev = [{"t": 0, "ev": "session", "what": "start"}, {"t": 0, "ev": "sleep"},
          {"t": HOUR, "ev": "wake", "reason": "button"}]
    st = trace_stats(ev)
    assert st.idle_ms == 0 and st.light_sleeps == [HOUR]


def test_a_window_counts_only_what_falls_inside_it():
    ev = workout_trace(minutes=10)
    st = trace_stats(ev, start=120_000, end=240_000)
    assert st.duration_ms == 120_000
    assert st.wakes == 4  # two cues, each: end of the buzz, end of the gap
    assert st.motor_on_ms == 2 * 800


def test_deep_sleep_exits_cost_a_boot_on_boards_that_reset():
    st = trace_stats(idle_trace(1), end=HOUR + 1)
    assert st.idle_wakes == 1
    assert charge(BOARDS["xiao_esp32c3"], st).boots > 0
    assert charge(BOARDS["pico"], st).boots == 0  # DORMANT resumes in place
    assert charge(BOARDS["xiao_nrf52840"], st).boots == 0  # an hour idle: still System ON


def test_the_app_saying_may_power_off_makes_a_sleep_idle_whatever_else_the_trace_says():
    ev = [{"t": 0, "ev": "sleep", "may_power_off": True}, {"t": HOUR, "ev": "wake", "reason": "button"},
          {"t": HOUR, "ev": "sleep"}, {"t": 2 * HOUR, "ev": "wake", "reason": "button"}]
    st = trace_stats(ev, end=2 * HOUR)
    assert st.idle_ms == HOUR and st.light_sleeps == [HOUR]  # a trace that says so: only the first


def test_more_sessions_a_week_mean_fewer_days_between_charges_and_the_motor_dominates_on_the_nrf():
    w = trace_stats(workout_trace())
    i = trace_stats(idle_trace())
    nrf = BOARDS["xiao_nrf52840"]
    three = estimate(nrf, w, i, sessions_per_week=3)
    six = estimate(nrf, w, i, sessions_per_week=6)
    assert six.days_between_charges < three.days_between_charges
    assert three.motor_share > 0.5
    # 100 mAh over the computed days equals a week's charge x days / 7.
    week = 3 * 0.75 * three.workout_mah_per_h + (168 - 2.25) * three.idle_mah_per_day / 24
    assert three.days_between_charges == pytest.approx(100 / (week / 7))


def test_the_pico_cannot_last_a_week_on_100_mah_and_the_nrf_lasts_longest():
    w = trace_stats(workout_trace())
    i = trace_stats(idle_trace())
    days = {k: estimate(b, w, i).days_between_charges for k, b in BOARDS.items()}
    assert days["pico"] < 7
    assert max(days, key=lambda k: days[k]) == energy.RECOMMENDED


def test_every_current_figure_has_a_source():
    for b in BOARDS.values():
        for f in ("active_ma", "light_ua", "idle_ua", "cap_ms"):
            assert b.sources.get(f), (b.name, f)
    assert "http" in MOTOR.source


def test_boards_that_cannot_pwm_in_light_sleep_pay_active_current_while_the_motor_runs():
    ev = [{"t": 0, "ev": "session", "what": "start"}, {"t": 0, "ev": "motor", "on": True, "level": 80},
          {"t": 0, "ev": "sleep", "ms": 1000}, {"t": 1000, "ev": "wake", "reason": "timer"},
          {"t": 1000, "ev": "motor", "on": False, "level": 0}]
    st = trace_stats(ev)
    c3 = charge(BOARDS["xiao_esp32c3"], st)
    nrf = charge(BOARDS["xiao_nrf52840"], st)
    assert c3.light == 0 and c3.active >= BOARDS["xiao_esp32c3"].active_ma * 1.0  # a whole second awake
    assert nrf.light > 0 and nrf.active < 0.1
