"""`runwalk deploy` says the band's flash is full only if it still is once the deploy is done: a deploy frees
room (the /lib copies a --romfs deploy removes), and the warning given on connecting described the band as
it was before."""

from __future__ import annotations

from typing import Any


def _fill(band: Any, leave: int) -> None:
    """One file that leaves about `leave` bytes of the band's flash free."""
    free = int(band.exec("import os\ns = os.statvfs('/')\nprint(s[0] * s[3])"))
    band.exec("f = open('/junk.bin', 'wb')\nfor i in range(%d):\n    f.write(bytes(512))\nf.close()"
              % max(0, (free - leave) // 512))


def test_a_romfs_deploy_that_makes_room_does_not_say_the_flash_is_full(make_band: Any) -> None:
    # Before: "warning: the band's flash is full (4 KB free, ...)" and then "Deployed ...: 22 firmware files
    # removed from /lib", which had left the band room for many sessions.
    band = make_band(speed=20, flash_size="256k", extra=("--romfs", "128k")).start()  # the source in /lib
    _fill(band, 4096)
    assert "flash is full" in band.runwalk("status").stderr  # full indeed, before the deploy
    r = band.runwalk("deploy", "--romfs")
    assert r.returncode == 0, r.stderr
    assert "firmware files removed from /lib" in r.stdout, r.stdout
    assert "flash is full" not in r.stderr, r.stderr
    assert "flash is full" not in band.runwalk("status").stderr


def test_a_band_still_full_after_the_deploy_is_told_so_after_it(make_band: Any) -> None:
    band = make_band(speed=20, flash_size="256k", extra=("--romfs", "128k")).start()
    assert band.runwalk("deploy", "--romfs").returncode == 0
    _fill(band, 2048)  # full again, with other files: the next deploy frees nothing
    r = band.runwalk("deploy", "--romfs")
    assert r.returncode == 0, r.stderr
    warning = [line for line in r.stderr.splitlines() if "flash is full" in line]
    assert len(warning) == 1 and r.stderr.rstrip().endswith(warning[0]), r.stderr  # said once, after the deploy
