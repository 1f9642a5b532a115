"""Long `mpremote exec`s reach the virtual wristband whole, no host reaches a band
through the link of another, dead one, and a hard reset unplugs the port as a board's does.

CI once saw `bench.pull.seed` fail with `ValueError: incorrect padding`: bytes of a long
exec were missing on the band. The cause was not the sim's input path (10 to 200 KB execs
through mpremote, idle and beside busy CPUs, lost nothing: commit fdddd80) but a link: a
sim killed with -9 left its `--link`
naming /dev/pts/K, the kernel gave K to the next pty opened (another test's sim, or its
MicroPython child's terminal), and the power-cut campaign's host command, started just
before its cut, opened that link: pyserial's open flushed the child's unread input.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
import pty
import random
import select
import shutil
import signal
import subprocess
import sys
import tty
from pathlib import Path
from typing import Any

import pytest
import serial
from mpremote.transport_serial import SerialTransport
from simtools import _children, _wait_gone

from host_tools.sim.child import Child
from host_tools.sim.hostport import HostPort
from host_tools.sim.lifecycle import Lifecycle

SIZES = (10_000, 50_000, 100_000, 200_000)


def test_long_execs_arrive_whole(make_band: Any) -> None:
    band = make_band().start()
    t = SerialTransport(band.port, baudrate=115200, timeout=10)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # mpremote prints on failures
            t.enter_raw_repl(soft_reset=True, timeout_overall=30)
            for n in SIZES:
                text = base64.b64encode(random.randbytes(n * 3 // 4)).decode()
                out, err = t.exec_raw("import hashlib, binascii\nd = %r\n"
                                      "print(len(d), binascii.hexlify(hashlib.sha256(d).digest()).decode())" % text,
                                      timeout=60)
                assert err == b""
                assert out.decode().split() == [str(len(text)), hashlib.sha256(text.encode()).hexdigest()]
    finally:
        t.close()


def test_a_killed_bands_link_reaches_no_other_pty(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path).start()
    assert band.proc is not None
    tty = os.path.realpath(band.link)  # the pty the link reaches while the band runs
    assert tty.startswith("/dev/pts/")
    kids = _children(band.proc.pid)
    os.kill(band.proc.pid, signal.SIGKILL)  # the sim cannot remove its link
    band.proc.wait()
    for pid in kids:
        _wait_gone(pid)
    band._close()
    assert band.link.is_symlink()
    held: list[int] = []
    try:
        # The kernel hands the freed pty number to the next pty opened: ours, unless another
        # process was quicker (then that one is the pty the dead band's link must not reach).
        while not os.path.exists(tty) and len(held) < 256:
            held += pty.openpty()
        assert os.path.exists(tty)
        assert not os.path.exists(band.link)  # as a board's port, gone when it is unplugged
        with pytest.raises(serial.SerialException):
            serial.Serial(str(band.link), 115200, timeout=1)
    finally:
        for fd in held:
            os.close(fd)


def test_no_other_program_opens_the_bands_own_terminal(make_band: Any) -> None:
    # The MicroPython child's pty is the band's inside: a program that opened it (as a stale
    # /dev/pts link of an older sim did) took the band's unread input away.
    band = make_band().start()
    assert band.proc is not None
    term = os.readlink("/proc/%d/fd/0" % _children(band.proc.pid)[0])
    opener = [sys.executable, "-c", "import os, sys; os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)", term]
    if os.geteuid() == 0:  # root opens an exclusive tty anyway, unless it gives up CAP_SYS_ADMIN
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to give up CAP_SYS_ADMIN")
        opener = ["setpriv", "--bounding-set=-sys_admin", *opener]
    r = subprocess.run(opener, capture_output=True, text=True, timeout=30)
    assert r.returncode != 0 and "Device or resource busy" in r.stderr, r.stderr
    assert band.exec("print(6 * 7)").strip() == "42"


def test_machine_reset_unplugs_the_port_as_a_board_does(make_band: Any) -> None:
    # Before: mpremote waited forever for the end of an exec that reset the band (the port
    # stayed open and quiet). A board's USB device goes at a reset: mpremote says so.
    band = make_band().start()
    mark = len(band.events())
    r = band.mpremote("exec", "import machine; machine.reset()", check=False, timeout=20)
    assert r.returncode == 1 and "Input/output error" in r.stderr.strip().splitlines()[-1]
    assert band.wait_event("boot", since=mark, main=True)  # main.py runs, as after power-on
    assert band.mpremote("eval", "6 * 7").stdout.strip() == "42"  # the link reaches the band again
    band.mpremote("fs", "ls", ":", "+", "reset")  # a host that is gone by the reset sees nothing of it
    assert band.mpremote("eval", "2 + 2").stdout.strip() == "4"


class _Band:
    """A MicroPython child stand-in that sits at its prompt: what pump_input needs of one."""

    ready = True
    kbd_off = False

    def alive(self) -> bool:
        return True

    def catches_sigint(self) -> bool:
        return False

    def at_prompt(self) -> bool:
        return True

    def raw_tty(self) -> bool:
        return True


def test_input_survives_short_writes_to_a_slow_band() -> None:
    # The pump writes through the real Child.write_input to a real pty whose reader takes a
    # little at a time: the kernel's buffer fills, writes come back short or not at all.
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    child: Any = _Band()
    child.master = master
    child.write_input = Child.write_input.__get__(child)
    life = Lifecycle.__new__(Lifecycle)
    life.child, life.port, life.pending_raw = child, HostPort(None), False
    sent = random.randbytes(300_000).replace(b"\x03", b"x")  # Ctrl-C is an interrupt, not data
    got = bytearray()
    try:
        os.set_blocking(slave, False)
        tty.setraw(slave)
        for i in range(0, len(sent), 7000):
            life.port.gate.push(sent[i:i + 7000])
            life.pump_input()
            with contextlib.suppress(BlockingIOError):
                got += os.read(slave, 1000)
        rounds = 0
        while len(got) < len(sent) and rounds < 100_000:
            life.pump_input()
            with contextlib.suppress(BlockingIOError):
                got += os.read(slave, 4096)
            rounds += 1
    finally:
        os.close(master)
        os.close(slave)
    assert bytes(got) == sent


def test_without_proc_the_link_names_the_tty_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # macOS has no /proc: a link to /proc/PID/fd/N would name nothing there and no host could connect.
    from host_tools.sim import hostport

    real_isdir = os.path.isdir
    monkeypatch.setattr(hostport.os.path, "isdir", lambda p: False if p == "/proc/self/fd" else real_isdir(p))
    port = hostport.HostPort(tmp_path / "band")
    port.open()
    try:
        assert os.readlink(tmp_path / "band") == port.tty_name
        with serial.Serial(str(tmp_path / "band"), timeout=0) as host:  # a host reaches the band's pty
            host.write(b"hi")
            host.flush()
            got = b""
            while got != b"hi" and select.select([port.fd], [], [], 10)[0]:
                got += os.read(port.fd, 16)
            assert got == b"hi"
    finally:
        port.close()
    assert not (tmp_path / "band").exists()
