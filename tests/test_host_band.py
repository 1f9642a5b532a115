"""The `runwalk` command end to end against the virtual wristband (`runwalk sim`),
with the unmodified mpremote as the independent witness of what is on the band."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pty
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import fitdecode
import pytest
from runwalk import workout as wk
from simtools import SimBand, click, one_line_failure, run_headless, rw

from bench.pull import seed
from host_tools.training import workouts

RUNWALK = str(Path(sys.executable).parent / "runwalk")


def new_band(tmp: Path, flash_size: str | None = None) -> SimBand:
    # 50x: a 3-minute workout in under 4 s. The sim times fifo presses in real time, so a busy
    # machine stretches a click by its delay times the speed: at 50x a 27 ms delay still leaves
    # a click under the 1.5 s long press. Its wall clock starts unset: only runwalk sets it.
    band = SimBand(tmp, speed=50, flash_size=flash_size)
    try:
        return band.start()
    except BaseException:
        band.stop()  # a band that never came up is not left running
        raise


@pytest.fixture()
def sim(tmp_path: Path) -> Iterator[SimBand]:
    band = new_band(tmp_path)
    try:
        yield band
    finally:
        band.stop()


def mp(band: SimBand, *args: str) -> str:
    return band.mpremote(*args, timeout=60).stdout


def files(band: SimBand, dirs: tuple[str, ...] = ("/", "/logs/")) -> dict[str, str]:
    """path -> sha256 of the files in these directories, as the band itself reads them through mpremote."""
    code = ("import os,hashlib,binascii\n"
            "for d in %r:\n"
            " for n in os.listdir(d):\n"
            "  p=d+n\n"
            "  if os.stat(p)[0]&0x4000: continue\n"
            "  print(p, binascii.hexlify(hashlib.sha256(open(p,'rb').read()).digest()).decode())") % (dirs,)
    return dict(line.split() for line in band.exec(code).splitlines() if line.startswith("/"))


def run_session(band: SimBand, pause: bool = False) -> None:
    """Start the workout with a click and wait (accelerated) for it to end."""
    n = len(band.events())
    band.start_session()
    if pause:
        band.press("click")
        band.wait_event("session", since=n, what="pause")
        band.press("click")
    band.wait_event("session", since=n, timeout=60, what="end")
    wait_idle(band, n)


def wait_idle(band: SimBand, since: int) -> None:
    """Until the band sleeps with nothing left to do (the done cue over)."""
    band.wait_until(lambda evs: any(e["ev"] == "sleep" and "ms" not in e for e in evs[-3:]), since, 20, "go idle")


def restart(band: SimBand) -> None:
    """`mpremote reset`: the band runs main.py again (mpremote itself leaves it in the REPL)."""
    n = len(band.events())
    mp(band, "reset")
    band.wait_event("ready", since=n, timeout=20)


# -- config ----------------------------------------------------------------------------


def test_config_push_show_and_the_band_runs_it(sim: SimBand) -> None:
    n = len(sim.events())
    r = rw("config", "push", "30s:30s", "--repeats", "2", "--warmup", "1:00", "--cooldown", "30", "--port",
           sim.port)
    assert r.returncode == 0, r.stderr
    # The app restarted with the new workout, and the file is exactly what was validated.
    ready = sim.wait_event("ready", since=n, timeout=20)
    assert ready["workout"] == "Run-walk 30s:30s" and ready["segments"] == 6 and ready["error"] is None
    cfg = json.loads(mp(sim, "fs", "cat", ":config.json"))
    assert cfg["steps"][0] == {"kind": "walk", "s": 60, "label": "warmup"}
    r = rw("config", "show", "--port", sim.port)
    assert r.returncode == 0, r.stderr
    assert "2 x run 0:30, walk 0:30" in r.stdout and "Total time: 3:30" in r.stdout
    assert "Running time: 1:00" in r.stdout


def test_config_push_file_and_band_refusal_shown(sim: SimBand, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"schema": 1, "name": "Sprints", "steps": [
        {"repeat": 3, "steps": [{"kind": "sprint", "s": 20}, {"kind": "walk", "s": 40}]}], "warn_s": 0}))
    r = rw("config", "push", "--file", str(good), "--port", sim.port)
    assert r.returncode == 0, r.stderr
    assert mp(sim, "fs", "cat", ":config.json") == good.read_text()
    # A config.json the band refuses (put there by hand): `config show` says why.
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": 1, "steps": [{"kind": "run", "s": 0}]}')
    n = len(sim.events())
    mp(sim, "fs", "cp", str(bad), ":config.json", "+", "reset")
    n2 = sim.wait_event("ready", since=n, timeout=20)
    assert n2["error"]
    r = rw("config", "show", "--port", sim.port)
    assert "refused its config.json" in r.stdout and "steps[0].s" in r.stdout
    assert "Sprints" in r.stdout  # what it runs instead: its last good workout


def test_a_file_saved_with_a_byte_order_mark_runs_on_the_band(sim: SimBand, tmp_path: Path) -> None:
    # Notepad's "UTF-8": the band's JSON reader refused it after `config push` had said "Pushed".
    f = tmp_path / "notepad.json"
    f.write_bytes(b"\xef\xbb\xbf" + b'{"schema": 1, "name": "Notepad", "steps": [{"kind": "run", "s": 60}]}\r\n')
    n = len(sim.events())
    assert rw("config", "push", "--file", str(f), "--port", sim.port).returncode == 0
    ready = sim.wait_event("ready", since=n, timeout=20)
    assert ready["error"] is None and ready["workout"] == "Notepad"
    r = rw("config", "show", "--port", sim.port)
    assert "refused" not in r.stdout and r.stdout.splitlines()[1] == "Notepad"


def test_config_show_says_whether_the_plan_runs(sim: SimBand, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert rw("plan", "build", "--from", "1:1", "--to", "1:1", "--weeks", "1", "--per-week", "1", "--minutes", "5",
              "-o", str(plan)).returncode == 0
    assert rw("plan", "push", str(plan), "--port", sim.port).returncode == 0
    assert "A plan is active" in rw("config", "show", "--port", sim.port).stdout
    # Finished (its one session counted): the band is back on config.json.
    pos = json.dumps({"id": json.loads(plan.read_text())["id"], "step": 1, "seq": 0})
    mp(sim, "exec", "f=open('/plan.pos','w'); f.write(%r); f.close()" % pos)
    r = rw("config", "show", "--port", sim.port)
    assert r.returncode == 0 and "plan" not in r.stdout, r.stdout
    # Broken by hand: the band skips it, and both commands say how to get rid of it.
    (tmp_path / "bad.json").write_text('{"schema": 1, "id": "x"')
    mp(sim, "fs", "cp", str(tmp_path / "bad.json"), ":plan.json")
    r = rw("config", "show", "--port", sim.port)
    assert "The band's plan is not run: the band's plan.json is not valid JSON" in r.stdout
    assert "so the band runs its config.json instead (`runwalk plan stop` removes the plan" in r.stdout
    one_line_failure(rw("plan", "show", "--port", sim.port), "`runwalk plan stop` removes the plan")
    assert "No plan on the band any more" in rw("plan", "stop", "--port", sim.port).stdout
    assert "There was no plan on the band" in rw("plan", "stop", "--port", sim.port).stdout


def test_config_push_says_which_changes_get_a_heads_up(tmp_path: Path) -> None:
    # 20 s runs and 10 s walks with --warn 10: only the runs are long enough (twice warn_s) for one.
    cfg = workouts.from_ratio(20, 10, repeats=4, warmup_s=0, cooldown_s=0, warn_s=10)
    said = workouts.describe(wk.validate(cfg))[-1]
    assert said == "8 segments, heads-up 10 s before 4 of 7 changes (segments shorter than 20 s get none)"
    band = run_headless(tmp_path / "band.img", click(1000), config=cfg)  # what the band does
    assert band.returncode == 0, band.stderr
    assert len([e for e in band.of("cue") if e["name"] == "warn"]) == 4


def test_config_show_of_a_bad_config_copied_without_a_restart(sim: SimBand, tmp_path: Path) -> None:
    assert rw("config", "push", "3:1", "--port", sim.port).returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": 1, "steps": [{"kind": "jog", "s": 60}]}')
    mp(sim, "fs", "cp", str(bad), ":config.json")  # no reset: the band has not looked at it yet
    r = rw("config", "show", "--port", sim.port)
    one_line_failure(r, "the band's config.json is invalid: steps[0].kind")  # on stderr, not stdout
    assert "refuses it when it starts" in r.stderr
    r = rw("config", "show", "--port", sim.port)
    assert "The band refused its config.json: steps[0].kind" in r.stdout and "Run-walk 3:1" in r.stdout


BAD_PUSHES = [
    (["4:0"], "walk part must be longer than 0"),
    (["abc"], "must be RUN:WALK"),
    (["4:1", "--repeats", "0"], "--repeats"),
    (["4:1", "--warmup", "soon"], "--warmup"),
    (["--file", "/nonexistent.json"], "cannot read"),
    # An option the chosen workout would ignore is refused, not dropped silently.
    (["--free", "--repeats", "3"], "--repeats does not apply to --free"),
    (["4:1", "--recover", "20s"], "--recover does not apply to a ratio"),
    # Values the band would refuse are named as typed, not as a config.json path.
    (["1500:1"], "ratio '1500:1': the run part is too long"),
    (["4:1", "--warn", "61"], "--warn '61' is too long: at most 60 s"),
    (["4:1", "--warmup", "25h"], "--warmup '25h' is too long: at most 24 hours"),
]


def test_bad_pushes_change_nothing(sim: SimBand, tmp_path: Path) -> None:
    before = files(sim)
    for args, says in BAD_PUSHES:
        one_line_failure(rw("config", "push", *args, "--port", sim.port), says)
    f = tmp_path / "c.json"
    f.write_text('{"schema": 1, "steps": [{"kind": "jog", "s": 60}]}')
    one_line_failure(rw("config", "push", "--file", str(f), "--port", sim.port), "steps[0].kind")
    f.write_text('{"schema": 1, "steps": [')
    one_line_failure(rw("config", "push", "--file", str(f), "--port", sim.port), "not valid JSON")
    f.write_text('{"schema": 1, "steps": [{"kind": "run", "s": 60}]}')
    one_line_failure(rw("config", "push", "--file", str(f), "--warn", "10", "--port", sim.port),
                     "--warn does not apply to --file")
    assert files(sim) == before
    # --name names sprint and free workouts too.
    assert rw("config", "push", "--free", "--name", "Long run", "--port", sim.port).returncode == 0
    assert json.loads(mp(sim, "fs", "cat", ":config.json"))["name"] == "Long run"


def test_wrong_ports(tmp_path: Path) -> None:
    one_line_failure(rw("config", "show", "--port", str(tmp_path / "nothing")), "does not exist")
    # Something that exists but is no serial port: a file, a directory, a device that is no tty.
    (tmp_path / "notes.txt").write_text("x")
    for other, what in ((tmp_path / "notes.txt", "it is a file, not a serial port"),
                        (tmp_path, "it is a directory, not a serial port"),
                        (Path(os.devnull), "it is not a serial port")):
        one_line_failure(rw("config", "push", "4:1", "--port", str(other)), "cannot open %s: %s" % (other, what))
    assert (tmp_path / "notes.txt").read_text() == "x"
    one_line_failure(rw("logs", "pull", "--port", "auto", "--db", str(tmp_path / "s.sqlite")),
                     "no runwalk band found")
    # A serial port where nothing answers.
    master, slave = pty.openpty()
    try:
        t0 = time.monotonic()
        one_line_failure(rw("config", "show", "--port", os.ttyname(slave)), "no MicroPython band answers")
        assert time.monotonic() - t0 < 15
    finally:
        os.close(master)
        os.close(slave)
    assert not (tmp_path / "s.sqlite").exists()


def test_a_band_another_program_holds_is_named_busy(sim: SimBand) -> None:
    import serial

    other = serial.serial_for_url(sim.port, do_not_open=True, exclusive=True)  # as mpremote or a terminal holds it
    other.open()
    try:
        one_line_failure(rw("config", "push", "4:1", "--port", sim.port), "another program has it open")
    finally:
        other.close()
    assert rw("config", "show", "--port", sim.port).returncode == 0  # free again: it works


def test_full_flash_keeps_the_old_config_and_firmware(tmp_path: Path) -> None:
    sim = new_band(tmp_path, flash_size="256k")
    everything = ("/", "/logs/", "/lib/", "/lib/runwalk/")
    try:
        seed(sim.port, 3)
        before = files(sim, everything)
        # Fill the flash to the last byte: big writes, then ever smaller ones (littlefs keeps small
        # files inline in its directory blocks).
        mp(sim, "exec", "n=0\nfor size in (4096,512,64,8,1):\n for k in range(3):\n  f=open('/fill%d'%n,'wb')\n"
                       "  n+=1\n  try:\n   while True:\n    f.write(bytes(size))\n    f.flush()\n"
                       "  except OSError:\n   pass\n  try:\n   f.close()\n  except OSError:\n   pass")
        # Each says so in one line, after the warning every connect to a full band gives.
        for r, says in ((rw("config", "push", "4:1", "--port", sim.port), "flash is full"),
                        (rw("deploy", "--port", sim.port), "flash is full; nothing was deployed")):
            assert r.returncode != 0
            warning, error = r.stderr.strip().splitlines()
            assert warning.startswith("warning: the band's flash is full") and "logs pull" in warning, r.stderr
            assert error.startswith("runwalk: ") and says in error, r.stderr
        after = {p: h for p, h in files(sim, everything).items() if not p.startswith("/fill")}
        assert after == before
        # Pulling needs no room: the sessions are stored and marked pulled, for the band to free.
        r = rw("logs", "pull", "--port", sim.port, "--db", str(tmp_path / "s.sqlite"))
        assert r.returncode == 0 and "Pulled 3 new sessions" in r.stdout, r.stderr
        assert sorted(p for p in files(sim) if p.startswith("/logs/0")) == [
            "/logs/%06d.rwp" % i for i in (1, 2, 3)]
    finally:
        sim.stop()


# -- logs ------------------------------------------------------------------------------


def test_pull_incremental_verified_marked_then_deleted(sim: SimBand, tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite")
    assert rw("config", "push", "30s:30s", "--repeats", "2", "--warmup", "30s", "--cooldown", "30s",
              "--port", sim.port).returncode == 0
    run_session(sim, pause=True)
    run_session(sim)
    band = files(sim)
    logs = {p: h for p, h in band.items() if p.endswith(".rwl")}
    assert len(logs) == 2
    r = rw("logs", "pull", "--port", sim.port, "--db", db)
    assert r.returncode == 0, r.stderr
    assert "Pulled 2 new sessions" in r.stdout
    rows = sqlite3.connect(db).execute("SELECT band_file, sha256, raw FROM sessions ORDER BY seq").fetchall()
    assert {"/logs/" + f: h for f, h, _ in rows} == logs
    assert all(hashlib.sha256(raw).hexdigest() == h for _, h, raw in rows)
    # Marked pulled on the band: renamed, not rewritten.
    band2 = files(sim)
    assert {p.replace(".rwp", ".rwl"): h for p, h in band2.items() if p.endswith(".rwp")} == logs
    # Nothing new: nothing pulled; a third session: only it.
    assert "Pulled 0 new sessions" in rw("logs", "pull", "--port", sim.port, "--db", db).stdout
    run_session(sim)
    r = rw("logs", "pull", "--delete", "--port", sim.port, "--db", db)
    assert "Pulled 1 new session " in r.stdout
    assert "Removed 3 stored sessions from the band." in r.stdout  # the new one and the two pulled before
    assert not [p for p in files(sim) if p.startswith("/logs/0")]
    # What the runner sees.
    r = rw("logs", "list", "--db", db)
    assert r.stdout.count("Run-walk 30s:30s") == 3 and r.stdout.count("completed") == 3
    r = rw("logs", "show", "1", "--db", db)
    assert "pauses:    1" in r.stdout and "status:    completed" in r.stdout
    # Its FIT export has one lap per segment, in the band's time.
    out = tmp_path / "s.fit"
    assert rw("logs", "export", "1", "-o", str(out), "--db", db).returncode == 0
    with fitdecode.FitReader(io.BytesIO(out.read_bytes())) as reader:
        laps = [f for f in reader if isinstance(f, fitdecode.FitDataMessage) and f.name == "lap"]
    assert [lap.get_value("intensity") for lap in laps] == ["warmup", "active", "rest", "active", "rest",
                                                            "cooldown"]
    started = laps[0].get_value("start_time")
    assert abs(started.timestamp() - time.time()) < 600  # the band's clock was set on connect
    clock = sim.events("clock")
    assert clock and abs(clock[0]["unix_s"] - time.time()) < 600
    assert rw("logs", "plot", "1", "-o", str(tmp_path / "s.png"), "--db", db).returncode == 0


def test_unplugged_mid_pull_then_resumed(sim: SimBand, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    seed(sim.port, 80)
    band = {p: h for p, h in files(sim).items() if p.endswith(".rwl")}
    assert len(band) == 80
    proc = subprocess.Popen([RUNWALK, "logs", "pull", "--port", sim.port, "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:  # cut the cable once some sessions are stored
        assert time.monotonic() < deadline and proc.poll() is None
        try:
            if db.exists() and sqlite3.connect(db).execute("SELECT COUNT(*) FROM sessions").fetchone()[0] >= 3:
                break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.01)
    sim.power_cut()  # the cable, pulled
    out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "lost the band" in lines[0] and "run the pull again" in lines[0], err
    rows = sqlite3.connect(db).execute("SELECT band_file, sha256 FROM sessions").fetchall()
    assert 3 <= len(rows) < 80
    assert all(band["/logs/" + f] == h for f, h in rows)  # only whole, verified sessions
    # Plugged back in: the pull goes on and gets the rest; nothing twice.
    sim.trace.unlink()  # a new trace for the band's new life
    sim.start()
    assert set(p for p in files(sim) if p.startswith("/logs/0")) == set(band)  # nothing marked yet
    r = rw("logs", "pull", "--port", sim.port, "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "Pulled %d new sessions" % (80 - len(rows)) in r.stdout
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 80
    assert all(p.endswith(".rwp") for p in files(sim) if p.startswith("/logs/0"))


def test_pull_ends_a_session_in_progress_only_after_saying_so(sim: SimBand, tmp_path: Path) -> None:
    n = len(sim.events())
    sim.press("click")  # the default 50-minute workout: still running when the laptop connects
    sim.wait_event("segment", since=n, index=1)
    r = rw("logs", "pull", "--port", sim.port, "--db", str(tmp_path / "s.sqlite"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.index("a session in progress is ended and saved") < r.stdout.index("Pulled 1 new session")
    end = sim.wait_event("session", since=n, what="end")
    said = "The band was recording session %d: it is ended and saved (this pull stores it)." % sim.events(
        "session", n)[0]["seq"]
    assert r.stdout.index(said) < r.stdout.index("Pulled 1 new session")  # the runner learns which one
    assert end["reason"] == "host" and end["completed"] is False
    r = rw("logs", "show", "last", "--db", str(tmp_path / "s.sqlite"))
    assert "ended by the USB connection" in r.stdout
    assert sim.wait_event("ready", since=n)  # and the app runs again


def test_a_directory_named_like_a_log_is_not_pulled(sim: SimBand, tmp_path: Path) -> None:
    mp(sim, "exec", "import os\nos.mkdir('/logs/000050.rwl')")
    r = rw("logs", "pull", "--port", sim.port, "--db", str(tmp_path / "s.sqlite"))
    assert r.returncode == 0 and "Pulled 0 new sessions" in r.stdout, r.stderr
    r = rw("status", "--port", sim.port)  # nor counted as a session waiting
    assert r.returncode == 0 and "none waiting to be pulled" in r.stdout, r.stdout + r.stderr


def test_damaged_log_stored_as_far_as_readable(sim: SimBand, tmp_path: Path) -> None:
    from hostlogs import paused_log

    data = bytearray(paused_log(seq=7))
    data[40] ^= 0x55  # inside the header
    cut = tmp_path / "000007.rwl"
    cut.write_bytes(bytes(data[:-9]))
    mp(sim, "fs", "cp", str(cut), ":logs/000007.rwl")
    db = str(tmp_path / "s.sqlite")
    r = rw("logs", "pull", "--port", sim.port, "--db", db)
    assert r.returncode == 0, r.stderr
    assert "warning:" in r.stderr and "damaged" in r.stderr
    r = rw("logs", "show", "last", "--db", db)
    assert "damage:" in r.stdout and r.returncode == 0


# -- deploy ----------------------------------------------------------------------------


def test_a_bare_board_is_told_to_deploy_first(sim: SimBand, tmp_path: Path) -> None:
    # A new MicroPython board: nothing of runwalk on it. It runs no workout at all, and its clock
    # cannot be set: `config show` claimed the built-in workout, every command warned about the clock.
    mp(sim, "exec", "import os\nos.remove('/main.py')\nos.remove('/lib/runwalk_board.py')")
    r = rw("config", "show", "--port", sim.port)
    one_line_failure(r, "has no current runwalk firmware (no runwalk_board module): put it on with `runwalk deploy`")
    assert "built-in workout" not in r.stdout and "clock" not in r.stderr
    r = rw("logs", "pull", "--port", sim.port, "--db", str(tmp_path / "s.sqlite"))
    assert r.returncode == 0 and r.stderr.strip().splitlines() == [
        "warning: the band on %s has no current runwalk firmware (no runwalk_board module): put it on with "
        "`runwalk deploy`" % sim.port]
    r = rw("deploy", "--port", sim.port)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    r = rw("config", "show", "--port", sim.port)
    assert r.returncode == 0 and r.stderr == "" and "Total time" in r.stdout


def test_deploy_keeps_config_and_logs(sim: SimBand, tmp_path: Path) -> None:
    assert rw("config", "push", "30s:30s", "--repeats", "1", "--warmup", "30s", "--cooldown", "30s",
              "--port", sim.port).returncode == 0
    run_session(sim)
    # A band from before the board module's rename still has /lib/board.py: deploy removes it.
    mp(sim, "exec", "f=open('/lib/board.py','w'); f.write('# old'); f.close()")
    before = files(sim)
    r = rw("deploy", "--port", sim.port)
    assert r.returncode == 0, r.stderr
    assert "board sim" in r.stdout and "all verified" in r.stdout
    # The board module is compiled too (as .py the band would compile it into its heap), and no
    # .py of it is left to shadow the .mpy.
    lib = sorted(x.split()[-1] for x in mp(sim, "fs", "ls", ":lib").splitlines()[1:])
    assert lib == ["runwalk/", "runwalk_board.mpy"]
    after = files(sim)
    for p in ("/config.json", *[x for x in before if x.startswith("/logs/")]):
        assert after[p] == before[p]
    listing = mp(sim, "fs", "ls", ":lib/runwalk")
    assert ".mpy" in listing and ".py" not in listing.replace(".mpy", "")
    # The band runs the deployed firmware: a session still works and is pulled.
    restart(sim)
    run_session(sim)
    r = rw("logs", "pull", "--port", sim.port, "--db", str(tmp_path / "s.sqlite"))
    assert "Pulled 2 new sessions" in r.stdout
    # Nothing changed since: a second deploy copies nothing.
    assert "to %s: 0 files copied" % sim.port in rw("deploy", "--port", sim.port).stdout
    # --source switches back to source: the .mpy goes, or it would run instead of nothing new.
    assert rw("deploy", "--source", "--port", sim.port).returncode == 0
    lib = mp(sim, "fs", "ls", ":lib")
    assert "runwalk_board.py" in lib and "runwalk_board.mpy" not in lib
    assert rw("config", "show", "--port", sim.port).returncode == 0
    one_line_failure(rw("deploy", "--board", "toaster", "--port", sim.port), "no board 'toaster'")
    # Another board's module would leave the band unable to start: refused, nothing copied.
    before = files(sim, ("/", "/lib/", "/lib/runwalk/"))
    one_line_failure(rw("deploy", "--board", "pico", "--port", sim.port), "this band is a sim")
    assert files(sim, ("/", "/lib/", "/lib/runwalk/")) == before


def test_demo_finishes_the_main_job_in_under_a_minute(tmp_path: Path) -> None:
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "host_tools.demo", str(tmp_path / "demo")], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert time.monotonic() - t0 < 60
    out = tmp_path / "demo"
    assert "completed" in r.stdout and "pauses:    1" in r.stdout
    # (When the queued first cue is felt is checked on a scripted run, where virtual time is
    # exact: tests/test_sim_user.py. Here button presses are timed in real time at 60x, and a
    # loaded machine moves them.)
    assert "virtual time at 60x" in r.stdout
    assert json.loads((out / "session.json").read_text())["completed"] is True
    assert (out / "session.png").read_bytes()[:4] == b"\x89PNG"
    with fitdecode.FitReader(str(out / "session.fit")) as reader:
        laps = [f for f in reader if isinstance(f, fitdecode.FitDataMessage) and f.name == "lap"]
    assert len(laps) == 8
