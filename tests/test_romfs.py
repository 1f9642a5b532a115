"""The firmware in a ROMFS partition (`runwalk sim --romfs`, `runwalk deploy --romfs`), end to end
on the virtual wristband, with the unmodified mpremote as the witness of what the band runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from simtools import SimBand, one_line_failure, rw

from host_tools.sim import flash

RUNWALK = str(Path(sys.executable).parent / "runwalk")
HEADER = b"\xd2\xcd\x31"
WHERE = ("import sys,os,runwalk_board,runwalk.app\nprint(runwalk_board.__file__)\nprint(runwalk.app.__file__)\n"
         "print(sys.path)\nprint(os.listdir('/lib'))")


def where(band: SimBand) -> tuple[str, str, list[str], list[str]]:
    """Where the band imports its board module and app from, its sys.path and /lib."""
    board, app, path, lib = band.exec(WHERE).splitlines()
    return board, app, eval(path), eval(lib)  # noqa: S307 - printed by the band: lists of str


def start(band: SimBand) -> SimBand:
    try:
        return band.start()
    except BaseException:
        band.stop()
        raise


def run_session(band: SimBand) -> None:
    """A click starts the workout; wait (accelerated) until it ends and the band sleeps idle."""
    n = len(band.events())
    band.start_session()
    band.wait_event("session", since=n, timeout=60, what="end")
    band.wait_until(lambda evs: any(e["ev"] == "sleep" and "ms" not in e for e in evs[-3:]), n, 20, "go idle")


def test_deploy_romfs_runs_from_rom_survives_restart_and_plain_deploy_takes_over(tmp_path: Path) -> None:
    band = start(SimBand(tmp_path, speed=50, extra=("--romfs", "128k")))
    try:
        # A new partition is erased, as on a freshly flashed board: the firmware runs from /lib.
        assert "Not a valid ROMFS" in band.mpremote("romfs", "query").stdout
        assert where(band)[0] == "/lib/runwalk_board.py"
        r = rw("deploy", "--romfs", "--port", band.port)
        assert r.returncode == 0, r.stderr
        assert "ROMFS partition" in r.stdout and "verified" in r.stdout and "removed from /lib" in r.stdout
        board, app, path, lib = where(band)
        assert board == "/rom/lib/runwalk_board.mpy" and app == "/rom/lib/runwalk/app.mpy"
        # As MicroPython puts them (micropython-lib #981): the image ahead of the writable /lib.
        assert path == ["", ".frozen", "/rom", "/rom/lib", "/lib"]
        assert "runwalk" not in lib and "runwalk_board.py" not in lib
        assert "main.py" in band.mpremote("fs", "ls", ":").stdout

        # The band runs a workout from ROM, and its log is pulled.
        n = len(band.events())
        quick = tmp_path / "quick.json"
        quick.write_text(json.dumps({"schema": 1, "name": "From ROM", "warn_s": 0, "steps": [
            {"kind": "run", "s": 20}, {"kind": "walk", "s": 20}]}))
        r = rw("config", "push", "--file", str(quick), "--port", band.port)
        assert r.returncode == 0, r.stderr
        band.wait_event("ready", since=n, timeout=20, workout="From ROM")
        run_session(band)
        db = str(tmp_path / "s.sqlite")
        r = rw("logs", "pull", "--port", band.port, "--db", db)
        assert r.returncode == 0, r.stderr
        assert "Pulled 1 new session" in r.stdout
        show = rw("logs", "show", "last", "--db", db)
        assert show.returncode == 0 and "From ROM" in show.stdout, show.stdout + show.stderr

        # The same deploy again writes nothing.
        assert "image already up to date" in rw("deploy", "--romfs", "--port", band.port).stdout

        # The partition is flash: it outlives the sim, beside the image.
        band.stop()
        side = flash.rom_path(band.image)
        assert side.stat().st_size == 128 * 1024 and side.read_bytes()[:3] == HEADER
        start(band)
        assert where(band)[1] == "/rom/lib/runwalk/app.mpy"

        # A plain deploy puts the firmware on /lib and erases the image that would shadow it.
        r = rw("deploy", "--port", band.port)
        assert r.returncode == 0, r.stderr
        assert "Erased the firmware image in the band's ROMFS partition" in r.stdout
        board, app, path, lib = where(band)
        assert board == "/lib/runwalk_board.mpy" and app == "/lib/runwalk/app.mpy"
        assert path == ["", ".frozen", "/lib"]
        assert "Not a valid ROMFS" in band.mpremote("romfs", "query").stdout
        n = len(band.events())
        band.mpremote("reset")
        assert band.wait_event("ready", since=n, timeout=20)["error"] is None
    finally:
        band.stop()


def test_mpremote_romfs_query_and_deploy(tmp_path: Path) -> None:
    band = start(SimBand(tmp_path, extra=("--romfs", "64k")))
    try:
        out = band.mpremote("romfs", "query").stdout
        assert "ROMFS0 partition has size 65536 bytes (16 blocks of 4096 bytes each)" in out
        assert "Raw contents: ff:ff:ff" in out and "Not a valid ROMFS" in out
        src = tmp_path / "src"
        (src / "lib").mkdir(parents=True)
        (src / "lib" / "hello.py").write_text("X = 42\n")
        (src / "notes.txt").write_text("read in place\n")
        assert "ROMFS image deployed" in band.mpremote("romfs", "deploy", str(src)).stdout
        assert "ROMFS image size:" in band.mpremote("romfs", "query").stdout
        out = band.exec("import hello\nprint(hello.__file__, hello.X)\nprint(open('/rom/notes.txt').read())")
        assert out.split() == ["/rom/lib/hello.mpy", "42", "read", "in", "place"]
        # An image too big for the partition is refused before anything is written.
        (src / "big.bin").write_bytes(os.urandom(70 * 1024))
        r = band.mpremote("romfs", "deploy", str(src), check=False)
        assert r.returncode != 0 and "too big" in r.stdout
        assert "ROMFS image size:" in band.mpremote("romfs", "query").stdout
        # The firmware still runs (from /lib: this image holds no runwalk).
        n = len(band.events())
        band.mpremote("reset")
        assert band.wait_event("ready", since=n, timeout=20)["error"] is None
    finally:
        band.stop()


def test_a_band_without_romfs_refuses_cleanly(tmp_path: Path) -> None:
    # Stock firmware of our boards has no ROM partition: the sim without --romfs neither.
    band = start(SimBand(tmp_path))
    try:
        assert "ROMFS is not enabled on this device" in band.mpremote("romfs", "query").stdout
        before = band.exec("import os\nprint(sorted(os.listdir('/lib/runwalk')), sorted(os.listdir('/lib')))")
        one_line_failure(rw("deploy", "--romfs", "--port", band.port), "deploy without --romfs")
        after = band.exec("import os\nprint(sorted(os.listdir('/lib/runwalk')), sorted(os.listdir('/lib')))")
        assert after == before
    finally:
        band.stop()
    one_line_failure(rw("deploy", "--romfs", "--source", "--port", band.port), "drop --source")
    # A partition's size is the firmware's: the sidecar of another size is not silently replaced.
    side = flash.rom_path(band.image)
    side.write_bytes(b"\xff" * 8192)
    r = rw("sim", "--flash", str(band.image), "--romfs", "64k", "--until-idle", "-q")
    assert r.returncode != 0 and "8k ROM partition, not 64k" in r.stderr
    assert side.stat().st_size == 8192
    r = rw("sim", "--flash", str(tmp_path / "new.img"), "--romfs", "5k", "--until-idle", "-q")
    assert r.returncode != 0 and "--romfs 5k" in r.stderr and not (tmp_path / "new.img").exists()
    assert json.loads(band.read_file("config.json"))["schema"] == 1


def test_a_power_cut_while_writing_the_image_leaves_the_band_on_its_lib_firmware(tmp_path: Path) -> None:
    band = start(SimBand(tmp_path, extra=("--romfs", "128k")))
    side = flash.rom_path(band.image)
    env = {k: v for k, v in os.environ.items() if k != "RUNWALK_PORT"}
    deploy = subprocess.Popen([RUNWALK, "deploy", "--romfs", "--port", band.port], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
    try:
        # Cut the power once part of the image has reached the partition.
        end = time.monotonic() + 30
        while True:
            data = side.read_bytes()
            if data[2048:].rstrip(b"\xff"):
                break
            assert deploy.poll() is None and time.monotonic() < end, "the deploy wrote nothing"
            time.sleep(0.001)
        band.power_cut()
        # The header is written last: what reached the partition is no image the band would use.
        assert data[:3] == b"\xff\xff\xff"
        deploy.kill()  # the cable went with the power
        deploy.communicate()
        start(band)
        assert "Not a valid ROMFS" in band.mpremote("romfs", "query").stdout
        board, app, path, _ = where(band)
        assert board == "/lib/runwalk_board.py" and path == ["", ".frozen", "/lib"]
        # Deploying again finishes the job.
        r = rw("deploy", "--romfs", "--port", band.port)
        assert r.returncode == 0, r.stderr
        assert where(band)[1] == "/rom/lib/runwalk/app.mpy"
    finally:
        if deploy.poll() is None:
            deploy.kill()
            deploy.communicate()
        band.stop()
