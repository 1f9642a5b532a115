"""`runwalk deploy --replace` onto a band whose flash is full even without its old firmware: with no session
on the band, pulling them is no advice (it frees nothing); what fills the flash is."""

from __future__ import annotations

from typing import Any


def test_replace_on_a_full_band_with_no_sessions_is_not_told_to_pull(make_band: Any) -> None:
    # Before: "the band's flash is full even without its old firmware; make room with `runwalk logs pull
    # --delete`, then deploy again", on a band with no session: the pull freed nothing.
    band = make_band(speed=20, flash_size="256k").start()
    assert band.runwalk("deploy", "--replace").returncode == 0  # .mpy: the source, larger, then fits no more
    free = int(band.exec("import os\ns = os.statvfs('/')\nprint(s[0] * s[3])"))
    band.exec("f = open('/junk.bin', 'wb')\nfor i in range(%d):\n    f.write(bytes(512))\nf.close()"
              % max(0, free // 512 - 2))
    r = band.runwalk("deploy", "--source", "--replace")
    assert r.returncode == 1, r.stderr
    err = r.stderr.strip().splitlines()[-1]
    assert err.startswith("runwalk: the band's flash is full even without its old firmware; it holds no session "
                          "to pull: other files fill it (`mpremote fs tree -s :` lists them"), err
    assert "logs pull" not in err, err
    # With a session on the band, pulling it is advice that helps.
    band.exec("f = open('/logs/000009.rwl', 'wb')\nf.write(b'x')\nf.close()")
    r = band.runwalk("deploy", "--source", "--replace")
    err = r.stderr.strip().splitlines()[-1]
    assert r.returncode == 1 and "make room with `runwalk logs pull --delete`, then deploy again" in err, err
