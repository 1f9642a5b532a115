"""What the virtual band models of the board it stands in for (`runwalk sim --as BOARD`).

The wall clock across resets, as each port keeps it (checked in the ports' sources):
- rp2 (Pico): main.c starts the RTC (the AON timer on 1.24+) at 2021-01-01 before its
  soft-reset loop, so a soft reset keeps the clock and any hard reset (power-on,
  `machine.reset()`, the watchdog) loses it. DORMANT stops it (boards/pico.py).
- esp32 (XIAO ESP32-C3): the RTC counts through `machine.reset()`, soft resets and deep
  sleep; only power-on loses it.
- nrf (XIAO nRF52840): no RTC; boards/xiao_nrf52840.py keeps the clock in a module
  global, so every reset loses it, soft ones included, and so does System OFF (a reset).
Without --as the sim keeps its clock across every reset, as it always has.

And what the band says it is: `sys.implementation._machine` (so `runwalk deploy` sees
the board's chip) and, with --mp-version, the MicroPython version it reports.
"""

from __future__ import annotations

import re

from host_tools.errors import RunwalkError

# --as name -> (clock model, sys.implementation._machine as the board's firmware reports it)
BOARDS = {
    "pico": ("rp2", "Raspberry Pi Pico with RP2040"),
    "pico_w": ("rp2", "Raspberry Pi Pico W with RP2040"),
    "pico2": ("rp2", "Raspberry Pi Pico2 with RP2350"),
    "xiao_esp32c3": ("esp32", "ESP32C3 module with ESP32C3"),
    "xiao_nrf52840": ("nrf", "Seeed XIAO nRF52840 with nRF52840"),
}

# Which resets keep the wall clock, per clock model.
KEEPS = {
    None: {"soft": True, "hard": True},
    "rp2": {"soft": True, "hard": False},
    "esp32": {"soft": True, "hard": True},
    "nrf": {"soft": False, "hard": False},
}
# Idle on battery this long (the app allowing it), the board enters a sleep that loses the
# clock: the Pico DORMANT (boards/pico.py _DORMANT_AFTER_MS), the nRF System OFF
# (boards/xiao_nrf52840.py _OFF_AFTER_MS). The C3's deep sleep keeps it. tests/test_clock.py
# checks these against the board modules.
OFF_AFTER_MS = {"rp2": 24 * 3600 * 1000, "nrf": 7 * 24 * 3600 * 1000}


def clock_model(board: str | None) -> str | None:
    return BOARDS[board][0] if board else None


def machine_name(board: str | None) -> str | None:
    return BOARDS[board][1] if board else None


def after_reset(board: str | None, wall: list[int] | None, soft: bool) -> list[int] | None:
    """The band's wall clock after a reset: kept, or lost (None), as the port does."""
    return wall if KEEPS[clock_model(board)]["soft" if soft else "hard"] else None


def parse_version(text: str) -> tuple[int, int, int]:
    """`1.22.0` (or `1.22`) -> (1, 22, 0)."""
    m = re.fullmatch(r"(\d+)\.(\d+)(?:\.(\d+))?", text.strip())
    if m is None:
        raise RunwalkError("a MicroPython version is MAJOR.MINOR[.MICRO], such as 1.22.0 (got %r)" % text)
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
