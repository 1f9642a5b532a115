"""The band's flash: a littlefs2 image file, and reading it from the host."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from host_tools.errors import RunwalkError

if TYPE_CHECKING:
    from littlefs import LittleFS

BLOCK_SIZE = 4096  # the erase block of the boards' SPI/QSPI flash
DEFAULT_SIZE = 1024 * 1024
MAX_SIZE = 64 * 1024 * 1024
MIN_BLOCKS = 8  # littlefs needs a few blocks for its superblocks and directories
# MicroPython's VfsLfs2 defaults; littlefs-python must use the same geometry.
READ_SIZE = 32
PROG_SIZE = 32
LOOKAHEAD = 32


def parse_size(text: str) -> int:
    """Bytes from `65536`, `64k`, `1M`; a whole number of 4 KB blocks."""
    m = re.fullmatch(r"\s*(\d+)\s*([kKmM]?)[bB]?\s*", text)
    if m is None:
        raise RunwalkError(f"flash size {text!r}: expected bytes, or a number with k or M (e.g. 64k, 1M)")
    n = int(m.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[m.group(2).lower()]
    if n % BLOCK_SIZE or n < MIN_BLOCKS * BLOCK_SIZE:
        raise RunwalkError(f"flash size {text}: must be a multiple of 4k and at least {MIN_BLOCKS * 4}k")
    if n > MAX_SIZE:
        # The image is written out in full: a typo (1000M) would fill the disk.
        raise RunwalkError(f"flash size {text}: at most {MAX_SIZE // (1024 * 1024)}M (a board has a few MB)")
    return n


def ensure_image(path: Path, size: int | None) -> tuple[int, bool]:
    """Create a blank (erased) image if there is none. Returns (blocks, created)."""
    if path.is_dir():
        raise RunwalkError(f"{path} is a directory: --flash names the band's flash image file (made if missing)")
    if path.exists():
        have = path.stat().st_size
        if have % BLOCK_SIZE or have < MIN_BLOCKS * BLOCK_SIZE:
            raise RunwalkError(f"{path}: not a flash image (size {have} is not a whole number of 4 KB blocks)")
        if size is not None and size != have:
            raise RunwalkError(f"{path} holds {have} bytes of flash, not {size}: drop --flash-size or use a new image")
        if not os.access(path, os.R_OK | os.W_OK):
            raise RunwalkError(f"{path} is read-only: the band writes to its flash (copy it, or make it writable)")
        check_image(path)
        return have // BLOCK_SIZE, False
    if not path.parent.is_dir():
        raise RunwalkError(f"{path}: directory {path.parent} does not exist")
    size = size or DEFAULT_SIZE
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(b"\xff" * size)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise RunwalkError(f"cannot create the flash image {path}: {e.strerror}") from None
    return size // BLOCK_SIZE, True


def check_image(path: Path) -> None:
    """An existing image must hold littlefs (or be erased): the band would format
    anything else, and a file given to --flash by mistake would be lost."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise RunwalkError(f"cannot read {path}: {e.strerror}") from None
    if data.count(0xFF) == len(data):
        return  # erased flash: the band formats it, as a blank board does
    try:
        open_image(path)
    except Exception:  # littlefs-python raises LittleFSError, or others on garbage
        raise RunwalkError(
            f"{path} holds no readable littlefs filesystem (not a band's flash image, or a damaged one): "
            "the band would format it, so it is left alone; use a new --flash file"
        ) from None


ROMFS_HEADER = b"\xd2\xcd\x31"  # what a valid ROMFS image starts with (mpremote.romfs.VfsRomWriter)


def rom_path(image: Path) -> Path:
    """The ROM partition's file (`--romfs`): beside the image, kept like the rest of the band's flash."""
    return image.with_name(image.name + ".romfs")


def parse_rom_size(text: str) -> int:
    """Bytes of a ROM partition from `128k`, `1M`: whole 4 KB erase blocks."""
    m = re.fullmatch(r"\s*(\d+)\s*([kKmM]?)[bB]?\s*", text)
    n = int(m.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[m.group(2).lower()] if m else 0
    if n <= 0 or n % BLOCK_SIZE or n > 16 * 1024 * 1024:
        raise RunwalkError(f"--romfs {text}: expected a size in whole 4k blocks up to 16M (e.g. 128k)")
    return n


def unused_rom(image: Path) -> str | None:
    """For a sim without --romfs: what to say when the image's ROM partition file holds an image."""
    path = rom_path(image)
    try:
        with open(path, "rb") as f:
            head = f.read(len(ROMFS_HEADER))
        size = path.stat().st_size
    except OSError:
        return None
    if head != ROMFS_HEADER:
        return None  # erased or damaged: the band would skip it anyway
    return (f"{path} holds a ROMFS image (`runwalk deploy --romfs` puts the firmware there) that this band, "
            f"started without --romfs, does not have: give --romfs {size // 1024}k to run it")


def ensure_rom(image: Path, size: int) -> bool:
    """The erased ROM partition beside a new image, or the one an earlier sim left. Returns created."""
    path = rom_path(image)
    if path.is_dir():
        raise RunwalkError(f"{path} is a directory: --romfs keeps the ROM partition in that file beside the image; "
                           "move the directory away, or give --flash another image")
    if path.exists():
        have = path.stat().st_size
        if have != size:
            raise RunwalkError(f"{path} holds a {have // 1024}k ROM partition, not {size // 1024}k: "
                               "give --romfs its size, or remove that file to start with an empty partition")
        return False
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(b"\xff" * size)
    os.replace(tmp, path)
    return True


def lock_image(path: Path) -> int:
    """Hold the image for one sim: two bands on one flash would corrupt it. Returns the fd to keep."""
    import fcntl

    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise RunwalkError(f"{path} is in use by another runwalk sim (one flash, one band): stop that sim first, "
                           "or give --flash a copy of the image or another one") from None
    return fd


def open_image(path: Path) -> LittleFS:
    """A read-only snapshot of the image's filesystem (changes stay in memory)."""
    from littlefs import LittleFS, UserContext  # only the host-side readers need it

    data = bytearray(Path(path).read_bytes())
    fs = LittleFS(
        context=UserContext(buffer=data),
        block_size=BLOCK_SIZE,
        block_count=len(data) // BLOCK_SIZE,
        read_size=READ_SIZE,
        prog_size=PROG_SIZE,
        lookahead_size=LOOKAHEAD,
        mount=False,
    )
    fs.mount()
    return fs


def read_file(path: Path, name: str) -> bytes:
    """The bytes of one file on the image, e.g. `logs/000001.rwl`."""
    fs = open_image(path)
    with fs.open(name.lstrip("/"), "rb") as f:
        return f.read()


def list_dir(path: Path, name: str = "/") -> list[str]:
    return sorted(open_image(path).listdir(name))
