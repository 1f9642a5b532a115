"""Seeed XIAO ESP32-C3 specifics (boards/xiao_esp32c3.py)."""

from boardcheck import events, scenario


def test_idle_on_battery_deep_sleeps_with_the_button_as_low_level_wake():
    r = scenario("c3", "idle")
    assert r["reset"] == "deep sleep"
    assert events(r, "deepsleep") == [0]  # armed: wake when the button pulls the pin low


def test_a_held_button_arms_light_sleep_for_its_release_not_its_press():
    r = scenario("c3", "held")
    assert events(r, "wake_on_gpio") == [0, 1]  # low wakes while up; high wakes while held
    assert r["first"] == [[True, r["t0"] + 100]]
    assert r["second"] == [[False, r["t0"] + 2500]]


def test_light_sleeps_are_capped_below_the_watchdog():
    r = scenario("c3", "deadline")
    assert max(r["lightsleeps"]) <= 32000 < r["wdt"]


def test_the_press_that_woke_it_from_deep_sleep_starts_the_session_at_once():
    r = scenario("c3", "wake_click")
    assert r["started"] - r["t0"] <= 100
