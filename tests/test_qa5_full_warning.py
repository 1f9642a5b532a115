"""The warning every command gives on connecting to a full band: with no session left to pull, it says that
sessions cannot make room and what fills the flash, not to run `runwalk logs pull --delete`, which frees
nothing there."""

from __future__ import annotations

from typing import Any

from host_tools.band.room import full_warning


def test_a_band_full_of_other_files_is_not_told_to_delete_its_sessions(make_band: Any) -> None:
    # Before: "...until room is made; `runwalk logs pull --delete` frees them" on a band with no session at
    # all (its flash full of other files, such as a mip install's source): the pull freed nothing and the
    # warning came back on the next connect.
    band = make_band(speed=20, flash_size="256k").start()
    free = int(band.exec("import os\ns = os.statvfs('/')\nprint(s[0] * s[3])"))
    band.exec("f = open('/junk.bin', 'wb')\nfor i in range(%d):\n    f.write(bytes(512))\nf.close()"
              % max(0, free // 512 - 4))
    r = band.runwalk("status")
    assert r.returncode == 0, r.stderr
    warning = [line for line in r.stderr.splitlines() if "flash is full" in line]
    assert len(warning) == 1, r.stderr
    assert "frees them" not in warning[0], warning[0]
    assert warning[0].endswith("its sessions cannot make room (`runwalk logs pull --delete` would free nothing): "
                               "other files fill it (`mpremote fs tree -s :` lists them with their sizes)"), warning[0]


def test_what_pulled_sessions_would_free_is_said() -> None:
    need = 512 + 16 * 600 + 4096
    msg = full_warning(4096, 2048, 0, 600)
    assert msg is not None and "would free only 2 KB" in msg and "other files fill it" in msg
    assert full_warning(need - 2048, 2048, 0, 600) is None  # the band frees those itself: no warning
    msg = full_warning(4096, 0, 3, 600)  # unpulled sessions: pulling them is what makes room
    assert msg is not None and msg.endswith("`runwalk logs pull` stores its 3 unpulled sessions so that the band "
                                            "can free them")
