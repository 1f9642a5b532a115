"""The band's ROMFS partition, through `vfs.rom_ioctl` (MicroPython 1.25+), for `runwalk deploy --romfs`.

A firmware built with a ROM partition mounts a valid ROMFS image there at /rom at every
start and puts "/rom" and "/rom/lib" on sys.path ahead of the writable filesystem's
"/lib", so a package in the image's lib/ wins over the same package in /lib. Its .mpy
files run in place from flash: their bytecode takes no RAM. The image format is
mpremote's own (`mpremote.romfs`); the writes follow `mpremote romfs deploy`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from host_tools.band import snippets
from host_tools.band.connection import Band
from host_tools.errors import RunwalkError

HEADER = b"\xd2\xcd\x31"  # mpremote.romfs.VfsRomWriter.ROMFS_HEADER
CHUNK = 2048  # bytes a write: base64 of it fits the raw REPL easily, few round trips
ERASE_STEP = 32768  # mpremote's: one long erase call would stall the band's USB

ROM = "/rom"  # where a board mounts a valid image
ROM_LIB = ROM + "/lib"  # where it looks for packages in it


@dataclass
class Partition:
    """ROM partition 0 as the band reports it."""

    partitions: int  # -1: no vfs.rom_ioctl (ROMFS not enabled), -2: a block device (not handled)
    size: int = 0
    block: int = 0  # erase block (rom_ioctl 6); 0 or less on firmware that does not say
    valid: bool = False  # holds a ROMFS image
    firmware: bool = False  # the mounted image has the runwalk firmware in /rom/lib

    @property
    def usable(self) -> bool:
        return self.partitions > 0 and self.size > 0


def probe(band: Band) -> Partition:
    n, size, block, valid, fw = (int(x) for x in band.exec(snippets.romfs_probe(HEADER, ROM_LIB)).split())
    return Partition(n, size, block, bool(valid), bool(fw))


def no_partition(p: Partition) -> str:
    """Why --romfs cannot be used on this band: one line with what to do."""
    if p.partitions == -2:
        return ("this band's ROM partition is a block device, which `runwalk deploy --romfs` does not write: "
                "deploy without --romfs (or use `mpremote romfs deploy`)")
    what = "ROMFS is not enabled in its MicroPython" if p.partitions < 0 else "its MicroPython has no ROMFS partition"
    return ("this band cannot take the firmware in ROMFS (%s): deploy without --romfs, or flash a MicroPython "
            "build with a ROMFS partition (see boards/README.md, ROMFS)" % what)


def build_image(tree: Path) -> bytes:
    """The ROMFS image of a directory tree, by mpremote's own builder (it prints the tree: kept quiet)."""
    from mpremote.romfs import make_romfs

    with contextlib.redirect_stdout(io.StringIO()):
        return make_romfs(str(tree), mpy_cross=False)


def image_hash(band: Band, n: int) -> str:
    """SHA-256 of the partition's first n bytes, computed on the band."""
    return band.exec(snippets.rom_hash(n), timeout=60).decode().strip()


def holds(band: Band, p: Partition, image: bytes) -> bool:
    """The partition already holds exactly this image."""
    return p.valid and image_hash(band, len(image)) == hashlib.sha256(image).hexdigest()


def _check(band: Band, code: str, what: str) -> int:
    r = band.exec(code, timeout=60).decode().strip()
    if int(r) < 0:
        raise RunwalkError("the band refused to %s its ROM partition (error %d); nothing more was changed"
                           % (what, -int(r)))
    return int(r)


def _erase(band: Band, p: Partition, n: int) -> int:
    """Erase [0, n) as mpremote does: in steps where the firmware tells its erase block. The minimum write size."""
    band.exec(snippets.rom_unmount(ROM))
    if 0 < p.block < p.size:
        min_write = 0
        for off in range(0, n, ERASE_STEP):
            step = (min(n - off, ERASE_STEP) + p.block - 1) // p.block * p.block
            min_write = _check(band, snippets.rom_erase(off, step), "erase")
        return min_write
    return _check(band, snippets.rom_erase(n), "erase")


def write(band: Band, p: Partition, image: bytes, advance: Callable[[int], object]) -> None:
    """Erase and write the image, its first chunk (with the header) last: a power cut or a lost
    cable part way leaves the partition erased at its start, which the band ignores."""
    min_write = max(1, _erase(band, p, len(image)))
    chunk = (CHUNK + min_write - 1) // min_write * min_write
    offsets = list(range(chunk, len(image), chunk)) + [0]
    for off in offsets:
        data = image[off : off + chunk]
        padded = data + bytes(-len(data) % min_write)  # writes come in whole minimum-write units
        _check(band, snippets.rom_write(off, padded), "write")
        advance(len(data))
    _check(band, snippets.rom_end(), "complete writing")


def erase_header(band: Band, p: Partition) -> None:
    """Make the partition hold no image: its first block erased (the rest is ignored without a header)."""
    _erase(band, p, p.block if p.block > 0 else 1)
    _check(band, snippets.rom_end(), "complete writing")
    if band.exec(snippets.rom_starts_with(HEADER)).strip() != b"False":
        raise RunwalkError("the band's ROM partition still holds an image after erasing it; deploy again")
