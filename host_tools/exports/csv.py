"""`logs export --format csv`: one row per segment, for a spreadsheet."""

from __future__ import annotations

import csv
import io

from host_tools.store.model import Session

COLUMNS = ("session", "started", "index", "kind", "label", "start_s", "end_s", "elapsed_s", "paused_s",
           "moving_s", "planned_s", "skipped")


def render(s: Session) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    # Local time, as `logs list` shows it, in the one form spreadsheets (Excel, LibreOffice, Google
    # Sheets) all read as a date and time; the JSON export keeps the exact instant with its offset.
    started = s.started.astimezone().strftime("%Y-%m-%d %H:%M:%S") if s.started else ""
    for g in s.segments:
        paused = s.paused_ms(g.start_ms, g.end_ms)
        w.writerow([
            s.id, started, g.index, g.kind, g.label or "",
            "%.3f" % (g.start_ms / 1000), "%.3f" % (g.end_ms / 1000), "%.3f" % (g.elapsed_ms / 1000),
            "%.3f" % (paused / 1000), "%.3f" % ((g.elapsed_ms - paused) / 1000),
            "" if g.planned_ms is None else "%d" % (g.planned_ms // 1000),
            "yes" if g.cut_short else "no",
        ])
    return out.getvalue().encode()
