"""Raspberry Pi Pico specifics (boards/pico.py)."""

from boardcheck import events, scenario


def test_the_watchdog_is_off_through_every_light_sleep_so_a_long_one_needs_no_feeding_wake():
    r = scenario("pico", "deadline")
    assert r["wdt"] <= 8388
    assert r["lightsleeps"] == [20000]  # one wake for a 20 s deadline
    kinds = [w for (_t, w, _a) in r["log"] if w in ("wdt", "wdt_off", "lightsleep")]
    assert kinds[-3:] == ["wdt_off", "lightsleep", "wdt"]  # a watchdog firing in lightsleep can lock an RP2040


def test_idle_on_battery_goes_dormant_with_the_watchdog_off_and_the_button_wakes_it():
    r = scenario("pico", "idle")
    kinds = [w for (_t, w, _a) in r["log"]]
    assert r["lightsleeps"] == [None]  # DORMANT, once: no timer wakes in an idle hour
    assert kinds.index("wdt_off") < kinds.index("lightsleep") < len(kinds) - 1 - kinds[::-1].index("wdt")
    assert r["edges"][0][0] is True
    assert all(v == 0 for (_a, v) in r["mem"])  # the dormant wake bit is disarmed again


def test_held_button_release_is_seen():
    r = scenario("pico", "held")
    assert r["first"] == [[True, r["t0"] + 100]] and r["second"] == [[False, r["t0"] + 2500]]
    assert events(r, "deepsleep") == []
