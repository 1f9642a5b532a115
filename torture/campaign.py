"""The power-cut campaign (docs/reliability.md): cut the virtual wristband's power at random
moments, hundreds of times with a fixed seed, and check after every cut that
nothing was lost.

Each round does one thing a band lives through, on one flash image that
persists from round to round, and cuts the power in the middle of it:

- ``session``: a scripted session on battery (``runwalk sim --battery``);
- ``config``: ``runwalk config push`` of a new ratio workout;
- ``fscp``: a config.json copied straight with ``mpremote fs cp`` (sometimes invalid);
- ``pull``: ``runwalk logs pull`` into the host's store;
- ``deploy``: ``runwalk deploy`` of the firmware over a band whose files all differ.

The cut is a SIGKILL of the band's process and of the sim, so the littlefs
image holds exactly what a power cut leaves. Where it falls is chosen by
counting flash writes (``RUNWALK_SIM_CUT`` in host_tools/sim/bootstrap.py): the
N-th write or erase lands only in part, and the band stops right there. N is
drawn between 1 and the most writes the same kind of round has needed so far,
so cuts fall inside log writes, config writes, deploys and pulls, not only
between them; when N is past the end of the round, the round completes and
the power is cut at rest.

After every cut the band is booted again (on battery, until idle) and checked:
- it boots and runs a valid config: the last good one, or the one being
  pushed if that one got through whole;
- every session closed before the cut is there, byte for byte;
- the session the cut left open is closed, readable up to its last flush
  (every record the band's trace reported before the cut is in it) and marked
  interrupted; the bytes the recovery dropped are counted as lost;
- nothing is left half-written (.open, .tmp) in /logs;
- after a pull (cut or not) and at the end, an uncut ``runwalk logs pull``
  stores every session once, with the band's bytes.

    python -m torture --cuts 300 --seed 7 [--keep DIR] [--report FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from runwalk import logfmt, logread
from runwalk import workout as wk

from host_tools.sim import flash
from host_tools.store import db

ROOT = Path(__file__).resolve().parent.parent
RUNWALK = [sys.executable, "-m", "host_tools.commands.cli"]
MPREMOTE = [sys.executable, "-m", "mpremote"]
ACTIONS = ("session", "session", "session", "config", "fscp", "pull", "deploy")
TIMED_SHARE = 0.25
HOST_TIMEOUT = 60.0  # s a host command may take before the campaign calls it hung


class CampaignError(Exception):
    """The campaign itself could not run (not a finding about the band)."""


@dataclass
class Stats:
    rounds: int = 0
    cuts: int = 0  # rounds where the power went off inside the operation
    at_rest: int = 0  # rounds that completed before their cut point: cut at rest
    by_action: Counter = field(default_factory=Counter)
    cuts_by_action: Counter = field(default_factory=Counter)
    timed_cuts: int = 0  # of the cuts, those made at a random moment of the wall clock
    sessions_recorded: int = 0  # sessions closed on the band during the campaign
    sessions_checked: int = 0  # closed sessions compared byte for byte, summed over every check
    interrupted: int = 0  # sessions the cut left open and the band closed at the next boot
    records_recovered: int = 0
    dropped_empty: int = 0  # sessions cut before their header reached flash: nothing to keep
    bytes_lost: int = 0  # bytes of interrupted sessions the recovery had to drop
    max_unlogged_ms: int = 0  # longest stretch of a running cut session after its last record (its segment)
    records_lost: int = 0  # records the trace reported written that did not survive (must stay 0)
    config_fallbacks: int = 0  # boots on the last good config because config.json was bad
    pulls_checked: int = 0
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["by_action"] = dict(self.by_action)
        d["cuts_by_action"] = dict(self.cuts_by_action)
        return d


# -- processes -------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    out: list[int] = []
    with contextlib.suppress(OSError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split():
                    out.append(int(c))
                    out.extend(_descendants(int(c)))
    return out


def power_off(proc: subprocess.Popen) -> None:
    """SIGKILL the band's processes (they hold the flash) and then the sim: a power cut."""
    for pid in reversed(_descendants(proc.pid)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


class CutFile:
    """The write counter the band keeps for RUNWALK_SIM_CUT."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def reset(self) -> None:
        self.path.write_text("0\n")

    def read(self) -> tuple[int, bool]:
        try:
            text = self.path.read_text()
        except OSError:
            return 0, False
        parts = text.split()
        return (int(parts[0]) if parts and parts[0].isdigit() else 0), "cut" in parts


# -- the flash, read from outside ----------------------------------------------------


def snapshot(image: Path) -> dict[str, bytes]:
    """config files and logs/* on the image, as littlefs presents them after a cut."""
    fs = flash.open_image(image)
    files: dict[str, bytes] = {}
    for name in fs.listdir("/"):
        if name.startswith("config"):
            with fs.open(name, "rb") as f:
                files[name] = f.read()
    if "logs" in fs.listdir("/"):
        for name in fs.listdir("logs"):
            with fs.open("logs/" + name, "rb") as f:
                files["logs/" + name] = f.read()
    return files


def touch_firmware(image: Path, mark: str) -> int:
    """Change every firmware source file on the (powered-off) image by a comment line,
    so that the next deploy has every file to rewrite. Returns how many."""
    data = bytearray(image.read_bytes())
    fs = flash.open_image(image)
    fs.context.buffer = data  # write into our copy, then save it
    n = 0
    for d in ("lib", "lib/runwalk"):
        for name in fs.listdir(d):
            p = d + "/" + name
            if not name.endswith(".py"):
                continue
            with fs.open(p, "rb") as f:
                text = f.read()
            with fs.open(p, "wb") as f:
                f.write(text.split(b"\n# torture ")[0] + b"\n# torture " + mark.encode() + b"\n")
            n += 1
    fs.unmount()
    image.write_bytes(bytes(fs.context.buffer))
    return n


def sessions(files: dict[str, bytes]) -> dict[int, tuple[str, bytes]]:
    out = {}
    for name, data in files.items():
        if name.startswith("logs/") and name.endswith((".rwl", ".rwp", ".open")):
            stem, ext = name[5:].split(".")
            out[int(stem)] = (ext, data)
    return out


def recovered(open_bytes: bytes) -> bytes:
    """What the band must make of a session a cut left open: its good prefix, closed as interrupted."""
    good, ended, last_t = logread.scan(open_bytes)
    out = bytes(open_bytes[:good]) if good >= len(logfmt.MAGIC) else logfmt.MAGIC
    if not ended:
        out += bytes(logfmt.encode(logfmt.END, logfmt.END_INTERRUPTED, last_t))
    return out


def trace_events(path: Path) -> list[dict]:
    out = []
    with contextlib.suppress(OSError):
        for line in path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                out.append(json.loads(line))  # the last line may be cut in half
    return out


# -- the campaign ----------------------------------------------------------------------


class Campaign:
    def __init__(self, work: Path, seed: int, verbose: bool = False) -> None:
        self.work = work
        self.rng = random.Random(seed)
        self.seed = seed
        self.verbose = verbose
        self.image = work / "band.img"
        self.db = work / "sessions.sqlite"
        self.link = work / "band"
        self.cut = CutFile(work / "writes")
        self.stats = Stats()
        self.closed: dict[int, bytes] = {}  # seq -> bytes of every session closed on the band
        self.good: bytes = b""  # the config the band runs
        self.est: dict[str, int] = {}  # most flash writes each kind of round has needed
        self.est_s: dict[str, float] = {}  # longest each kind of round has taken (s)
        self.env = dict(os.environ, PYTHONPATH=str(ROOT), RUNWALK_PORT=str(self.link))
        self.env.pop("RUNWALK_SIM_CUT", None)
        self.round_no = 0

    def log(self, msg: str) -> None:
        if self.verbose:
            print(msg, flush=True)

    def fail(self, msg: str) -> None:
        self.stats.failures.append("round %d: %s" % (self.round_no, msg))
        print("FAIL round %d: %s" % (self.round_no, msg), flush=True)

    # -- running the band ------------------------------------------------------------

    def sim(self, *args: str, cut_at: int | None = None, trace: Path | None = None) -> subprocess.Popen:
        env = dict(self.env)
        if cut_at is not None:
            env["RUNWALK_SIM_CUT"] = "%d %s" % (cut_at, self.cut.path)
        argv = RUNWALK + ["sim", "--flash", str(self.image), "-q", "--no-keys"] + list(args)
        if trace is not None:
            with contextlib.suppress(FileNotFoundError):
                trace.unlink()
            argv += ["--trace", str(trace)]
        return subprocess.Popen(argv, env=env, cwd=self.work, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)

    def wait_cut_or_exit(self, proc: subprocess.Popen, timeout: float, host: subprocess.Popen | None = None,
                         at: float | None = None) -> bool:
        """Wait until the band hits its cut, or the moment `at` comes (True), or the work is done (False)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.cut.read()[1] or (at is not None and time.monotonic() >= at):
                return True
            if host is None and proc.poll() is not None:
                return self.cut.read()[1]
            if host is not None and host.poll() is not None:
                return self.cut.read()[1]
            time.sleep(0.005)
        raise CampaignError("round timed out after %.0f s" % timeout)

    def start_linked(self, cut_at: int | None) -> subprocess.Popen:
        with contextlib.suppress(FileNotFoundError):
            self.link.unlink()
        trace = self.work / "link-trace.jsonl"
        proc = self.sim("--link", str(self.link), cut_at=cut_at, trace=trace)
        end = time.monotonic() + 20
        while time.monotonic() < end:
            if self.link.exists() and any(e.get("ev") == "ready" for e in trace_events(trace)):
                return proc
            if proc.poll() is not None or self.cut.read()[1]:
                return proc  # cut during its own boot: fine, checked like any other cut
            time.sleep(0.01)
        power_off(proc)
        raise CampaignError("the sim did not come up on %s" % self.link)

    def host(self, argv: list[str]) -> subprocess.Popen:
        return subprocess.Popen(argv, env=self.env, cwd=self.work, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)

    def finish_host(self, h: subprocess.Popen) -> tuple[int, str]:
        try:
            _, err = h.communicate(timeout=HOST_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(h.pid, signal.SIGKILL)
            _, err = h.communicate()
            return -9, "hung: " + err.decode(errors="replace")
        return h.returncode, err.decode(errors="replace")

    def host_round(self, argv: list[str], cut_at: int | None, delay: float | None = None) -> tuple[bool, int, str]:
        """Run a host command against a linked sim with a cut armed (at a flash write, or
        `delay` seconds after the command starts). (cut, rc, stderr)."""
        proc = self.start_linked(cut_at)
        if self.cut.read()[1]:
            power_off(proc)
            return True, 0, ""
        h = self.host(argv)
        at = None if delay is None else time.monotonic() + delay
        cut = self.wait_cut_or_exit(proc, HOST_TIMEOUT + 10, host=h, at=at)
        if cut:
            power_off(proc)  # the band dies; the host command finds out on its own
            rc, err = self.finish_host(h)
        else:
            rc, err = self.finish_host(h)
            time.sleep(0.05)  # let the band restart its app after the host let go
            power_off(proc)
        return cut, rc, err

    # -- rounds --------------------------------------------------------------------------

    def random_config(self) -> bytes:
        run_s = self.rng.choice([10, 20, 30, 45, 60])
        walk_s = self.rng.choice([10, 15, 20, 30])
        cfg = {
            "schema": 1,
            "name": "T%d %d:%d" % (self.round_no, run_s, walk_s),
            "steps": [{"repeat": self.rng.randint(1, 4), "steps": [
                {"kind": "run", "s": run_s}, {"kind": "walk", "s": walk_s}]}],
            "warn_s": self.rng.choice([0, 3, 5]),
        }
        return json.dumps(cfg).encode()

    def script(self) -> str:
        """Button edges for one session: start, maybe pauses and skips, maybe a long-press stop."""
        lines = ["500 down", "620 up"]
        t = 620
        for _ in range(self.rng.randint(0, 4)):
            t += self.rng.randint(3000, 40000)
            what = self.rng.choice(["pause", "skip"])
            if what == "pause":
                lines += ["%d down" % t, "%d up" % (t + 100)]
                t += self.rng.randint(1000, 60000)
                lines += ["%d down" % t, "%d up" % (t + 100)]
            else:
                lines += ["%d down" % t, "%d up" % (t + 100), "%d down" % (t + 200), "%d up" % (t + 300)]
            t += 300
        if self.rng.random() < 0.3:
            t += self.rng.randint(1000, 20000)
            lines += ["%d down" % t, "%d up" % (t + 2000)]
        # A click pair can land after the workout ran out: the first click starts a new
        # session, the second pauses it, and it would wait for the button for ever. A
        # long press after any workout's end closes whatever is left (in idle: a battery check).
        t += 2 * 3600 * 1000
        lines += ["%d down" % t, "%d up" % (t + 2000)]
        return "\n".join(lines) + "\n"

    def estimate(self, action: str) -> int:
        return max(1, self.est.get(action, 400))

    def learn(self, action: str, writes: int) -> None:
        self.est[action] = max(self.est.get(action, 0), writes)

    def one_round(self) -> None:
        self.round_no += 1
        action = self.rng.choice(ACTIONS)
        # Mostly a cut at the N-th flash write; one round in four, a SIGKILL at a random
        # moment of the wall clock instead (the band may be writing, sleeping or talking).
        timed = self.rng.random() < TIMED_SHARE
        cut_at = None if timed else self.rng.randint(1, self.estimate(action))
        delay = self.rng.uniform(0, self.est_s.get(action, 1.0)) if timed else None
        began = time.monotonic()
        self.stats.rounds += 1
        self.stats.by_action[action] += 1
        before = snapshot(self.image)
        pushed: bytes | None = None
        bad_push = False
        self.cut.reset()
        trace = self.work / "trace.jsonl"
        if action == "session":
            sf = self.work / "script.txt"
            sf.write_text(self.script())
            proc = self.sim("--battery", "--script", str(sf), "--until-idle", cut_at=cut_at, trace=trace)
            cut = self.wait_cut_or_exit(proc, 60, at=None if delay is None else time.monotonic() + delay)
            if cut:
                power_off(proc)
            else:
                rc = proc.wait()
                if rc != 0:
                    self.fail("session run exited %d: %s" % (rc, proc.stderr.read().decode(errors="replace")[-300:]))
            if proc.stderr is not None:
                proc.stderr.close()
        else:
            trace = self.work / "link-trace.jsonl"
            if action == "config":
                pushed = self.random_config()
                f = self.work / "push.json"
                f.write_bytes(pushed)
                argv = RUNWALK + ["config", "push", "--port", str(self.link), "--file", str(f)]
            elif action == "fscp":
                bad_push = self.rng.random() < 0.3
                pushed = b'{"schema": 1, "steps": [{"kind": "jog", "s": -5}]}' if bad_push else self.random_config()
                f = self.work / "cp.json"
                f.write_bytes(pushed)
                argv = MPREMOTE + ["connect", str(self.link), "fs", "cp", str(f), ":config.json", "+", "reset"]
            elif action == "pull":
                argv = RUNWALK + ["logs", "pull", "--port", str(self.link), "--db", str(self.db)]
            else:
                touch_firmware(self.image, str(self.round_no))  # a firmware update: every file changes
                argv = RUNWALK + ["deploy", "--port", str(self.link), "--board", "sim", "--source"]
            cut, rc, err = self.host_round(argv, cut_at, delay)
            if not cut and rc != 0:
                self.fail("%s failed without a cut (rc %d): %s" % (action, rc, err.strip()[-300:]))
            if cut and rc == 0 and action in ("config", "deploy"):
                # it reported success although the band died before the end: only fine if all got through
                self.log("  %s reported success despite the cut" % action)
        writes, _ = self.cut.read()
        if cut:
            self.stats.cuts += 1
            self.stats.cuts_by_action[action] += 1
            self.stats.timed_cuts += timed
        else:
            self.stats.at_rest += 1
            self.est_s[action] = max(self.est_s.get(action, 0.0), time.monotonic() - began)
            if not timed:
                self.learn(action, writes)
        where = ("after %.2f s" % delay if delay is not None
                 else "at write %d of ~%d" % (cut_at or 0, self.estimate(action)))
        self.log("round %d: %s, cut %s: %s" % (
            self.round_no, action, where, "cut" if cut else "completed, cut at rest"))
        self.check(action, before, trace, pushed if not bad_push else None)
        if action == "pull" or self.round_no % 10 == 0:
            self.check_pull()

    # -- checks ----------------------------------------------------------------------------

    def boot(self) -> dict | None:
        """Power on after the cut (on battery, until idle). Returns the ready event."""
        trace = self.work / "boot-trace.jsonl"
        proc = self.sim("--battery", "--until-idle", trace=trace)
        try:
            rc = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            power_off(proc)
            self.fail("the band did not reach idle after the cut")
            return None
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.stderr is not None:
            proc.stderr.close()
        ready = [e for e in trace_events(trace) if e.get("ev") == "ready"]
        if rc != 0 or not ready:
            self.fail("the band did not boot after the cut (rc %d): %s" % (rc, err.strip()[-400:]))
            return None
        return ready[0]

    def check(self, action: str, before: dict[str, bytes], trace: Path, pushed: bytes | None) -> None:
        try:
            at_cut = snapshot(self.image)
        except Exception as e:  # littlefs could not even mount it: the worst outcome
            self.fail("the flash image does not mount after the cut: %s" % e)
            raise CampaignError("flash image destroyed") from e
        ready = self.boot()
        after = snapshot(self.image)
        if ready is None:
            return
        # -- the config: valid, and the last good one (or the new one, whole) --------------
        if ready.get("error"):
            self.stats.config_fallbacks += 1
            text = after.get("config.good.json")
        else:
            text = after.get("config.json")
        if text is None:
            self.fail("no config on the band after the cut (error %r)" % ready.get("error"))
        else:
            try:
                wk.loads(text)
            except wk.ConfigError as e:
                self.fail("the band runs an invalid config: %s" % e)
            if self.good and text != self.good and text != pushed:
                self.fail("the band runs a config that is neither the last good one nor the pushed one")
            self.good = text
        # -- sessions --------------------------------------------------------------------
        now = sessions(after)
        for seq, data in self.closed.items():
            self.stats.sessions_checked += 1
            got = now.get(seq)
            if got is None:
                self.fail("closed session %d is gone" % seq)
            elif got[0] == "open":
                self.fail("closed session %d is open again" % seq)
            elif got[1] != data:
                self.fail("closed session %d changed: %d bytes, was %d" % (seq, len(got[1]), len(data)))
        left = [n for n in after if n.startswith("logs/") and n.endswith((".open", ".tmp"))]
        if left:
            self.fail("left behind after boot: %s" % ", ".join(left))
        events = trace_events(trace)
        for seq, (ext, data) in sessions(at_cut).items():
            if ext != "open":
                continue
            got = now.get(seq)
            if logread.scan(data)[0] <= len(logfmt.MAGIC):
                # cut before its header reached flash: nothing recorded, the band drops it
                self.stats.dropped_empty += 1
                if got is not None:
                    self.fail("session %d, cut before its header, was kept (%s)" % (seq, got[0]))
                continue
            if got is None or got[0] == "open":
                self.fail("session %d, open at the cut, was not closed at boot" % seq)
                continue
            expect = recovered(data)
            if got[1] != expect:
                self.fail("session %d was not recovered to its good prefix (%d bytes, expected %d)"
                          % (seq, len(got[1]), len(expect)))
            d = logread.decode(got[1])
            if d["damage"]:
                self.fail("recovered session %d is damaged: %s" % (seq, d["damage"]))
            good = logread.scan(data)[0]
            self.stats.interrupted += 1
            self.stats.bytes_lost += len(data) - max(good, 0)
            self.stats.records_recovered += len(d["events"])
            self.stats.records_lost += self.lost_records(events, seq, d)
            starts = [e["t"] for e in events if e.get("ev") == "session" and e.get("seq") == seq]
            paused = [ev[1] for ev in d["events"] if ev[1] in ("pause", "resume")][-1:] == ["pause"]
            if starts and d["end_ms"] is not None and not paused:
                # band time the log does not cover: from its last record to the cut
                gap = max(e.get("t", 0) for e in events) - starts[0] - d["end_ms"]
                self.stats.max_unlogged_ms = max(self.stats.max_unlogged_ms, gap)
        for seq, (ext, data) in now.items():
            if seq in self.closed or ext == "open":
                continue
            d = logread.decode(data)
            if d["damage"]:
                self.fail("new session %d is damaged: %s" % (seq, d["damage"]))
            if d["end"] is None:
                self.fail("new session %d has no end record" % seq)
            self.closed[seq] = data
            self.stats.sessions_recorded += 1
        # every session the band held before this round, still there
        for seq, (ext, _data) in sessions(before).items():
            if ext != "open" and seq not in now:
                self.fail("session %d vanished" % seq)

    def lost_records(self, events: list[dict], seq: int, d: dict) -> int:
        """Records the trace says were written to session `seq` that the recovered log lacks.

        The band switches the motor on before it writes a record (a cue never waits on the
        flash), so the trace reports a segment, pause or resume a few ms before its record
        reaches flash: a cut in that write may lose the record traced last, and only that one.
        """
        in_session = False
        traced: list[str] = []
        for e in events:
            if e.get("ev") == "session" and e.get("what") == "start":
                in_session = e.get("seq") == seq
                traced = [] if in_session else traced
            elif in_session and e.get("ev") == "segment":
                traced.append("segment")
            elif in_session and e.get("ev") == "session" and e.get("what") in ("pause", "resume"):
                traced.append(e["what"])
        got = {"segment": len(d["segments"]), "pause": sum(1 for ev in d["events"] if ev[1] == "pause"),
               "resume": sum(1 for ev in d["events"] if ev[1] == "resume")}
        missing = {k: max(0, traced.count(k) - n) for k, n in got.items()}
        lost = sum(missing.values())
        if lost == 1 and missing[traced[-1]] == 1:
            return 0  # the record being written when the power went
        if lost:
            self.fail("session %d lost %d records the band had written before the cut" % (seq, lost))
        return lost

    def check_pull(self) -> None:
        """An uncut pull stores every session once, with the band's bytes."""
        self.cut.reset()
        cut, rc, err = self.host_round(RUNWALK + ["logs", "pull", "--port", str(self.link), "--db", str(self.db)],
                                       None)
        if rc != 0:
            self.fail("uncut pull failed (rc %d): %s" % (rc, err.strip()[-300:]))
            return
        self.stats.pulls_checked += 1
        with db.Store(self.db) as store:
            rows = store.all()
        per_seq = Counter(r.seq for r in rows)
        dups = [s for s, n in per_seq.items() if n > 1]
        if dups:
            self.fail("sessions stored more than once: %s" % dups)
        stored = {r.seq: r.raw for r in rows}
        for seq, data in self.closed.items():
            if seq not in stored:
                self.fail("session %d was not pulled" % seq)
            elif stored[seq] != data:
                self.fail("session %d was stored with other bytes than the band's" % seq)
        extra = set(stored) - set(self.closed)
        if extra:
            self.fail("the store holds sessions the band never closed: %s" % sorted(extra))
        after = sessions(snapshot(self.image))
        for seq in self.closed:
            if seq in after and after[seq][0] != "rwp":
                self.fail("session %d was pulled but not marked pulled on the band" % seq)

    # -- setup -----------------------------------------------------------------------------

    def setup(self) -> None:
        """A fresh band with a short workout, so that sessions take seconds of virtual time."""
        proc = self.sim("--battery", "--until-idle")
        if proc.wait(timeout=60) != 0:
            raise CampaignError("a fresh sim did not start: " + proc.stderr.read().decode(errors="replace"))
        proc.stderr.close()
        self.good = self.random_config()
        f = self.work / "push.json"
        f.write_bytes(self.good)
        cut, rc, err = self.host_round(RUNWALK + ["config", "push", "--port", str(self.link), "--file", str(f)], None)
        if rc != 0:
            raise CampaignError("could not push the first config: " + err)
        ready = self.boot()
        if ready is None or ready.get("error"):
            raise CampaignError("the band did not take the first config: %r" % ready)


def run(cuts: int, seed: int, work: Path, verbose: bool = False, max_seconds: float | None = None) -> Stats:
    c = Campaign(work, seed, verbose)
    c.setup()
    started = time.monotonic()
    while c.stats.cuts < cuts:
        if max_seconds is not None and time.monotonic() - started > max_seconds:
            break
        c.one_round()
    c.check_pull()
    return c.stats


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m torture", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cuts", type=int, default=300, help="power cuts inside an operation to make (default 300)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--keep", type=Path, help="work in this directory and keep it (default: a temporary one)")
    p.add_argument("--report", type=Path, help="write the counts here as JSON")
    p.add_argument("-v", "--verbose", action="store_true")
    a = p.parse_args(argv)
    started = time.monotonic()
    if a.keep:
        a.keep.mkdir(parents=True, exist_ok=True)
        stats = run(a.cuts, a.seed, a.keep, a.verbose)
    else:
        with tempfile.TemporaryDirectory(prefix="runwalk-torture-") as d:
            stats = run(a.cuts, a.seed, Path(d), a.verbose)
    report = stats.as_dict()
    report["seed"] = a.seed
    report["seconds"] = round(time.monotonic() - started)
    if a.report:
        a.report.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "failures"}))
    for f in stats.failures:
        print("FAIL", f)
    return 1 if stats.failures else 0
