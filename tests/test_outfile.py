"""Output files as the runner means them: `logs export -o`, `logs plot -o`, `plan export -o`
(host_tools/outfile.py), and the export details importers rely on."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import fitdecode
import pytest
from hostlogs import SHORT, click, double_click, long_press, make_log

from host_tools import outfile
from host_tools.errors import RunwalkError
from host_tools.exports import csv as export_csv
from host_tools.store import db, model
from host_tools.training import intervals_icu, specials, workouts

RUNWALK = str(Path(sys.executable).parent / "runwalk")


def rw(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=120, **kw)  # type: ignore


@pytest.fixture()
def store(tmp_path: Path) -> str:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as s:
        s.add("000001.rwl", make_log())
    return path


def one_error(r: subprocess.CompletedProcess[str], says: str) -> None:
    assert r.returncode == 1, r
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("runwalk: ") and says in r.stderr, r.stderr
    assert "Wrote" not in r.stdout


def test_a_new_file_and_a_regular_file_replaced_whole(tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    assert outfile.write(str(new), b"one")
    umask = os.umask(0)
    os.umask(umask)
    assert new.read_bytes() == b"one" and stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    new.chmod(0o640)
    inode = new.stat().st_ino
    assert outfile.write(str(new), b"two")
    assert new.read_bytes() == b"two" and stat.S_IMODE(new.stat().st_mode) == 0o640  # its mode kept
    assert new.stat().st_ino != inode  # a new file renamed over it: a reader of the old one had it whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.csv"]  # no temporary file left


def test_through_a_symlink_to_its_target(tmp_path: Path, store: str) -> None:
    target = tmp_path / "real" / "run.csv"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    r = rw("logs", "export", "1", "-o", str(link), "--db", store)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and target.read_text().startswith("session,")
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "real" / "made.json")
    assert rw("logs", "export", "1", "-o", str(dangling), "--db", store).returncode == 0
    assert dangling.is_symlink() and json.loads((tmp_path / "real" / "made.json").read_text())["completed"]


def test_straight_into_a_fifo_which_stays_a_fifo(tmp_path: Path, store: str) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = rw("logs", "export", "1", "-o", str(fifo), "--db", store)
    reader.join(30)
    assert r.returncode == 0 and r.stdout == "", r  # no "Wrote" line: it could land in the same stream
    assert got and got[0].startswith(b"session,")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_reader_that_goes_away_is_a_failed_write(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def read_a_little() -> None:
        with open(fifo, "rb") as f:
            f.read(1)

    reader = threading.Thread(target=read_a_little)
    reader.start()
    with pytest.raises(RunwalkError, match="cannot write .*pipe: its reader went away"):
        outfile.write(str(fifo), b"x" * 4_000_000)  # more than a pipe holds: the write meets the closed end
    reader.join(30)


def test_devices_are_written_not_replaced(tmp_path: Path, store: str) -> None:
    one_error(rw("logs", "export", "1", "--format", "csv", "-o", "/dev/full", "--db", store),
              "cannot write /dev/full: No space left on device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    one_error(rw("plan", "export", _workout_file(tmp_path), "--format", "fit", "-o", "/dev/full"),
              "No space left on device")
    r = rw("logs", "export", "1", "--format", "csv", "-o", "/dev/stdout", "--db", store)
    assert r.returncode == 0 and r.stdout.startswith("session,") and "Wrote" not in r.stdout, r
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert rw("logs", "export", "1", "--format", "json", "-o", "/dev/null", "--db", store).returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dev_stdout_redirected_to_a_file_appends_as_the_shell_asked(tmp_path: Path, store: str) -> None:
    out = tmp_path / "all.csv"
    out.write_text("first line\n")
    inode = out.stat().st_ino
    with open(out, "ab") as f:  # `runwalk logs export 1 --format csv -o /dev/stdout >> all.csv`
        r = subprocess.run([RUNWALK, "logs", "export", "1", "--format", "csv", "-o", "/dev/stdout", "--db", store],
                           stdout=f, stderr=subprocess.PIPE, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert text.startswith("first line\nsession,") and "Wrote" not in text
    assert out.stat().st_ino == inode  # written into, not replaced


def test_a_full_disk_for_a_picture_is_an_error(tmp_path: Path, store: str) -> None:
    link = tmp_path / "full.png"
    link.symlink_to("/dev/full")
    one_error(rw("logs", "plot", "1", "-o", str(link), "--db", store), "No space left on device")
    assert link.is_symlink()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RunwalkError, match="is a directory"):
        outfile.write(str(tmp_path), b"x")


def _workout_file(tmp: Path) -> str:
    path = tmp / "w.json"
    path.write_bytes(workouts.to_bytes(workouts.from_ratio(60, 30, repeats=2)))
    return str(path)


# -- what importers rely on ------------------------------------------------------------


def _file_ids(path: Path) -> tuple[object, object]:
    with fitdecode.FitReader(str(path)) as reader:
        fid = next(f for f in reader if isinstance(f, fitdecode.FitDataMessage) and f.name == "file_id")
    return fid.get_value("serial_number"), fid.get_value("time_created")


def test_each_workout_fit_file_of_a_plan_has_its_own_file_id(tmp_path: Path) -> None:
    cfg = workouts.from_ratio(60, 30, repeats=5)
    plan = {"schema": 1, "id": "twins", "name": "Same twice", "per_week": 2, "workouts": [cfg, cfg],
            "sessions": [{"workout": 0, "week": 1}, {"workout": 1, "week": 1}]}
    src = tmp_path / "plan.json"
    src.write_text(json.dumps(plan))
    out = tmp_path / "fit"
    r = rw("plan", "export", str(src), "--format", "fit", "-o", str(out))
    assert r.returncode == 0, r.stderr
    ids = [_file_ids(p) for p in sorted(out.iterdir())]
    assert len(ids) == 2 and ids[0] != ids[1]  # two equal workouts are still two files
    other = tmp_path / "other.fit"
    assert rw("plan", "export", _workout_file(tmp_path), "--format", "fit", "-o", str(other)).returncode == 0
    assert _file_ids(other)[0] != ids[0][0]  # another workout, another serial number


def test_csv_skipped_only_for_a_segment_cut_short() -> None:
    # Free mode: open segments that end by double-click, as designed. Nothing was skipped.
    free = model.from_log(make_log(specials.free_mode(), click(1000) + double_click(60_000) + double_click(120_000)
                                   + long_press(180_000)))
    rows = list(csv.DictReader(io.StringIO(export_csv.render(free).decode())))
    assert [g.skipped for g in free.segments][:2] == [True, True]
    assert {r["skipped"] for r in rows} == {"no"}
    # A timed segment ended early by a double click was cut short.
    cut = model.from_log(make_log(SHORT, click(1000) + double_click(90_000)))
    rows = list(csv.DictReader(io.StringIO(export_csv.render(cut).decode())))
    assert [r["skipped"] for r in rows][:3] == ["no", "yes", "no"]


def test_colliding_session_ids_are_told_apart(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as s:
        first = s.add("000001.rwl", make_log(uid="band", seq=1))
        # The band's flash was wiped: its numbers start again, with another session.
        second = s.add("000001.rwl", make_log(wall_s=1800000000, uid="band", seq=1))
        assert first.session().id == "band-000001" and second.session().id == "band-000001.2"
        assert s.find("band-000001").number == first.number
        assert s.find("band-000001.2").number == second.number
        assert s.find(str(second.number)).session().id == "band-000001.2"
    r = rw("logs", "list", "--db", path)
    assert "band-000001 " in r.stdout and "band-000001.2" in r.stdout


def test_a_damaged_header_is_not_an_unset_clock(tmp_path: Path) -> None:
    log = bytearray(make_log())
    log[8] ^= 0xFF  # inside the header record: its checksum fails, the segments still read
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as s:
        s.add("000001.rwl", bytes(log))
    r = rw("logs", "export", "1", "-o", str(tmp_path / "x.tcx"), "--db", path)
    assert r.returncode == 0
    assert "clock was not set" not in r.stderr and "header" in r.stderr and "unreadable" in r.stderr, r.stderr
    assert "(date unreadable)" in rw("logs", "list", "--db", path).stdout
    unset = tmp_path / "u.sqlite"
    with db.Store(str(unset)) as s:
        s.add("000001.rwl", make_log(wall_s=0))
    r = rw("logs", "export", "1", "-o", str(tmp_path / "y.tcx"), "--db", str(unset))
    assert "the band's clock was not set" in r.stderr


def test_intervals_icu_labels_holding_durations_keep_the_steps_duration() -> None:
    cfg = {"schema": 1, "name": "Hills", "steps": [
        {"kind": "run", "s": 240, "label": "hill 30s"}, {"kind": "walk", "s": 60, "label": "5km Z2"},
        {"kind": "run", "s": 90, "label": "ramp 1:30 lap press"}]}
    text = intervals_icu.export(cfg)
    for line in text.splitlines():
        # The first token intervals.icu reads as a duration or distance is the step's own.
        toks = line.split()
        first = next(t for t in toks if intervals_icu._seconds(t) is not None or intervals_icu._DIST.match(t))
        assert first in ("4m", "1m", "1m30s"), line
    assert intervals_icu.parse(text, "Hills")["steps"] == cfg["steps"]


def test_the_magic_mile_is_not_an_easy_step_in_intervals_icu() -> None:
    mile = [line for line in intervals_icu.export(specials.magic_mile()).splitlines() if " mile " in line]
    assert mile and "Z2" not in mile[0] and "Z5" in mile[0]


def test_standard_output_that_is_full_is_an_error(tmp_path: Path, store: str) -> None:
    with open("/dev/full", "w") as full:
        r = subprocess.run([RUNWALK, "logs", "export", "1", "--format", "csv", "-o", "-", "--db", store],
                           stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
        assert r.returncode == 1 and r.stderr == "runwalk: cannot write standard output: No space left on device\n"
        r = subprocess.run([RUNWALK, "plan", "export", _workout_file(tmp_path), "--format", "icu", "-o", "-"],
                           stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
        assert r.returncode == 1 and r.stderr == "runwalk: cannot write standard output: No space left on device\n"
