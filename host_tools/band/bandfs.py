"""Files on the band, through the raw REPL: session logs with their hashes, whole-file
reads streamed in one round trip, atomic writes (temp file + rename, as the firmware's
own runwalk.store.write_atomic), renames and removals."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from runwalk import store

from host_tools.band import snippets
from host_tools.band.connection import Band, BandError
from host_tools.errors import RunwalkError

LOGS = snippets.LOGS
# A log's state by its suffix (the firmware's names: runwalk.store).
STATES = {store.CLOSED_EXT: "closed", store.PULLED_EXT: "pulled", store.OPEN_EXT: "open",
          store.DAMAGED_EXT: "damaged"}


@dataclass(frozen=True)
class LogFile:
    name: str  # e.g. 000012.rwl
    size: int
    sha256: str | None  # None when the band has no hashlib

    @property
    def path(self) -> str:
        return LOGS + "/" + self.name

    @property
    def state(self) -> str:
        # bad: an open log the band could not close at boot (noise, no room), set aside for us
        return STATES.get("." + self.name.rsplit(".", 1)[-1], "?")

    @property
    def seq(self) -> int:
        stem = self.name.split(".")[0]
        return int(stem) if stem.isdigit() else 0


def list_logs(band: Band) -> list[LogFile]:
    out = band.exec(snippets.list_logs(), timeout=30).decode()
    files = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit():
            files.append(LogFile(parts[0], int(parts[1]), None if parts[2] == "-" else parts[2]))
    return files


class _Receiver:
    """Parses the band's output as it arrives (mpremote hands it over a byte at a time):
    `F name`, base64 lines, `E name`; each file is handed on as soon as its end line arrives."""

    def __init__(self, on_file: Callable[[str, bytes], None], on_bytes: Callable[[int], None] | None) -> None:
        self.on_file = on_file
        self.on_bytes = on_bytes
        self.line = bytearray()
        self.name: str | None = None
        self.chunks: list[bytes] = []

    def __call__(self, b: bytes) -> None:
        if b != b"\n":
            self.line.extend(b)
            return
        text = bytes(self.line).rstrip(b"\r")
        self.line.clear()
        if text.startswith(b"F "):
            self.name, self.chunks = text[2:].decode(), []
        elif text.startswith(b"E "):
            self.on_file(text[2:].decode(), b"".join(self.chunks))
            self.name = None
        elif self.name is not None and text:
            data = base64.b64decode(text)
            self.chunks.append(data)
            if self.on_bytes:
                self.on_bytes(len(data))


def read_files(band: Band, paths: list[str], on_file: Callable[[str, bytes], None],
               on_bytes: Callable[[int], None] | None = None) -> None:
    """Stream files from the band in one round trip; on_file(path, data) as each completes.

    Base64 lines keep the bytes clear of the REPL's control characters (a raw 0x04
    would end the output early).
    """
    band.exec(snippets.send(paths), timeout=30, consumer=_Receiver(on_file, on_bytes))


def exists(band: Band, path: str) -> bool:
    return band.exec(snippets.exists(path)).strip() == b"1"


def read_file(band: Band, path: str) -> bytes | None:
    """A whole file, or None if it does not exist."""
    if not exists(band, path):
        return None
    got: dict[str, bytes] = {}
    read_files(band, [path], lambda p, d: got.__setitem__(p, d))
    return got.get(path)


def _full(e: BandError) -> bool:
    return "28" in str(e) or "ENOSPC" in str(e)


def write_atomic(band: Band, path: str, data: bytes, chunk: int = 1024) -> None:
    """Write data under a temporary name, read it back, then rename it over path.

    A failure (full flash, lost cable) leaves the old file as it was.
    """
    tmp = path + store.TMP_EXT
    try:
        band.exec(snippets.open_write(tmp))
        for i in range(0, len(data), chunk):
            band.exec(snippets.write_raw(data[i : i + chunk]))
        band.exec(snippets.CLOSE_WRITE)
        back = read_file(band, tmp)
        if back is None or hashlib.sha256(back).digest() != hashlib.sha256(data).digest():
            raise RunwalkError("%s on the band did not read back as written; the old one is kept" % path)
        band.exec(snippets.rename_all([(tmp, path)]))
    except BandError as e:
        _discard(band, tmp)
        if _full(e):
            raise RunwalkError("the band's flash is full, %s was not changed (free space with "
                               "`runwalk logs pull --delete`)" % path) from None
        raise RunwalkError("could not write %s on the band (%s); it was not changed" % (path, e)) from None
    except RunwalkError:
        if not band.closed:
            _discard(band, tmp)
        raise


def _discard(band: Band, path: str) -> None:
    try:
        band.exec(snippets.discard([path]))
    except RunwalkError:
        pass


def rename_all(band: Band, pairs: list[tuple[str, str]]) -> None:
    if pairs:
        band.exec(snippets.rename_all(pairs), timeout=30)


def remove_all(band: Band, paths: list[str]) -> None:
    if paths:
        band.exec(snippets.remove_all(paths), timeout=30)
