"""A directory where --romfs keeps its partition is refused in one line naming --romfs.

Before: `runwalk sim --flash band.img --romfs 64k` with a directory band.img.romfs said
"band.img.romfs is a directory: --flash names the band's flash image file (made if missing)",
about an option the user had given right, and not what to do.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from simtools import RUNWALK


def test_a_directory_in_the_rom_partitions_place(tmp_path: Path) -> None:
    image = tmp_path / "band.img"
    (tmp_path / "band.img.romfs").mkdir()
    r = subprocess.run([RUNWALK, "sim", "--flash", str(image), "--romfs", "64k", "--until-idle", "-q"],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        f"runwalk: {image}.romfs is a directory: --romfs keeps the ROM partition in that file beside the image; "
        "move the directory away, or give --flash another image"]
    assert not image.exists()
