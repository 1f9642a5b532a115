"""A band whose main.py stops on an error, or that has none, says so on the sim's stderr, with what to do.

Before: run interactively (`runwalk sim --flash band.img --heap 40k`, or any main.py that
raises), the sim said "band powered on" and then nothing: the traceback went to a serial
port nobody read, the band sat at its REPL, and every button press did nothing. Headless,
a MemoryError under --heap said "the firmware stopped (MemoryError) before the band was idle"
without saying the heap was the cause. With the first fix, a band whose main.py was removed
said "main.py stopped (OSError)", where a board says nothing: it has no main.py to run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simtools import SimBand, run_headless


def test_main_py_that_raises_is_said_on_stderr(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path).start()
    broken = tmp_path / "main.py"
    broken.write_text("raise ValueError('broken main.py')\n")
    band.mpremote("fs", "cp", str(broken), ":main.py")
    band.mpremote("reset")
    line = band.wait_stderr("main.py stopped")
    assert line == (f"runwalk sim: main.py stopped (ValueError): the band is at its REPL and the button does "
                    f"nothing; `mpremote connect {band.port} repl`, then Ctrl-D, shows the traceback")


def test_a_host_stopping_the_app_is_not_an_error(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path).start()
    mark = len(band.events())
    band.mpremote("eval", "1")  # mpremote's Ctrl-C stops the app: what a USB host does, no failure
    band.wait_event("interrupted", since=mark)
    band.mpremote("reset")
    band.wait_event("ready", since=mark)
    assert "main.py stopped" not in band.stderr()


def test_a_heap_too_small_for_the_firmware_says_so(tmp_path: Path) -> None:
    with SimBand(tmp_path, extra=("--heap", "40k")) as band:
        band.start(wait=False)
        line = band.wait_stderr("main.py stopped", timeout=60)
    assert line.startswith("runwalk sim: main.py stopped (MemoryError) (--heap 40k is too small for this firmware")
    run = run_headless(band.image, extra=("--heap", "40k"))
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "runwalk sim: the firmware stopped (MemoryError) (--heap 40k is too small for this firmware and workout: "
        "give it more, or add --redeploy --mpy for the firmware as .mpy, as `runwalk deploy` puts it on a band: "
        "from .py source the band compiles it first, which takes more heap) before the band was idle")


def test_a_band_without_main_py_says_what_puts_it_back(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path).start()
    band.mpremote("fs", "rm", ":main.py")
    mark = len(band.events())
    band.mpremote("reset")
    band.wait_event("boot", since=mark)
    line = band.wait_stderr("main.py")
    assert line == ("runwalk sim: the band has no main.py: it is at its REPL and the button does nothing; "
                    f"`runwalk deploy --port {band.port}` puts the firmware back")
    r = band.runwalk("deploy", "--port", band.port)  # what the line says to do
    assert r.returncode == 0, r.stderr
    band.wait_event("ready", since=mark, timeout=60)
