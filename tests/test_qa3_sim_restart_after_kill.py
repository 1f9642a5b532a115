"""A sim killed with -9 and started again on the same image and --link comes up.

Before: the killed sim's link stayed (nobody removed it), the new sim's pty took the freed
number the link named, and the new sim found itself serving that pty: it refused to start
with "<link> is the port of a band still running (..., runwalk sim pid <its own pid>): stop
that sim", a sim the user could not stop.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from simtools import _children, _wait_gone


def test_kill_9_then_restart_on_the_same_link(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path).start()
    assert band.proc is not None
    kids = _children(band.proc.pid)
    os.kill(band.proc.pid, signal.SIGKILL)  # `kill -9 <sim pid>`: the sim cannot remove its link
    band.proc.wait()
    for pid in kids:
        _wait_gone(pid)
    band._close()
    assert band.link.is_symlink()  # what a user has: the stale link of the killed sim
    band.start()  # waits for `ready`; raises if the sim refused to start
    assert band.exec("print(6 * 7)").strip() == "42"  # mpremote reaches the new band on the link


def test_a_stale_link_naming_a_pty_another_sim_took_is_replaced(make_band: Any, tmp_path: Path) -> None:
    # Before: a killed sim's link named a pty number another sim (with its own link) had taken
    # since; the restarted sim refused "...is the port of a band still running (runwalk sim pid
    # <the other sim>)", though that sim was not the link's band (CI saw it with tests in parallel).
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    other = make_band(tmp_path / "a").start()
    band = make_band(tmp_path / "b")
    band.link.symlink_to(os.readlink(other.link))  # the stale link, on the other sim's pty now
    band.start()
    assert os.readlink(band.link) != os.readlink(other.link)
    assert band.exec("print(6 * 7)").strip() == "42"
    assert other.exec("print(2 + 2)").strip() == "4"  # the other band keeps its own link
