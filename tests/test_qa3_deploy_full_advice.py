"""`runwalk deploy` onto a band whose flash has no room to stage the new files beside the old: the
advice fits the band."""

from __future__ import annotations

from typing import Any


def test_a_full_band_with_no_sessions_is_not_told_to_pull_them(make_band: Any) -> None:
    # Before: a band with no session on it (the 256 KB nRF52840 with the source on it, as mip leaves it)
    # was told to "make room with `runwalk logs pull --delete`", which frees nothing: the deploy after it
    # failed the same way.
    band = make_band(speed=20, flash_size="256k").start()  # a new image holds the source
    r = band.runwalk("deploy")
    err = r.stderr.strip().splitlines()[-1]
    assert r.returncode == 1 and err.startswith("runwalk: the band's flash is full; nothing was deployed"), r.stderr
    assert "logs pull" not in err and err.endswith("deploy with --replace (the old files go first)"), err
    # With a session on it, pulling it (and deleting it) is advice that helps.
    band.exec("f = open('/logs/000009.rwl', 'wb')\nf.write(b'x')\nf.close()")
    r = band.runwalk("deploy")
    err = r.stderr.strip().splitlines()[-1]
    assert r.returncode == 1 and "make room with `runwalk logs pull --delete`, or deploy with --replace" in err, err
