"""`make demo`: the main job, on the virtual wristband, in well under a minute.

A fresh virtual band; a workout pushed to it; the runner clicks start and
pauses once at a traffic light (all accelerated 60x); the session pulled into a store,
listed, shown, exported to FIT and JSON, and drawn as a PNG. Every step is the
real `runwalk` command, printed before it runs. Files go to build/demo/ (or the directory given as its argument).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "demo"
BIN = Path(sys.executable).parent
SPEED = 60  # a fifo click is timed in real time: faster, and a busy machine could stretch it to a long press


def _short(path: str) -> str:
    return os.path.relpath(path, ROOT) if path.startswith("/") and path.startswith(str(ROOT)) else path


def say(text: str) -> None:
    print("\n== " + text, flush=True)


def runwalk(*args: str) -> None:
    shown = ["runwalk", *[_short(str(a)) for a in args]]
    print("$ " + " ".join(shown), flush=True)
    r = subprocess.run([str(BIN / "runwalk"), *args], cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit("demo: `%s` failed" % " ".join(shown))


class Band:
    def __init__(self) -> None:
        self.link = OUT / "band"
        self.fifo = OUT / "band.button"
        self.trace = OUT / "band.trace.jsonl"
        self.proc = subprocess.Popen(
            [str(BIN / "runwalk"), "sim", "--flash", str(OUT / "band.img"), "--link", str(self.link),
             "--trace", str(self.trace), "--speed", str(SPEED), "--button-fifo", str(self.fifo), "--no-keys",
             "-q"],
            stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            self.wait("ready", timeout=30)
        except BaseException:
            self.stop()
            raise

    def events(self) -> list[dict]:
        out = []
        for line in self.trace.read_text().splitlines() if self.trace.exists() else []:
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out

    def wait(self, ev: str, since: int = 0, timeout: float = 30, **match: object) -> int:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            evs = self.events()
            for i, e in enumerate(evs[since:], since):
                if e.get("ev") == ev and all(e.get(k) == v for k, v in match.items()):
                    return i + 1
            if self.proc.poll() is not None:
                raise SystemExit("demo: the virtual band stopped")
            time.sleep(0.02)
        raise SystemExit("demo: the virtual band did not get to %s %s" % (ev, match or ""))

    def press(self, gesture: str) -> None:
        print("   (the runner: %s)" % gesture, flush=True)
        with open(self.fifo, "w") as f:
            f.write(gesture + "\n")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(10)


def main() -> int:
    global OUT
    if len(sys.argv) > 1:
        OUT = Path(sys.argv[1]).resolve()
    t0 = time.monotonic()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    db = str(OUT / "sessions.sqlite")
    say("A virtual wristband: the real firmware in the MicroPython unix port, %dx faster than life" % SPEED)
    band = Band()
    try:
        print("   serving a serial port at %s" % _short(str(band.link)))
        say("Set the workout: run 2 min, walk 1 min, 3 times, 1 min warm-up and cool-down")
        runwalk("config", "push", "2:1", "--repeats", "3", "--warmup", "1m", "--cooldown", "1m", "--port",
                str(band.link))
        band.wait("ready")
        say("Run it: click to start, one pause in the first run, then let the band lead")
        mark = len(band.events())
        band.press("click")
        n = band.wait("segment", since=mark, index=1)
        time.sleep(40 / SPEED)  # 40 s into the first run
        band.press("click")
        n = band.wait("session", since=n, what="pause")
        time.sleep(30 / SPEED)  # a 30 s stop at a traffic light
        band.press("click")
        band.wait("session", since=n, timeout=60, what="end")
        print("   the band buzzed 'done' and saved the session")
        say("What the band did: segments, and the cues the runner felt (buzz ms _pause ms_)")
        print("   (virtual time at %dx: a few ms the host was busy show as tenths of a second)" % SPEED)
        from host_tools.sim import timeline

        for line in timeline.describe(band.events(), measured=False)[1:]:
            print("  " + line)
        say("Pull it into the store (verified, then marked pulled on the band)")
        runwalk("logs", "pull", "--port", str(band.link), "--db", db)
    finally:
        band.stop()
    say("What the runner sees")
    runwalk("logs", "list", "--db", db)
    runwalk("logs", "show", "last", "--db", db)
    say("Export for Strava / Garmin Connect / intervals.icu, and a picture")
    runwalk("logs", "export", "last", "-o", str(OUT / "session.fit"), "--db", db)
    runwalk("logs", "export", "last", "-o", str(OUT / "session.json"), "--db", db)
    runwalk("logs", "plot", "last", "-o", str(OUT / "session.png"), "--db", db)
    say("Done in %.0f s; files in %s" % (time.monotonic() - t0, _short(str(OUT))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
