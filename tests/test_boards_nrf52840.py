"""Seeed XIAO nRF52840 specifics (boards/xiao_nrf52840.py)."""

from boardcheck import events, scenario

P0_PIN_CNF_3 = 0x50000700 + 4 * 3
DAY = 24 * 3600 * 1000
OVERFLOW_MS = (1 << 24) * 1000 // 32768  # RTC1's 24-bit counter at 32768 Hz: 512 s


def test_a_deadline_is_one_wake_of_an_rtc1_compare_with_the_ports_1_ms_tick_paused():
    r = scenario("nrf", "deadline")
    assert r["t"] == r["deadline"]
    assert r["wfe"] == 1 and events(r, "woke") == ["compare"]  # not 20 000 ticks, not 400 slices
    assert r["sleep_ms"] == [] and r["lightsleeps"] == []


def test_a_press_ends_the_sleep_at_once_with_its_own_tick():
    r = scenario("nrf", "press")
    assert r["woke"] == r["t0"] + 3217
    assert events(r, "woke") == ["button", "button"]


def test_idle_stays_in_system_on_woken_only_by_the_button_and_the_counters_overflow():
    r = scenario("nrf", "idle_days")
    assert r["reset"] is None and events(r, "system_off") == []  # the clocks run on: sessions stay dated
    assert r["edges"][0] == [True, r["t0"] + 2 * DAY]
    woke = events(r, "woke")
    assert woke[-1] == "button" and set(woke[:-1]) == {"overflow"}
    assert len(woke) - 1 == 2 * DAY // OVERFLOW_MS  # 337 wakes in two days
    assert r["wdt_max_gap"] < r["wdt"]  # paused while the CPU sleeps: nothing to feed


def test_after_a_week_idle_it_enters_system_off_with_the_button_sensed_low_and_the_motor_pin_low():
    r = scenario("nrf", "idle_weeks")
    assert r["reset"] == "system off"
    assert 7 * DAY <= r["t"] - r["t0"] <= 7 * DAY + OVERFLOW_MS
    mem = dict(r["mem"])
    assert mem[P0_PIN_CNF_3] == (3 << 2) | (3 << 16)  # pull-up, SENSE = low
    assert [28, 1, 0] in events(r, "pin")  # motor gate held low through System OFF


def test_a_watchdog_that_counts_in_sleep_from_an_older_firmware_is_fed_in_time():
    r = scenario("nrf", "old_wdt")
    assert r["t"] == r["deadline"]
    assert r["wdt_max_gap"] < r["wdt"] and r["wfe"] >= 60000 // 8000


def test_the_battery_divider_is_connected_only_while_measuring():
    r = scenario("nrf", "battery")
    assert events(r, "pin")[-2:] == [[14, 1, 0], [14, 0, None]]


def test_the_sense_variants_imu_is_switched_off():
    assert [40, 1, 0] in events(scenario("nrf", "battery"), "pin")


def test_uid_comes_from_ficr_when_the_port_gives_no_unique_id():
    assert scenario("nrf", "uid_ficr")["uid"] == "5566778811223344"


def test_the_unused_external_flash_is_sent_to_deep_power_down():
    r = scenario("nrf", "flash_sleep")
    assert (r["bits"], r["byte"]) == (8, 0xB9)  # DEEP POWER-DOWN, clocked in while CS was low
    assert r["cs_end"] == 1  # CS high again: the command takes effect
