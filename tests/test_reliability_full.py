"""Full flash: the band never corrupts anything. It frees the oldest sessions the
host has already stored, or, with none to free, refuses to start with the FULL
cue; and the host says so at its next connect."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from runwalk import logfmt, logread
from simtools import RUNWALK, SimBand, click, long_press, run_headless

from host_tools.band.room import full_warning
from host_tools.sim import flash
from host_tools.store import db
from torture.campaign import sessions

# 600 one-second segments: a session needs 14 KB of room (header + 16 bytes a segment
# + littlefs reserve) and writes 3 KB, so a flash with 48 KB beside the firmware fills in
# a few sessions.
WORKOUT = {"schema": 1, "name": "Many 1:1", "warn_s": 0,
           "steps": [{"repeat": 300, "steps": [{"kind": "run", "s": 1}, {"kind": "walk", "s": 1}]}]}


_BOOTED: dict[bool, int] = {}


def booted_kb(tmp_path: Path, mpy: bool) -> int:
    """KB of flash a band takes once it has booted (firmware, config, its good copy, /logs):
    the flash sizes below are that plus room, so they follow the firmware as it grows."""
    if mpy not in _BOOTED:
        image = tmp_path / ("booted-mpy.img" if mpy else "booted.img")
        r = run_headless(image, [], extra=("--flash-size", "1M", *(("--mpy",) if mpy else ())))
        assert r.returncode == 0, r.stderr
        _BOOTED[mpy] = flash.open_image(image).used_block_count * flash.BLOCK_SIZE // 1024
    return _BOOTED[mpy]


def session_on_battery(band: SimBand, n: int) -> list[dict]:
    """Click, let the workout run out, until idle. The trace of that power-on."""
    script = band.tmp / "click.txt"
    script.write_text("0 down\n120 up\n")
    trace = band.tmp / ("run%d.jsonl" % n)
    r = subprocess.run([RUNWALK, "sim", "--flash", str(band.image), "--battery", "--script", str(script),
                        "--until-idle", "--trace", str(trace), "-q", "--no-keys"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return [json.loads(x) for x in trace.read_text().splitlines()]


def test_full_flash_frees_pulled_sessions_or_refuses_with_the_full_cue(tmp_path: Path) -> None:
    band = SimBand(tmp_path, speed=20, flash_size="%dk" % (booted_kb(tmp_path, False) + 48)).start()
    (tmp_path / "many.json").write_text(json.dumps(WORKOUT))
    r = band.runwalk("config", "push", "--file", str(tmp_path / "many.json"))
    assert r.returncode == 0, r.stderr
    band.stop()
    config_before = band.files()["config.json"]

    # Sessions until the band says it is full (none of them pulled: nothing to free).
    recorded = []
    for n in range(10):
        ev = session_on_battery(band, n)
        if any(e["ev"] == "full" for e in ev):
            assert not any(e["ev"] == "session" and e["what"] == "start" for e in ev)
            assert any(e["ev"] == "cue" and e["name"] == "full" for e in ev)
            break
        assert [e["what"] for e in ev if e["ev"] == "session"] == ["start", "end"]
        recorded.append(n)
    else:
        raise AssertionError("the flash never filled")
    assert len(recorded) >= 2
    files = band.files()
    logs = sessions(files)
    assert sorted(logs) == list(range(1, len(recorded) + 1))
    for _seq, (ext, data) in logs.items():
        d = logread.decode(data)
        assert ext == "rwl" and d["damage"] == [] and d["end"] == logfmt.END_COMPLETED
    assert files["config.json"] == config_before and "config.err" not in files

    # The host says so at its next connect; the pull stores them and marks them pulled.
    band.start()
    store = tmp_path / "sessions.sqlite"
    pull = band.runwalk("logs", "pull", "--db", str(store))
    band.stop()
    assert pull.returncode == 0, pull.stderr
    assert "flash is full" in pull.stderr and "FULL cue" in pull.stderr, pull.stderr
    assert all(ext == "rwp" for ext, _ in sessions(band.files()).values())

    # Now the band frees the oldest pulled session(s) by itself and records the next one.
    ev = session_on_battery(band, 99)
    assert not any(e["ev"] == "full" for e in ev)
    after = sessions(band.files())
    new = max(after)
    assert new == len(recorded) + 1 and after[new][0] == "rwl"
    freed = sorted(set(logs) - set(after))
    assert freed and freed == sorted(logs)[: len(freed)]  # oldest first
    for seq in set(logs) & set(after):
        assert after[seq][1] == logs[seq][1]  # the others untouched
    with db.Store(store) as s:
        kept = {r.seq: r.raw for r in s.all()}
    for seq in freed:
        assert kept[seq] == logs[seq][1]  # freed on the band only because the host has it

    # And a connect with room to spare says nothing about it.
    band.start()
    show = band.runwalk("config", "show")
    band.stop()
    assert show.returncode == 0 and "flash is full" not in show.stderr


def test_full_warning_counts_what_the_band_can_free() -> None:
    need = 512 + 16 * 600 + 4096
    assert full_warning(need, 0, 0, 600) is None
    assert full_warning(need - 4096, 4096, 0, 600) is None  # the band frees pulled ones itself
    msg = full_warning(4096, 0, 3, 600)
    assert msg is not None and "3 unpulled sessions" in msg and "runwalk logs pull" in msg
    msg = full_warning(4096, 0, 0, 600)
    assert msg is not None and "its sessions cannot make room" in msg and "mpremote fs tree -s :" in msg


def _short_sessions(n: int) -> list[tuple[int, str]]:
    """n sessions, 20 s apart: a click, then a long press ends each one."""
    return [e for i in range(n) for e in (*click(1000 + i * 20000), *long_press(4000 + i * 20000))]


def _logs(image: Path) -> dict[int, tuple[str, bytes]]:
    return sessions({"logs/" + n: flash.read_file(image, "logs/" + n) for n in flash.list_dir(image, "/logs")})


def test_a_nearly_full_flash_records_whole_sessions_then_refuses_never_a_session_without_its_log(
        tmp_path: Path) -> None:
    # 56 KB beside the firmware (as .mpy) fills after a few sessions. littlefs's free count
    # then wraps below zero (MicroPython reports 2**32 - 1 free blocks), which the band
    # must read as no room, not as plenty.
    image = tmp_path / "band.img"
    size = "%dk" % (booted_kb(tmp_path, True) + 56)
    r = run_headless(image, _short_sessions(12), extra=("--flash-size", size, "--mpy", "--battery"))
    assert r.returncode == 0, r.stderr
    assert r.of("log_error") == []  # no session ran without its log
    starts = [e for e in r.of("session") if e["what"] == "start"]
    refused = r.of("full")
    assert len(starts) + len(refused) == 12 and starts and refused
    assert refused[0]["t"] > starts[-1]["t"]  # recorded while there was room, refused after
    assert len([e for e in r.of("cue") if e["name"] == "full"]) == len(refused)
    logs = _logs(image)
    assert len(logs) == len(starts)
    for _seq, (_ext, data) in logs.items():  # each one whole: header, segments, the end
        d = logread.decode(data)
        assert d["header"] and d["damage"] == [] and d["end"] == logfmt.END_STOPPED


def test_a_flash_too_full_for_its_logs_folder_still_boots_and_says_full(tmp_path: Path) -> None:
    # The firmware as .mpy and no room beside it: none for /logs, nor for config.good.json.
    image = tmp_path / "band.img"
    size = "%dk" % (booted_kb(tmp_path, True) - 8)
    r = run_headless(image, click(1000), extra=("--flash-size", size, "--mpy"))
    assert r.returncode == 0, r.stderr
    assert [e["ev"] for e in r.events if e["ev"] in ("ready", "full")] == ["ready", "full"]
    assert [e for e in r.of("cue") if e["name"] == "full"]
    assert not [n for n in flash.list_dir(image, "/") if n.endswith(".tmp")]  # no half file taking room
