"""Seeed XIAO nRF52840 specifics (boards/xiao_nrf52840.py)."""

from boardcheck import events, scenario

P0_PIN_CNF_3 = 0x50000700 + 4 * 3


def test_no_lightsleep_on_nrf_sleeps_in_short_wfi_slices():
    r = scenario("nrf", "deadline")
    assert r["lightsleeps"] == []  # the port's lightsleep is a WFE that ignores its timeout
    assert max(r["sleep_ms"]) <= 50


def test_a_press_is_acted_on_within_one_slice():
    r = scenario("nrf", "press")
    assert r["t0"] + 3217 <= r["woke"] <= r["t0"] + 3217 + 50


def test_idle_on_battery_enters_system_off_with_the_button_sensed_low_and_the_motor_pin_low():
    r = scenario("nrf", "idle")
    assert r["reset"] == "system off"
    mem = dict(r["mem"])
    assert mem[P0_PIN_CNF_3] == (3 << 2) | (3 << 16)  # pull-up, SENSE = low
    assert [28, 1, 0] in events(r, "pin")  # motor gate held low through System OFF


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
