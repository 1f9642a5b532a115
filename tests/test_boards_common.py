"""What every board module does, on fake hardware that behaves like its port (tests/boards/fakehw.py)."""

import pytest
from boardcheck import events, scenario

BOARDS = ["pico", "c3", "nrf"]


@pytest.mark.parametrize("board", BOARDS)
def test_battery_sleep_ends_exactly_at_the_deadline_with_the_watchdog_fed(board):
    r = scenario(board, "deadline")
    assert r["t"] == r["deadline"]
    assert r["edges"] == []
    assert r["wdt"] is not None and r["wdt_max_gap"] < r["wdt"]


@pytest.mark.parametrize("board", BOARDS)
def test_a_press_is_reported_with_the_tick_it_happened_at(board):
    r = scenario(board, "press")
    t0 = r["t0"]
    assert r["first"] == [[True, t0 + 3217]]
    assert r["later"] == [[False, t0 + 3390]]


@pytest.mark.parametrize("board", BOARDS)
def test_with_usb_power_the_band_stays_reachable_and_runs_no_watchdog(board):
    r = scenario(board, "usb")
    assert r["wdt"] is None
    assert r["lightsleeps"] == [] and events(r, "deepsleep") == [] and events(r, "system_off") == []
    assert max(r["sleep_ms"]) <= 10  # the REPL and the button are served every 10 ms
    assert r["at_deadline"] == r["t0"] + 5000
    assert r["edges"] == [[True, r["t0"] + 9000], [False, r["t0"] + 9100]]


@pytest.mark.parametrize("board", BOARDS)
def test_a_paused_session_is_never_slept_away(board):
    r = scenario(board, "paused")  # the app does not allow powering off
    assert r["reset"] is None
    assert None not in r["lightsleeps"] and events(r, "dormant") == []  # the tick clock keeps counting the pause
    assert events(r, "deepsleep") == [] and events(r, "system_off") == []
    assert r["wdt_max_gap"] < r["wdt"]
    assert r["edges"][0] == [True, r["t0"] + 60000]


@pytest.mark.parametrize("board", BOARDS)
def test_a_hung_loop_is_reset_by_the_watchdog(board):
    assert scenario(board, "hang")["reset"] == "watchdog"


@pytest.mark.parametrize("board", BOARDS)
def test_the_button_irq_allocates_nothing_and_keeps_the_last_level(board):
    r = scenario(board, "irq_alloc")
    assert r["error"] is None  # ran 40 times with the heap locked
    assert r["n"] == 15  # the queue holds 15 edges ...
    assert r["last"] == [False, r["t"]]  # ... and the newest level wins when it overflows


@pytest.mark.parametrize("board", BOARDS)
def test_a_click_that_wakes_the_band_starts_the_workout(board):
    r = scenario(board, "wake_click")
    assert r["started"] is not None


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("epoch", ["clock", "clock2000"])
def test_the_wall_clock_reads_back_unix_seconds_whatever_the_port_epoch(board, epoch):
    r = scenario(board, epoch)
    assert r["before"] is None  # never set: the session header says so instead of a wrong date
    assert r["after"] == 1767225600 + 90


@pytest.mark.parametrize("board", BOARDS)
def test_battery_voltage_through_the_divider(board):
    r = scenario(board, "battery")
    assert abs(r["mv"] - 3900) <= 20


@pytest.mark.parametrize("board", BOARDS)
def test_motor_strength_is_pwm_duty_and_off_is_a_plain_low_output(board):
    log = [[w, a] for (_t, w, a) in scenario(board, "motor")["log"]]
    pin = scenario_pins[board]
    assert log == [["pwm", 0], ["duty", 52428],  # 80 %
                   ["pwm_deinit", None], ["pin", [pin, 1, 0]],  # off: PWM stopped, the pin driven low
                   ["pwm", 0], ["duty", 65535]]  # the next cue starts a PWM again


scenario_pins = {"pico": 14, "c3": 10, "nrf": 28}


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("kind", ["motor_off", "motor_off_idle"])
def test_the_motor_pin_is_low_when_any_sleep_begins_right_after_the_motor_is_switched_off(board, kind):
    # The fake PWM double-buffers the duty until its counter wraps and stops with
    # the clock in light sleep, as the RP2040 does (rp-rs/rp-hal#561): a duty of 0
    # written just before a sleep would leave the pin high through it.
    r = scenario(board, kind)
    assert r["on"] == 1  # the pulse did drive the pin
    assert r["pin_at_sleep"] and all(level == 0 for level in r["pin_at_sleep"])


@pytest.mark.parametrize("board", ["pico", "c3"])
def test_the_motor_never_stops_mid_pattern_because_of_light_sleep(board):
    r = scenario(board, "motor_sleep")
    assert r["during"] and all(w == "sleep_ms" and a <= 20 for (_t, w, a) in r["during"])
    assert r["t"] == r["t0"] + 3000
    assert any(w == "lightsleep" for (_t, w, _a) in r["after"])  # motor off: light sleep again


def test_the_nrf_sleeps_with_the_motor_running_because_its_pwm_keeps_its_clock():
    r = scenario("nrf", "motor_sleep")
    assert [w for (_t, w, _a) in r["during"]] == ["wfe"]  # one sleep through the 400 ms pulse
    assert r["t"] == r["t0"] + 3000


@pytest.mark.parametrize("board", BOARDS)
def test_after_a_watchdog_reset_the_session_the_hang_left_open_ends_as_a_fault(board):
    r = scenario(board, "wdt_reset")
    assert r["flag"] is True and r["plain_flag"] is False
    assert r["end"] == 4  # logfmt.END_FAULT, not END_INTERRUPTED (2): the power never went
