"""`logs export --format csv`: the start time is the one `logs list` shows, in a form spreadsheets read.

Before: `started` was "2026-12-01T19:43:51+00:00": UTC, so a runner in New York saw their 14:43
run at 19:43 (and on the next day for an evening run), and as text, which no spreadsheet (Excel,
LibreOffice, Google Sheets) reads as a date, so it could not be sorted or summed by date.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hostlogs import make_log
from simtools import rw

from host_tools.store import db

T = 1_700_000_000  # 2023-11-14 22:13:20 UTC: 17:13:20 in New York, 07:13:20 the next day in Tokyo


def test_csv_start_is_local_time_a_spreadsheet_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        st.add("000001.rwl", make_log(wall_s=T))
    for tz, local in (("America/New_York", "2023-11-14 17:13:20"), ("Asia/Tokyo", "2023-11-15 07:13:20"),
                      ("UTC", "2023-11-14 22:13:20")):
        monkeypatch.setenv("TZ", tz)  # (rw runs runwalk in this environment)
        r = rw("logs", "export", "1", "--format", "csv", "-o", "-", "--db", path)
        listed = rw("logs", "list", "--db", path).stdout
        assert r.returncode == 0, r.stderr
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        assert {row["started"] for row in rows} == {local}, (tz, rows[0])
        assert local[:16] in listed  # the date and time `logs list` gives it
