"""Is there room on the band for its next session? Said at every connect.

The band refuses to start a session whose log might not fit (its FULL cue),
after freeing the oldest sessions already pulled (`.rwp`). The host says so
when it connects, with what to do: pulled sessions are freed by the band
itself, sessions not pulled yet only once a pull has stored them.
"""

from __future__ import annotations

import ast
from typing import Protocol

from runwalk import workout as wk
from runwalk.store import LOG_RESERVE, MAX_CONFIG_BYTES

from host_tools.band import snippets

# Mirrors the band: runwalk.ready.take (a header's fields, its steps, never longer
# than config.json's, and 16 bytes a segment), store.LOG_RESERVE (kept free for
# littlefs itself) and store.free_bytes (a free count that wrapped below zero is none).
HEADER_BYTES = 512
SEGMENT_BYTES = 16


class _Band(Protocol):
    def exec(self, code: str, timeout: float = 10) -> bytes: ...


def need_bytes(segments: int, config_bytes: int = 0) -> int:
    return HEADER_BYTES + config_bytes + SEGMENT_BYTES * segments + LOG_RESERVE


def full_warning(free: int, pulled: int, unpulled: int, segments: int, config_bytes: int = 0) -> str | None:
    """The warning to give, or None when the next session fits (after the band frees pulled ones)."""
    need = need_bytes(segments, config_bytes)
    if free + pulled >= need:
        return None
    # With no session left to pull, what is stored cannot make room: the pulled ones the band frees itself are
    # counted already (free + pulled), so "`runwalk logs pull --delete` frees them" freed nothing, on a band whose
    # flash other files fill (e.g. a mip install's source beside the firmware).
    what = ("`runwalk logs pull` stores its %d unpulled session%s so that the band can free them"
            % (unpulled, "" if unpulled == 1 else "s")) if unpulled else (
        "its sessions cannot make room (`runwalk logs pull --delete` would free %s): other files fill it "
        "(`mpremote fs tree -s :` lists them with their sizes)" % ("only %d KB" % (pulled // 1024) if pulled
                                                                   else "nothing"))
    return ("the band's flash is full (%d KB free, a session of its workout needs %d KB): it refuses to start "
            "a session (the FULL cue) until room is made; %s" % (free // 1024, (need + 1023) // 1024, what))


MAX_NEED = need_bytes(wk.MAX_SEGMENTS, MAX_CONFIG_BYTES)  # room for any workout: config not read


def check(band: _Band) -> str | None:
    out = band.exec(snippets.room(MAX_NEED, MAX_CONFIG_BYTES)).decode(errors="replace").splitlines()
    free, pulled, unpulled = (int(x) for x in out[0].split())
    segments = 18  # the built-in workout
    size = 0
    try:
        text = ast.literal_eval(out[1])  # the bytes literal the band printed
        if text:
            segments = len(wk.loads(text))
            size = len(text)
    except (IndexError, SyntaxError, ValueError, TypeError, wk.ConfigError):
        pass
    return full_warning(free, pulled, unpulled, segments, size)
