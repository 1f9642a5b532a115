"""The firmware the MicroPython way: `mpremote mip install` from the repository's package.json files.

package.json (the repository's root) installs the firmware package into /lib/runwalk/ and main.py;
boards/<board>.json installs that board module as /lib/runwalk_board.py. Sources in a package.json are
relative to it and never climb out of its folder (mip fetches them from GitHub as they are written).
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from simtools import SimBand, rw

from host_tools.sim import flash

ROOT = Path(__file__).resolve().parent.parent


def urls(package: Path) -> list[list[str]]:
    return json.loads(package.read_text())["urls"]


def test_package_json_lists_every_firmware_file() -> None:
    lib = sorted(p.name for p in (ROOT / "firmware" / "lib" / "runwalk").glob("*.py"))
    assert sorted(urls(ROOT / "package.json")) == sorted(
        [["runwalk/" + n, "firmware/lib/runwalk/" + n] for n in lib] + [["../main.py", "firmware/main.py"]])
    boards = sorted(p.stem for p in (ROOT / "boards").glob("*.py"))
    assert sorted(p.stem for p in (ROOT / "boards").glob("*.json")) == boards
    for board in boards:
        assert urls(ROOT / "boards" / (board + ".json")) == [["runwalk_board.py", board + ".py"]]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def checkout_url() -> Iterator[str]:
    """The checkout served over HTTP on 127.0.0.1, as GitHub serves the repository to mip."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(ROOT)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def blank_image(path: Path, size: int = 256 * 1024) -> None:
    """A board fresh from flashing MicroPython: a formatted filesystem with nothing on it."""
    from littlefs import LittleFS, UserContext

    ctx = UserContext(buffer=bytearray(b"\xff" * size))
    fs = LittleFS(context=ctx, block_size=flash.BLOCK_SIZE, block_count=size // flash.BLOCK_SIZE,
                  read_size=flash.READ_SIZE, prog_size=flash.PROG_SIZE, lookahead_size=flash.LOOKAHEAD, mount=False)
    fs.format()
    path.write_bytes(bytes(ctx.buffer))


def test_mip_puts_a_band_together_that_boots_the_app(tmp_path: Path, checkout_url: str) -> None:
    band = SimBand(tmp_path)
    blank_image(band.image)
    with band.start(wait=False):
        band.wait_event("boot", timeout=20)
        assert band.list_dir("/") == []
        # The unmodified mpremote, as the README tells a maker to run it (mip picks /lib itself).
        band.mpremote("mip", "install", checkout_url + "/package.json", timeout=120)
        band.mpremote("mip", "install", checkout_url + "/boards/sim.json", timeout=60)
        assert band.read_file("main.py") == (ROOT / "firmware" / "main.py").read_bytes()
        assert band.read_file("lib/runwalk_board.py") == (ROOT / "boards" / "sim.py").read_bytes()
        for src in (ROOT / "firmware" / "lib" / "runwalk").glob("*.py"):
            assert band.read_file("lib/runwalk/" + src.name) == src.read_bytes(), src.name
        assert band.events("ready") == []  # nothing ran the app yet
        mark = len(band.events())
        band.mpremote("reset")
        ready = band.wait_event("ready", since=mark, timeout=30)
        assert ready["workout"]  # the app runs (the built-in workout: no config.json was pushed)
        # `runwalk deploy` takes over a band that mip put together: compiled files, no source left beside them.
        # On the XIAO nRF52840's 256 KB filesystem there is no room to stage them beside the source:
        # a plain deploy changes nothing and says what to do; --replace removes the source first.
        before = band.files()
        r = rw("deploy", "--port", band.port)
        assert r.returncode == 1 and "flash is full; nothing was deployed" in r.stderr, r.stderr
        assert "--replace" in r.stderr and band.files() == before
        r = rw("deploy", "--replace", "--port", band.port)
        assert r.returncode == 0, r.stderr
        assert all(n.endswith(".mpy") for n in band.list_dir("/lib/runwalk")), band.list_dir("/lib/runwalk")
