"""Boot never fails, whatever the flash holds (docs/reliability.md, Damaged flash): the damaged-flash campaign.

A band's flash image (firmware as .mpy, one closed session, a plan) is damaged in
every file the band reads at boot: noise, truncation, flipped bits, emptiness,
oversized files, a directory where a file belongs and a file where a directory
belongs. Each damaged image is powered on headless with a 64 KB heap
(`runwalk sim --heap 64k`), as a small board has it. After each the band must
reach idle (trace `ready`, no exception out of main.py) and a scripted click must
start a workout that records a whole log (there is room on every image here).

The states come from a table (each file x each kind of damage) and from a seeded
random mutator that damages several files at once. The counts in
docs/reliability.md ("Damaged flash") come from this module:

    .venv/bin/pytest -q tests/test_damaged_flash.py   # writes build/damaged-flash.json
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from littlefs import LittleFS
from runwalk import logfmt, logread
from simtools import SimBand, click, long_press, run_headless

from host_tools.sim import flash

ROOT = Path(__file__).resolve().parent.parent
HEAP = ("--heap", "64k")
SEED = 11
RANDOM_CASES = 24

PLAN = {
    "schema": 1, "id": "dmg1", "name": "Damage test plan",
    "workouts": [{"schema": 1, "name": "Plan 1:1", "steps": [
        {"repeat": 4, "steps": [{"kind": "run", "s": 60}, {"kind": "walk", "s": 60}]}]}],
    "sessions": [{"workout": 0, "week": 1}, {"workout": 0, "week": 1}],
}
CONFIG = {"schema": 1, "name": "Own 2:1", "warn_s": 5,
          "steps": [{"repeat": 3, "steps": [{"kind": "run", "s": 120, "label": "run"}, {"kind": "walk", "s": 60}]}]}


def open_log(seq: int, segments: int) -> bytes:
    """An open session log as a power cut leaves it: a header, segments, no END."""
    data = bytearray(logfmt.MAGIC + logfmt.header_bytes(
        {"seq": seq, "uid": "sim", "start": None, "name": "Cut", "steps": CONFIG["steps"]}))
    for i in range(segments):
        data += logfmt.encode(logfmt.SEG, i & 1, i * 60000)
    return bytes(data)


# -- the flash image ------------------------------------------------------------------------


def _fs(image: Path) -> LittleFS:
    return flash.open_image(image)


def _save(fs: LittleFS, image: Path) -> None:
    fs.unmount()
    image.write_bytes(bytes(fs.context.buffer))


def _rm(fs: LittleFS, path: str) -> None:
    try:
        st = fs.stat(path)
    except Exception:  # littlefs-python raises its own error for a missing path
        return
    if st.type == 2:  # a directory
        for n in fs.listdir(path):
            _rm(fs, path + "/" + n)
    fs.remove(path)


def _put(fs: LittleFS, path: str, data: bytes) -> None:
    _rm(fs, path)
    if "/" in path:
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    with fs.open(path, "wb") as f:
        f.write(data)


def _read(fs: LittleFS, path: str) -> bytes:
    with fs.open(path, "rb") as f:
        return f.read()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A band after a normal life, then a power cut: firmware as .mpy, its own config
    (and its good copy), one closed session, /logs/seq, and the session the cut left open."""
    d = tmp_path_factory.mktemp("damaged")
    image = d / "base.img"
    r = run_headless(image, [], extra=("--mpy", *HEAP))
    assert r.returncode == 0, r.stderr
    fs = _fs(image)
    _put(fs, "config.json", json.dumps(CONFIG).encode())
    _save(fs, image)
    r = run_headless(image, [*click(1000), *long_press(5000)], extra=HEAP)  # writes config.good.json, a log, seq
    assert r.returncode == 0, r.stderr
    fs = _fs(image)
    _put(fs, "logs/000002.open", open_log(2, 6))
    _save(fs, image)
    return image


def with_plan(fs: LittleFS, hold: bool) -> None:
    """An active plan and the band's place in it (and a one-off pushed before it: hold)."""
    _put(fs, "plan.json", json.dumps(PLAN).encode())
    _put(fs, "plan.pos", json.dumps({"id": "dmg1", "step": 0, "seq": 1}).encode())
    if hold:
        _put(fs, "plan.hold", b"")


# -- kinds of damage -----------------------------------------------------------------------

Damage = Callable[[LittleFS, str, random.Random], None]


def noise(n: int) -> Damage:
    return lambda fs, p, rnd: _put(fs, p, rnd.randbytes(n))


def truncated(fs: LittleFS, p: str, rnd: random.Random) -> None:
    data = _read(fs, p)
    _put(fs, p, data[: rnd.randrange(len(data))] if data else b"")


def flipped(fs: LittleFS, p: str, rnd: random.Random) -> None:
    data = bytearray(_read(fs, p))
    for _ in range(1 + len(data) // 64):
        if data:
            data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
    _put(fs, p, bytes(data))


def empty(fs: LittleFS, p: str, rnd: random.Random) -> None:
    _put(fs, p, b"")


def directory(fs: LittleFS, p: str, rnd: random.Random) -> None:
    """A directory where the file belongs (with a file in it, so it cannot simply be removed)."""
    _rm(fs, p)
    fs.makedirs(p, exist_ok=True)
    with fs.open(p + "/x", "wb") as f:
        f.write(b"x")


def huge_json(fs: LittleFS, p: str, rnd: random.Random) -> None:
    """Valid JSON far over every limit: 120 KB."""
    _put(fs, p, b'{"schema": 1, "id": "' + b"x" * 120_000 + b'", "steps": []}')


def deep_json(fs: LittleFS, p: str, rnd: random.Random) -> None:
    _put(fs, p, b"[" * 5000 + b"]" * 5000)


def huge_log(fs: LittleFS, p: str, rnd: random.Random) -> None:
    """An open log of 125 KB that reads whole: a session of 25,000 segments cut by a power cut."""
    _put(fs, p, open_log(2, 25_000))


KINDS: dict[str, Damage] = {
    "noise-4k": noise(4096), "noise-64": noise(64), "truncated": truncated, "flipped": flipped,
    "empty": empty, "directory": directory,
}
# Every file the band reads at boot, and the damage that makes sense beyond KINDS.
FILES: dict[str, dict[str, Damage]] = {
    "logs/000002.open": {"huge-log": huge_log, "noise-120k": noise(120_000)},
    "logs/seq": {"noise-120k": noise(120_000)},
    "config.json": {"huge-json": huge_json, "deep-json": deep_json},
    "config.good.json": {"huge-json": huge_json, "deep-json": deep_json},
    "plan.json": {"huge-json": huge_json, "deep-json": deep_json},
    "plan.pos": {"huge-json": huge_json, "deep-json": deep_json},
    "plan.hold": {"noise-120k": noise(120_000)},
}


def _logs_as_file(data: bytes) -> Callable[[LittleFS, random.Random], None]:
    def damage(fs: LittleFS, rnd: random.Random) -> None:
        _put(fs, "logs", data)

    return damage


def _table() -> dict[str, Callable[[LittleFS, random.Random], None]]:
    cases: dict[str, Callable[[LittleFS, random.Random], None]] = {}
    for path, extra in FILES.items():
        for kind, fn in {**KINDS, **extra}.items():
            def case(fs: LittleFS, rnd: random.Random, fn: Damage = fn, path: str = path) -> None:
                if path.startswith("plan."):
                    with_plan(fs, path == "plan.hold")
                fn(fs, path, rnd)

            cases[f"{path}:{kind}"] = case
    cases["logs-as-file:empty"] = _logs_as_file(b"")
    cases["logs-as-file:noise-4k"] = _logs_as_file(random.Random(SEED).randbytes(4096))
    cases["logs/000001.rwl:noise-4k"] = lambda fs, rnd: KINDS["noise-4k"](fs, "logs/000001.rwl", rnd)
    cases["logs/000003.tmp:directory"] = lambda fs, rnd: directory(fs, "logs/000003.tmp", rnd)
    cases["plan.json+plan.pos:noise-4k"] = lambda fs, rnd: [
        with_plan(fs, False), noise(4096)(fs, "plan.json", rnd), noise(4096)(fs, "plan.pos", rnd)]
    cases["plan.json+plan.pos:directory"] = lambda fs, rnd: [
        with_plan(fs, False), directory(fs, "plan.json", rnd), directory(fs, "plan.pos", rnd)]
    cases["plan.json:year+plan.pos:flipped"] = lambda fs, rnd: [  # a valid plan of 364 sessions
        with_plan(fs, False), _put(fs, "plan.json", json.dumps(dict(PLAN, sessions=PLAN["sessions"] * 182)).encode()),
        flipped(fs, "plan.pos", rnd)]
    # Not damage: the same band with a plan and no power cut (nothing to recover at boot).
    cases["plan:no-power-cut"] = lambda fs, rnd: [with_plan(fs, False), _rm(fs, "logs/000002.open")]
    cases["directories-everywhere"] = lambda fs, rnd: [
        directory(fs, p, rnd) for p in ("config.json", "config.good.json", "config.err", "logs/seq", "plan.pos")]
    return cases


TABLE = _table()
ALL_KINDS = {**KINDS, "huge-json": huge_json, "deep-json": deep_json, "noise-120k": noise(120_000)}


def _random_case(i: int) -> Callable[[LittleFS, random.Random], str]:
    """Damage 1 to 3 of the boot files, each in a kind drawn at random. Returns what it did."""

    def damage(fs: LittleFS, rnd: random.Random) -> str:
        did = []
        if rnd.random() < 0.5:
            with_plan(fs, rnd.random() < 0.3)
            did.append("(plan)")
        for path in rnd.sample(sorted(FILES), rnd.randint(1, 3)):
            kind = rnd.choice(sorted(ALL_KINDS))
            try:
                fs.stat(path)
            except Exception:
                if kind in ("truncated", "flipped"):
                    kind = "noise-64"  # nothing there to cut or flip
            ALL_KINDS[kind](fs, path, rnd)
            did.append(f"{path}:{kind}")
        if rnd.random() < 0.15:
            _rm(fs, "logs")
            _put(fs, "logs", rnd.randbytes(rnd.randrange(2000)))
            did.append("logs-as-file")
        return ",".join(did)

    return damage


# -- one damaged boot --------------------------------------------------------------------------

OUTCOMES: dict[str, dict[str, Any]] = {}


def _boot_damaged(base: Path, tmp: Path, name: str, damage: Callable[[LittleFS, random.Random], Any],
                  seed: int) -> dict[str, Any]:
    image = tmp / "band.img"
    image.write_bytes(base.read_bytes())
    fs = _fs(image)
    did = damage(fs, random.Random(seed))
    _save(fs, image)
    r = run_headless(image, [*click(2000), *long_press(8000)], extra=HEAP, timeout=180)
    where = f"{name} ({did})" if isinstance(did, str) else name
    # 1. It boots and reaches idle: no exception out of main.py, no reset loop.
    assert r.returncode == 0, f"{where}: {r.stderr[-2000:]}"
    ready = r.of("ready")
    assert len(ready) == 1, where
    assert r.of("boot") and len(r.of("boot")) == 1, where  # one power-on, no reset
    # 2. Start-up never fails for want of heap or for what a file holds: the boot guard
    # (the built-in workout, "could not start") never runs, a damaged plan.pos included.
    assert "could not start" not in (ready[0]["error"] or ""), f"{where}: {ready[0]['error']}"
    for p in r.of("plan"):
        assert p["error"] is None or "plan.json" in p["error"], f"{where}: {p}"  # only a damaged plan.json holds it
    # 3. The click starts a workout, and it records a whole log: on a 64 KB heap there is
    # always room for it (never the flash-full cue of a heap too small, "unrecorded").
    names = flash.list_dir(image, "/logs")
    heap_limited = [e for e in r.of("session") if e.get("reason") == "unrecorded"]
    starts = [e for e in r.of("session") if e["what"] == "start"]
    assert not heap_limited and not r.of("full"), f"{where}: no heap for the log"
    assert len(starts) == 1, f"{where}: the click started no session: {r.of('full')} {r.of('log_error')}"
    assert r.of("log_error") == [], where
    seq = starts[0]["seq"]
    mine = [n for n in names if n.startswith("%06d." % seq)]
    assert mine == ["%06d.rwl" % seq], f"{where}: {names}"
    d = logread.decode(flash.read_file(image, "logs/" + mine[0]))
    assert d["damage"] == [] and d["header"]["name"] == ready[0]["workout"], where
    assert d["end"] == logfmt.END_STOPPED, where
    # 4. Nothing is left open, and nothing the band could not read was thrown away.
    assert not [n for n in names if n.endswith(".open")], f"{where}: {names}"
    out = {
        "heap_limited": bool(heap_limited),
        "error": ready[0]["error"],
        "guard": bool(ready[0]["error"] and "could not start" in ready[0]["error"]),
        "set_aside": [n for n in names if n.endswith(".bad")],
        "workout": ready[0]["workout"],
    }
    OUTCOMES[name] = out
    return out


@pytest.mark.parametrize("name", sorted(TABLE))
def test_a_damaged_file_never_stops_the_band(base: Path, tmp_path: Path, name: str) -> None:
    out = _boot_damaged(base, tmp_path, name, TABLE[name], SEED)
    if name.startswith("logs/000002.open:") and name.split(":")[1] in ("noise-4k", "noise-64", "noise-120k",
                                                                        "directory", "flipped"):
        # An open log with no readable start is kept, aside, for the host; never read again.
        assert out["set_aside"] == ["000002.bad"] or name.endswith("flipped"), out
    if name == "plan:no-power-cut" or name.startswith("plan.pos:") or name.startswith("plan.json:year"):
        # plan.json is whole: its workout runs (a damaged plan.pos found again from the logs)
        assert out["workout"] == "Plan 1:1" and out["error"] is None, out
    if name in ("logs/000002.open:huge-log",):
        assert out["set_aside"] == []  # a long log that reads whole is closed, not set aside


@pytest.mark.parametrize("i", range(RANDOM_CASES))
def test_random_damage_never_stops_the_band(base: Path, tmp_path: Path, i: int) -> None:
    _boot_damaged(base, tmp_path, f"random-{i}", _random_case(i), SEED * 1000 + i)


def test_a_log_set_aside_is_pulled_and_marked_pulled(tmp_path: Path) -> None:
    # The host lists and pulls the set-aside log with the others (host_tools/band/bandfs.py),
    # stores it as far as it reads, and renames it .rwp so the band may free it.
    band = SimBand(tmp_path)
    r = run_headless(band.image, [*click(1000), *long_press(5000)])
    assert r.returncode == 0, r.stderr
    noise = random.Random(SEED).randbytes(4096)
    fs = _fs(band.image)
    _put(fs, "logs/000002.open", noise)
    _save(fs, band.image)
    with band.start():
        pull = band.runwalk("logs", "pull", "--db", str(tmp_path / "s.sqlite"))
    assert pull.returncode == 0, pull.stderr
    assert "000002.bad" in pull.stderr and "damaged" in pull.stderr, pull.stderr
    assert flash.list_dir(band.image, "/logs") == ["000001.rwp", "000002.rwp", "seq"]
    assert flash.read_file(band.image, "logs/000002.rwp") == noise
    from host_tools.store import db

    with db.Store(tmp_path / "s.sqlite") as st:
        assert sorted(bytes(x.raw) == noise for x in st.all()) == [False, True]


def test_campaign_counts() -> None:
    """What the campaign saw, for docs/reliability.md (build/damaged-flash.json)."""
    if len(OUTCOMES) < len(TABLE) + RANDOM_CASES:
        pytest.skip("only part of the campaign ran")
    c: Counter[str] = Counter()
    for o in OUTCOMES.values():
        c["states"] += 1
        c["boot guard (built-in workout)"] += o["guard"]
        c["config refused (error cue)"] += bool(o["error"]) and not o["guard"]
        c["log set aside (.bad)"] += bool(o["set_aside"])
        c["session recorded"] += not o["heap_limited"]
        c["heap too small for the log: full cue"] += o["heap_limited"]
    out = ROOT / "build" / "damaged-flash.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"table": len(TABLE), "random": RANDOM_CASES, "seed": SEED, **c, "states": OUTCOMES},
                              indent=1) + "\n")
    assert c["states"] == len(TABLE) + RANDOM_CASES
    assert c["session recorded"] == c["states"] and c["boot guard (built-in workout)"] == 0


def test_config_show_says_the_band_could_not_start(tmp_path: Path) -> None:
    # A start-up that fails at any heap (a firmware file that flash damage turned to noise:
    # the plan's module, which only a band with a plan imports): the band runs its built-in
    # workout, and `runwalk config show` says why, not "refused its config".
    band = SimBand(tmp_path)
    r = run_headless(band.image, [])
    assert r.returncode == 0, r.stderr
    fs = _fs(band.image)
    _put(fs, "config.json", json.dumps(CONFIG).encode())
    with_plan(fs, False)
    _put(fs, "lib/runwalk/plan.py", random.Random(SEED).randbytes(64))
    _save(fs, band.image)
    with band.start():
        ready = band.events("ready")[-1]
        assert ready["workout"] == "Galloway 4:1" and "could not start" in ready["error"], ready
        show = band.runwalk("config", "show")
    assert show.returncode == 0, show.stderr
    assert "\nThe band could not start (" in show.stdout, show.stdout
    assert "it runs its built-in workout:" in show.stdout and "refused" not in show.stdout


def test_a_directory_at_plan_pos_runs_the_plan_where_its_sessions_left_it(tmp_path: Path) -> None:
    # plan.pos cannot be read nor written: the band finds the plan's place from its newest
    # session's log (docs/plan-format.md) at every start, and moves on all the same.
    band = SimBand(tmp_path)
    r = run_headless(band.image, [])
    assert r.returncode == 0, r.stderr
    fs = _fs(band.image)
    doc = dict(PLAN, sessions=[{"workout": 0, "week": 1}] * 3)
    doc["workouts"] = [{"schema": 1, "name": "Short", "warn_s": 0, "steps": [{"kind": "run", "s": 2}]}]
    _put(fs, "plan.json", json.dumps(doc).encode())
    directory(fs, "plan.pos", random.Random(SEED))
    _save(fs, band.image)
    for step in (0, 1):
        r = run_headless(band.image, [*click(1000)])  # the 2 s workout runs out: done
        assert r.returncode == 0, r.stderr
        assert [p["step"] for p in r.of("plan")] == [step, step + 1] and r.of("ready")[0]["error"] is None
        assert [e["reason"] for e in r.of("session") if e["what"] == "end"] == ["completed"]
    r = run_headless(band.image, [])
    assert r.of("plan")[0]["step"] == 2 and r.of("plan")[0]["error"] is None
    with band.start():  # the host finds the same place (host_tools/band/plan.py)
        show = band.runwalk("plan", "show")
    assert show.returncode == 0, show.stderr
    assert "next is session 3 of 3" in show.stdout, show.stdout


def test_a_plans_last_session_done_the_band_goes_on_without_a_restart(tmp_path: Path) -> None:
    # At --heap 64k: the plan's workout runs and records, and when its last session is done
    # the band moves to config.json's workout (or, where the heap has no room for that, its
    # built-in one, config.err says why) in place: no MemoryError out of the app loop, no
    # second start-up, and the next click records.
    image = tmp_path / "band.img"
    r = run_headless(image, [], extra=("--mpy", *HEAP))
    assert r.returncode == 0, r.stderr
    fs = _fs(image)
    _put(fs, "config.json", json.dumps(CONFIG).encode())
    doc = dict(PLAN, workouts=[{"schema": 1, "name": "Short", "warn_s": 0, "steps": [{"kind": "run", "s": 2}]}])
    _put(fs, "plan.json", json.dumps(doc).encode())
    _put(fs, "plan.pos", json.dumps({"id": "dmg1", "step": 1, "seq": 0}).encode())
    _save(fs, image)
    r = run_headless(image, [*click(1000), *click(10000), *long_press(14000)], extra=HEAP)
    assert r.returncode == 0, r.stderr
    assert len(r.of("ready")) == 1 and r.of("ready")[0]["workout"] == "Short"
    assert [(p["step"], p["error"]) for p in r.of("plan")] == [(1, None), (2, None)]
    assert [e["reason"] for e in r.of("session") if e["what"] == "end"] == ["completed", "stopped"]
    names = flash.list_dir(image, "/logs")
    assert names == ["000001.rwl", "000002.rwl", "seq"], names
    heads = [logread.decode(flash.read_file(image, "logs/" + n))["header"] for n in names[:2]]
    assert heads[0]["plan"] == {"id": "dmg1", "step": 1, "of": 2} and "plan" not in heads[1]
    assert heads[1]["name"] in (CONFIG["name"], "Galloway 4:1")
