"""Known MicroPython port issues that touch the band, by version: the one list
boards/README.md shows (rendered from here; tests/test_port_issues.py keeps them
equal) and `runwalk deploy` checks the band's own version against.

An issue either affects the band (`warn`: deploy says so in one line) or is one the
board module already works around (listed so a reader knows why the code is so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Version = tuple[int, int, int]


@dataclass(frozen=True)
class PortIssue:
    port: str  # sys.platform: rp2, esp32, nrf
    chip: str  # regex sys.implementation._machine must hold ("" = every board of the port)
    boards: str  # the boards it touches, in words
    what: str  # the issue, one sentence
    effect: str  # what it does to the band, or how the board module avoids it
    since: Version | None  # first version affected (None: every version with the feature)
    fixed: Version | None  # first version without it (None: not fixed yet)
    links: tuple[str, ...]
    warn: bool  # True: it affects the band on an affected version (deploy warns)

    def affects(self, platform: str, machine: str, version: Version) -> bool:
        if port_of(platform, machine) != self.port:
            return False
        if self.chip and not re.search(self.chip, machine, re.IGNORECASE):
            return False
        if self.since is not None and version < self.since:
            return False
        return self.fixed is None or version < self.fixed


ISSUES = (
    PortIssue(
        "rp2", "RP2040", "Pico, Pico W",
        "A watchdog that fires during `machine.lightsleep()` locks the RP2040 until power-on: lightsleep stops "
        "the ring oscillator, which the watchdog reset does not restart.",
        "Handled: boards/pico.py stops the watchdog for every lightsleep and starts it again after (a band "
        "whose watchdog fired in one would stay dead until its battery is disconnected).",
        (1, 19, 0), (1, 26, 0),
        ("https://github.com/micropython/micropython/issues/17228",
         "https://github.com/micropython/micropython/pull/17546"),
        False,
    ),
    PortIssue(
        "rp2", "RP2350", "Pico 2, Pico 2 W",
        "The watchdog does not count during `machine.lightsleep()` on the RP2350.",
        "Handled: boards/pico.py runs the watchdog only while the band is awake anyway.",
        (1, 24, 0), (1, 26, 0),
        ("https://github.com/micropython/micropython/issues/17229",
         "https://github.com/micropython/micropython/pull/17546"),
        False,
    ),
    PortIssue(
        "rp2", r"Pico (2 )?W\b", "Pico W, Pico 2 W",
        "On the Pico W (and a Pico with `network` imported) `machine.lightsleep(ms)` returns at once instead "
        "of sleeping.",
        "The band never sleeps between cues and idles awake: the battery lasts a fraction of the figures in "
        "docs/performance.md.",
        (1, 24, 0), None,
        ("https://github.com/micropython/micropython/issues/16181",
         "https://github.com/micropython/micropython/issues/17204"),
        True,
    ),
    PortIssue(
        "rp2", "", "all",
        "A pin IRQ wakes `machine.lightsleep()` only when a timeout is given; with none it goes DORMANT, which "
        "nothing the port sets up wakes.",
        "Handled: boards/pico.py always gives lightsleep a timeout and arms the button as DORMANT's wake source "
        "itself (IO_BANK0 registers).",
        None, None,
        ("https://github.com/micropython/micropython/issues/7035",),
        False,
    ),
    PortIssue(
        "rp2", "", "all",
        "`machine.lightsleep(ms)` counts in a 32-bit microsecond alarm: about 72 minutes at most.",
        "Handled: boards/pico.py caps each lightsleep at an hour.",
        None, None,
        ("https://github.com/micropython/micropython/pull/8832",),
        False,
    ),
    PortIssue(
        "esp32", "", "ESP32-C3 (all with USB Serial/JTAG)",
        "The USB Serial/JTAG console (ESP32-C3's USB) stops in light and deep sleep.",
        "Handled: boards/xiao_esp32c3.py never sleeps while USB power is present, so mpremote always connects.",
        None, None,
        ("https://github.com/micropython/micropython/issues/9414",
         "https://github.com/espressif/esp-idf/issues/8507"),
        False,
    ),
    PortIssue(
        "nrf", "", "all",
        "`machine.lightsleep()` is a bare WFE that ignores its timeout, and `machine.deepsleep()` does not "
        "enter System OFF.",
        "Handled: boards/xiao_nrf52840.py arms RTC1's compare for each deadline and enters System OFF through "
        "the POWER registers itself.",
        None, None,
        ("https://github.com/micropython/micropython/issues/6298",
         "https://github.com/micropython/micropython/pull/13367"),
        False,
    ),
    PortIssue(
        "nrf", "", "all",
        "`machine.reset_cause()` reports a wake from System OFF as `PWRON_RESET`, and keeps the cause across "
        "soft resets.",
        "Handled: boards/xiao_nrf52840.py reads PWRON_RESET as the button's wake, except when the host started "
        "the app after setting the clock.",
        None, None,
        ("https://github.com/micropython/micropython/pull/13367",),
        False,
    ),
)

PORT_NAMES = {"rp2": "rp2 (Raspberry Pi Pico, Pico W, Pico 2)", "esp32": "esp32 (XIAO ESP32-C3)",
              "nrf": "nrf (XIAO nRF52840)"}
# A chip named in sys.implementation._machine -> its port (for a band whose platform does not
# say it: the virtual band standing in for a board, `runwalk sim --as`).
CHIPS = (("RP2040", "rp2"), ("RP2350", "rp2"), ("nRF52840", "nrf"), ("ESP32C3", "esp32"))


def port_of(platform: str, machine: str) -> str:
    if platform in PORT_NAMES:
        return platform
    for chip, port in CHIPS:
        if chip.lower() in machine.lower().replace("-", ""):
            return port
    return platform


def parse_version(text: str) -> Version | None:
    """`1.25.0` or `(1, 25, 0, '')` (sys.implementation.version) -> (1, 25, 0); None if neither."""
    nums = re.findall(r"\d+", text)
    if len(nums) < 2:
        return None
    return int(nums[0]), int(nums[1]), int(nums[2]) if len(nums) > 2 else 0


def affecting(platform: str, machine: str, version: Version) -> list[PortIssue]:
    return [i for i in ISSUES if i.warn and i.affects(platform, machine, version)]


def _v(v: Version) -> str:
    return "%d.%d.%d" % v


def versions(i: PortIssue) -> str:
    if i.since is None and i.fixed is None:
        return "all"
    if i.fixed is None:
        return "%s and later (open)" % _v(i.since) if i.since else "all (open)"
    if i.since is None:
        return "before %s" % _v(i.fixed)
    return "from %s; fixed in %s" % (_v(i.since), _v(i.fixed))


def warning(version: Version, machine: str, found: list[PortIssue]) -> str:
    """The one line `runwalk deploy` prints."""
    parts = []
    for i in found:
        fix = "fixed in MicroPython %s" % _v(i.fixed) if i.fixed else "not fixed yet"
        # What it does to the band too: the issue alone ("lightsleep returns at once") does not tell a
        # runner that the battery runs out in a fraction of the time.
        what = i.what.rstrip(".")
        effect = i.effect.rstrip(".")
        parts.append("%s%s, so %s%s (%s; %s)" % (what[0].lower(), what[1:], effect[0].lower(), effect[1:], fix,
                                                  i.links[0]))
    return "MicroPython %s on this band (%s) has %s that affect%s the band: %s; see boards/README.md" % (
        _v(version), machine.strip() or "?", "a known issue" if len(found) == 1 else "%d known issues" % len(found),
        "s" if len(found) == 1 else "", "; ".join(parts))


MARK_START = "<!-- port-issues: generated from host_tools/band/port_issues.py -->"
MARK_END = "<!-- /port-issues -->"


def render_markdown() -> str:
    """The tables boards/README.md holds between MARK_START and MARK_END."""
    out = [MARK_START]
    for port, title in PORT_NAMES.items():
        out += ["", "**%s**" % title, "", "| issue | boards | versions | for the band | links |",
                "| --- | --- | --- | --- | --- |"]
        for i in ISSUES:
            if i.port != port:
                continue
            links = ", ".join("[%s](%s)" % (_link_name(u), u) for u in i.links)
            effect = ("**affects the band; `runwalk deploy` warns.** " if i.warn else "") + i.effect
            out.append("| %s | %s | %s | %s | %s |" % (i.what, i.boards, versions(i), effect, links))
    out += ["", MARK_END]
    return "\n".join(out)


def _link_name(url: str) -> str:
    m = re.search(r"github\.com/([^/]+/[^/]+)/(issues|pull)/(\d+)", url)
    if m is None:
        return url
    repo = "" if m.group(1) == "micropython/micropython" else m.group(1).split("/")[1]
    return "%s#%s" % (repo, m.group(3))


def update_readme(text: str) -> str:
    """boards/README.md with its port-issue tables regenerated."""
    a, b = text.index(MARK_START), text.index(MARK_END) + len(MARK_END)
    return text[:a] + render_markdown() + text[b:]
