"""The band's button from outside a script: named gestures typed as keys in the
sim's terminal or written as lines to `--button-fifo`, each turned into its
edges in the band's virtual time (see `gesture_edges`)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import stat
import sys
import termios
import tty
from pathlib import Path

from host_tools.errors import RunwalkError
from host_tools.sim import flash, path_failed

CLICK_MS = 120  # virtual ms the button is held for a click
LONG_MS = 3000  # held at least this long for a long press (longer if the band's long_ms asks)
DOUBLE_GAP_MS = 150
GESTURES = ("click", "double", "long", "down", "up")
KEYS = {b"b": "click", b" ": "click", b"d": "double", b"l": "long"}
KEY_HELP = "keys: b or space = click, d = double click, l = long press, q = quit"
QUIT = "quit"


def gesture_edges(name: str, long_ms: int = 1500, double_ms: int = 400) -> list[tuple[int, bool]]:
    """A named gesture as (virtual ms from now, down) edges, for a band with these button settings."""
    if name in ("down", "up"):
        return [(0, name == "down")]
    if name == "click":
        return [(0, True), (CLICK_MS, False)]
    if name == "long":
        return [(0, True), (max(LONG_MS, long_ms + 1000), False)]
    if name == "double":
        gap = min(DOUBLE_GAP_MS, double_ms // 2)  # the second press must come within double_ms
        return [(0, True), (CLICK_MS, False), (CLICK_MS + gap, True), (2 * CLICK_MS + gap, False)]
    raise ValueError(name)


def _workouts(image: Path) -> list[object]:
    """The workouts the band may run: config.json, the last good one it falls back to, and a
    plan's (which run instead of config.json while the plan is active)."""
    out: list[object] = []
    for name in ("config.json", "config.good.json", "plan.json"):
        try:
            doc = json.loads(flash.read_file(image, name))
        except Exception:  # missing, half-written or not JSON: the band will not use it either
            continue
        if name == "plan.json":
            ws = doc.get("workouts") if isinstance(doc, dict) else None
            out += ws if isinstance(ws, list) else []
        else:
            out.append(doc)
    return out


def button_settings(image: Path) -> tuple[int, int]:
    """(long_ms, double_ms) of the workouts on the image (_workouts): the longest hold and the
    shortest gap, so a gesture works with any of them."""
    longs, doubles = [1500], [400]
    found = False
    for w in _workouts(image):
        try:
            button = w.get("button") or {}  # type: ignore[attr-defined]
            long_ms, double_ms = button.get("long_ms", 1500), button.get("double_ms", 400)
        except Exception:  # not a workout: the band will not use it either
            continue
        if isinstance(long_ms, int) and isinstance(double_ms, int):
            if not found:
                longs, doubles, found = [], [], True
            longs.append(long_ms)
            doubles.append(double_ms)
    return max(longs), min(doubles)


def edges_for(name: str, image: Path) -> list[tuple[int, bool]]:
    """The gesture's edges for the workout on the band's flash now."""
    timing = button_settings(image) if name in ("long", "double") else ()
    return gesture_edges(name, *timing)


class ButtonFifo:
    """`--button-fifo`: one gesture name per line, from any process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.buf = b""

    def open(self) -> None:
        p = self.path
        if p.exists() and not stat.S_ISFIFO(p.stat().st_mode):
            raise RunwalkError(f"{p} exists and is not a FIFO")
        try:
            if not p.exists():
                os.mkfifo(p)
            # Read and write: the FIFO never reports end-of-file between writers.
            self.fd = os.open(p, os.O_RDWR | os.O_NONBLOCK)
        except OSError as e:
            raise RunwalkError(path_failed("cannot create the button FIFO", p, "--button-fifo", e)) from None
        try:
            # Two sims reading one FIFO would each get some of the presses.
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None
            raise RunwalkError(
                f"{p} is the button FIFO of another runwalk sim: choose another --button-fifo path"
            ) from None

    def read(self) -> list[str]:
        """The gestures written since the last call (unknown words are said on stderr)."""
        assert self.fd is not None
        with contextlib.suppress(BlockingIOError):
            self.buf += os.read(self.fd, 4096)
        *lines, self.buf = self.buf.split(b"\n")
        out = []
        for line in lines:
            word = line.decode(errors="replace").strip()
            if word in GESTURES:
                out.append(word)
            elif word:
                print(f"runwalk sim: button fifo: unknown {word!r} (click, double, long, down, up)", file=sys.stderr)
        return out

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class Keys:
    """`--keys`: single keys in the terminal the sim runs in (KEY_HELP)."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.saved: list | None = None

    def open(self) -> None:
        if not sys.stdin.isatty():
            return
        fd = sys.stdin.fileno()
        try:
            foreground = os.tcgetpgrp(fd) == os.getpgrp()
        except OSError:  # a terminal that is not ours
            foreground = False
        if not foreground:
            # Started in the background (`runwalk sim ... &`): the terminal is the shell's, and
            # touching it would stop the sim (SIGTTOU/SIGTTIN) and with it the band.
            return
        # Sent to the background later (Ctrl-Z, bg): reads fail instead of stopping the band.
        signal.signal(signal.SIGTTIN, signal.SIG_IGN)
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        self.fd = fd
        self.saved = termios.tcgetattr(fd)
        tty.setcbreak(fd)

    def read(self) -> list[str]:
        """The gestures (and QUIT) typed since the last call."""
        assert self.fd is not None
        try:
            data = os.read(self.fd, 64)
        except OSError:
            data = b""
        if not data:  # in the background now, or the terminal is gone: no more keys
            self.close()
            return []
        out = []
        for i in range(len(data)):
            k = data[i : i + 1]
            if k == b"q":
                out.append(QUIT)
            elif k in KEYS:
                out.append(KEYS[k])
        return out

    def close(self) -> None:
        if self.fd is not None and self.saved is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
        self.fd = None
