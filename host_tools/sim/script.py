"""--script files: button edges in virtual time, `<ms> down` or `<ms> up` per line."""

from __future__ import annotations

from pathlib import Path

from host_tools.errors import RunwalkError
from host_tools.sim import path_failed

MAX_MS = 2**61 - 1  # the unix port's ticks_add takes at most half its 2**62 tick period


def parse(text: str, name: str = "script") -> list[tuple[int, bool]]:
    """[(virtual ms, down)] in time order; blank lines and `#` comments are skipped."""
    edges: list[tuple[int, bool]] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[0].isdigit() or parts[1] not in ("down", "up"):
            raise RunwalkError(f"{name} line {n}: expected '<ms> down' or '<ms> up', got {raw.strip()!r}")
        t = int(parts[0])
        if t > MAX_MS:
            raise RunwalkError(f"{name} line {n}: {t} ms is past the band's tick range (at most {MAX_MS} ms)")
        if edges and t < edges[-1][0]:
            raise RunwalkError(f"{name} line {n}: {t} ms is earlier than the edge before it ({edges[-1][0]} ms)")
        edges.append((t, parts[1] == "down"))
    return edges


def load(path: Path) -> list[tuple[int, bool]]:
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise RunwalkError(path_failed("cannot read script", path, "--script", e, making=False)) from None
    except UnicodeDecodeError:
        raise RunwalkError(f"cannot read script {path}: not UTF-8 text") from None
    return parse(text, str(path))
