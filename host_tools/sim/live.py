"""The band's doings as they happen, for someone watching `runwalk sim` in a
terminal (there is no motor to feel): read from the growing trace file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from host_tools import bandtext
from host_tools.sim.timeline import clock, ended, storage_trouble


def line_for(e: dict[str, Any]) -> str | None:
    ev = e.get("ev")
    if ev == "boot":
        return "band powered on" if e.get("main") else "soft reset (REPL)"
    if ev == "ready":
        err = e.get("error")
        text = "ready: %s, %s segments" % (e.get("workout"), e.get("segments"))
        return text + ("  [config refused: %s]" % err if err else "")
    if ev == "gesture":
        return "button: " + str(e.get("name"))
    if ev == "session":
        what = e.get("what")
        if what == "end":
            return "session " + ended(e)
        return "session " + str(what)
    if ev == "segment":
        label = " (%s)" % e["label"] if e.get("label") else ""
        return "segment %d: %s%s" % (e["index"] + 1, e["kind"], label)
    if ev == "cue":
        return "  buzz: " + str(e.get("name"))
    if ev == "interrupted":
        return "app stopped by the USB host (Ctrl-C)"
    if ev in ("full", "log_error"):
        return storage_trouble(e)
    if ev == "clock":
        return "wall clock set"
    return None


class Live:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.pos = 0
        self.buf = b""
        self.booted = False

    def lines(self) -> list[str]:
        """New human lines since the last call."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except OSError:
            return []
        self.pos += len(data)
        *complete, self.buf = (self.buf + data).split(b"\n")
        out = []
        for raw in complete:
            try:
                # Names and labels as any terminal prints them (older firmware wrote surrogates).
                e = bandtext.cleaned(json.loads(bandtext.decode(raw)))
            except ValueError:
                continue
            text = line_for(e)
            if e.get("ev") == "boot" and e.get("main"):
                if self.booted:  # machine.reset(), `mpremote reset`, a `runwalk` command done
                    text = "band reset: the app starts again"
                self.booted = True
            if text is not None:
                out.append("%10s  %s" % (clock(int(e.get("t", 0))), text))
        return out
