"""The built wheel runs anywhere: built with `pip wheel`, installed with its [sim] extra into a venv of
its own, and used from a directory outside the checkout, every command finds what it needs.

The venv is kept under build/wheel/ and made anew only when the wheel's dependencies change; the
wheel is rebuilt and reinstalled whenever a file that goes into it changes (reruns take seconds).
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import sys
import tempfile
import venv
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

import pytest
import simtools
from simtools import SimBand, click, read_trace

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "wheel"
# What the wheel is built from (setup.py, pyproject.toml): a change to any of them builds it again.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "NOTICE", "host_tools", "firmware", "boards")
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")


def _source_files() -> list[Path]:
    out: list[Path] = []
    for name in SOURCES:
        p = ROOT / name
        if p.is_dir():
            out += [f for f in sorted(p.rglob("*")) if f.is_file() and "__pycache__" not in f.parts
                    and f.suffix != ".pyc"]
        elif p.exists():
            out.append(p)
    return out


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _pip(python: Path, *args: str | Path) -> None:
    r = subprocess.run([str(python), "-m", "pip", "-q", *map(str, args)], capture_output=True, text=True,
                       timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr


def build_wheel(out: Path) -> Path:
    """`pip wheel` on a clean copy of the sources (setuptools' build/ in the checkout could hold stale files)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "runwalk"
        src.mkdir()
        for name in SOURCES:
            p = ROOT / name
            if p.is_dir():
                shutil.copytree(p, src / name, ignore=JUNK)
            elif p.exists():
                shutil.copy2(p, src / name)
        shutil.rmtree(out, ignore_errors=True)
        _pip(Path(sys.executable), "wheel", "--no-deps", "-w", out, src)
    (wheel,) = out.glob("runwalk-*.whl")
    return wheel


def requirements(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        lines = z.read(meta).decode().splitlines()
    return "\n".join([sys.version, *sorted(x for x in lines if x.startswith("Requires-Dist:"))])


@contextmanager
def _cache() -> Iterator[None]:
    """build/wheel/, one process at a time (pytest-xdist workers share it)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def built_wheel() -> Path:
    """The wheel of the sources as they are now (built again only when one of them changed)."""
    dist, stamp = CACHE / "dist", CACHE / "dist.key"
    with _cache():
        key = _digest([str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes() for f in _source_files()])
        wheels = list(dist.glob("runwalk-*.whl"))
        if len(wheels) == 1 and stamp.exists() and stamp.read_text() == key:
            return wheels[0]
        wheel = build_wheel(dist)
        stamp.write_text(key)
        return wheel


@pytest.fixture(scope="module")
def wheel_venv() -> Path:
    """A venv holding the built wheel and its [sim] extra, and nothing of the checkout."""
    wheel = built_wheel()
    env_dir, installed, deps = CACHE / "venv", CACHE / "venv.key", CACHE / "venv.deps"
    python = env_dir / "bin" / "python"
    with _cache():
        key = _digest([wheel.read_bytes()])
        if python.exists() and installed.exists() and installed.read_text() == key:
            return env_dir
        want = requirements(wheel)
        if python.exists() and deps.exists() and deps.read_text() == want:
            _pip(python, "install", "--no-deps", "--force-reinstall", wheel)
        else:
            shutil.rmtree(env_dir, ignore_errors=True)
            venv.create(env_dir, with_pip=True)
            _pip(python, "install", f"{wheel}[sim]")
            deps.write_text(want)
        installed.write_text(key)
    return env_dir


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wheel_venv: Path) -> Iterator[Path]:
    """Commands run in tmp_path, away from the checkout, with the wheel's runwalk and nothing else."""
    monkeypatch.chdir(tmp_path)
    for var in ("PYTHONPATH", "RUNWALK_PORT", "MICROPYPATH"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # never the user's own session store
    monkeypatch.setenv("PATH", "%s:/usr/bin:/bin" % (wheel_venv / "bin"))
    monkeypatch.setattr(simtools, "RUNWALK", str(wheel_venv / "bin" / "runwalk"))
    yield tmp_path


def runwalk(venv_dir: Path, *args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv_dir / "bin" / "runwalk"), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def test_the_wheel_holds_every_package_and_the_firmware(wheel_venv: Path, outside: Path) -> None:
    from runwalk import VERSION

    r = runwalk(wheel_venv, "--version")
    assert (r.returncode, r.stdout) == (0, "runwalk %s\n" % VERSION), r.stderr
    # Every package of the checkout imports from the venv (none is missing, none comes from the checkout).
    packages = sorted(".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "host_tools").rglob("__init__.py"))
    code = ("import importlib, sys\n"
            "for name in sys.argv[1:]:\n"
            "    print(importlib.import_module(name).__file__)\n"
            "from host_tools import firmware_files as f\n"
            "print(f.FIRMWARE)\nprint(f.BOARDS)\n")
    r = subprocess.run([str(wheel_venv / "bin" / "python"), "-c", code, "runwalk", *packages], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    where = [Path(x) for x in r.stdout.splitlines()]
    assert len(where) == len(packages) + 3
    assert all(p.is_relative_to(wheel_venv) for p in where), where
    firmware, boards = where[-2:]
    # The firmware and the board modules in the wheel are the checkout's, file for file.
    def tree(d: Path) -> dict[str, bytes]:
        return {str(p.relative_to(d)): p.read_bytes() for p in d.rglob("*.py") if "__pycache__" not in p.parts}

    assert tree(firmware) == tree(ROOT / "firmware")
    assert tree(boards) == tree(ROOT / "boards")
    # The licence and the notices of what it carries.
    with zipfile.ZipFile(built_wheel()) as z:
        licences = {n.rsplit("/", 1)[-1]: z.read(n) for n in z.namelist() if "/licenses/" in n}
    assert licences == {"LICENSE": (ROOT / "LICENSE").read_bytes(), "NOTICE": (ROOT / "NOTICE").read_bytes()}


def test_sim_deploy_pull_and_export_from_the_wheel(wheel_venv: Path, outside: Path) -> None:
    tmp = outside
    config = tmp / "workout.json"
    config.write_text('{"schema": 1, "name": "wheel", "warn_s": 0, "intensity": 80,'
                      ' "steps": [{"kind": "run", "s": 30}, {"kind": "walk", "s": 30}]}')
    script = tmp / "press.txt"
    script.write_text(simtools.script_text(click(1000)))
    # A headless session on a new flash image: the firmware and the sim board come from the wheel.
    r = runwalk(wheel_venv, "sim", "--flash", "band.img", "--config", config, "--script", script,
                "--trace", "trace.jsonl", "--until-idle", "-q")
    assert r.returncode == 0, r.stderr
    events = read_trace(tmp / "trace.jsonl")
    assert [e["ev"] for e in events if e["ev"] == "ready"] == ["ready"]
    ends = [e for e in events if e["ev"] == "session" and e.get("what") == "end"]
    assert len(ends) == 1 and ends[0]["completed"] is True, events[-5:]
    # The same band on a link: deploy onto it, pull its session, export it.
    with SimBand(tmp).start() as band:
        mark = len(band.events())
        r = runwalk(wheel_venv, "deploy", "--port", band.port)
        assert r.returncode == 0, r.stderr
        assert "Deployed runwalk (.mpy" in r.stdout and "board sim" in r.stdout, r.stdout
        names = band.list_dir("/lib/runwalk")
        assert "app.mpy" in names and "app.py" not in names
        band.wait_event("ready", since=mark, timeout=30)  # the compiled firmware starts
        r = runwalk(wheel_venv, "logs", "pull", "--port", band.port, "--db", "s.sqlite")
        assert r.returncode == 0, r.stderr
    r = runwalk(wheel_venv, "logs", "export", "last", "--db", "s.sqlite", "-o", "run.tcx")
    assert r.returncode == 0, r.stderr
    root = ElementTree.parse(tmp / "run.tcx").getroot()
    laps = [e for e in root.iter() if e.tag.endswith("}Lap")]
    assert len(laps) == 2  # one per segment: run, walk

