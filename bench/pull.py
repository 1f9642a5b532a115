"""Benchmark: `runwalk logs pull` against plain `mpremote fs cp -r` of the same session files.

For `make bench` (docs/performance.md):

    from bench.pull import seed, compare
    seed(port, 50)            # 50 real session logs onto the band (closed, not yet pulled)
    result = compare(port)    # {"sessions", "bytes", "mpremote_s", "runwalk_s", "ratio"}

`compare` copies /logs with mpremote first (that changes nothing on the band), then
pulls the same files with `runwalk logs pull` into a fresh store (which verifies
each one by SHA-256 and marks them pulled). Both times include connecting.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from runwalk import logfmt, loghead

from host_tools.band.connection import connected
from host_tools.commands.logs import pull
from host_tools.store import db


def session_log(seq: int, uid: str = "bench", segments: int = 18, start_s: int = 1700000000) -> bytes:
    """A session as the firmware writes it (its own Writer): a 4:1 workout with warm-up and cool-down."""

    class Buf:
        def __init__(self) -> None:
            self.data = bytearray()

        def write(self, b: bytes) -> None:
            self.data.extend(b)

        def flush(self) -> None:
            pass

        def close(self) -> None:
            pass

    steps = [{"kind": "walk", "s": 300, "label": "warmup"},
             {"repeat": (segments - 2) // 2, "steps": [{"kind": "run", "s": 240}, {"kind": "walk", "s": 60}]},
             {"kind": "walk", "s": 300, "label": "cooldown"}]
    buf = Buf()
    w = logfmt.Writer(buf, 0, lambda a, b: a - b)
    loghead.write(w, {"seq": seq, "uid": uid, "start": start_s + seq * 86400, "name": "Run-walk 4:1",
                      "steps": steps, "warn_s": 5, "fw": "bench"}, None)
    t = 0
    lengths = [300] + [240, 60] * ((segments - 2) // 2) + [300]
    for i, s in enumerate(lengths):
        w.record(logfmt.SEG, 0 if i in (0, len(lengths) - 1) or i % 2 == 0 else 1, t)
        t += s * 1000
    w.record(logfmt.END, logfmt.END_COMPLETED, t)
    return bytes(buf.data)


def seed(port: str, n: int, first_seq: int = 1) -> int:
    """Write n closed session logs onto the band (each under a temporary name, then renamed, as the
    firmware closes a session); returns their total size in bytes."""
    total = 0
    with connected(port, set_clock=False) as band:
        band.exec("import os,binascii\ntry:\n os.mkdir('/logs')\nexcept OSError:\n pass")
        batch: list[tuple[str, str]] = []
        for seq in range(first_seq, first_seq + n):
            data = session_log(seq)
            total += len(data)
            batch.append(("/logs/%06d" % seq, base64.b64encode(data).decode()))
            if len(batch) == 8 or seq == first_seq + n - 1:
                band.exec("for p,d in %r:\n with open(p+'.tmp','wb') as f:\n  f.write(binascii.a2b_base64(d))\n"
                          " os.rename(p+'.tmp',p+'.rwl')" % (batch,), timeout=30)
                batch = []
    return total


def compare(port: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp, "copy")
        dest.mkdir()  # mpremote 1.29 copies a directory without subdirectories only into an existing one
        t0 = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "mpremote"), "connect", port, "fs", "cp", "-r", ":logs",
                        str(dest)], check=True, capture_output=True)
        mp_s = time.perf_counter() - t0
        copied = [p.stat().st_size for p in dest.rglob("*") if p.suffix in (".rwl", ".rwp")]
        t0 = time.perf_counter()
        with db.Store(Path(tmp, "bench.sqlite")) as store:
            stats = pull(store, port, progress=False)
        rw_s = time.perf_counter() - t0
    return {"sessions": stats["new"], "files_copied_by_mpremote": len(copied),
            "bytes": sum(copied), "mpremote_s": round(mp_s, 3),
            "runwalk_s": round(rw_s, 3), "ratio": round(mp_s / rw_s, 2) if rw_s else 0.0}


if __name__ == "__main__":  # python -m bench.pull PORT [N]
    p = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    seed(p, count)
    print(compare(p))
