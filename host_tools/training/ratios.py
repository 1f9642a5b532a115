"""Galloway's run-walk ratio chart and heat table, as data, looked up by pace.

Sources: jeffgalloway.com (current chart) and The Run Walk Run Method; the
figures are in /work/shared/walk-run-method.md. Every answer carries the row it
came from, so the runner can check it against the chart.

Chart rows: a row covers paces from its own pace up to (not including) the
next row's pace; the last row ends at 20:00 inclusive. Paces are compared in
whole seconds per mile, as they are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Ratio:
    run_s: int  # 0: walk only
    walk_s: int

    def text(self) -> str:
        if self.run_s == 0:
            return "walk"
        return fmt_s(self.run_s) + ":" + fmt_s(self.walk_s)


def fmt_s(s: int) -> str:
    """Seconds in one style, as `runwalk config push` reads them: 30s, 1m30s, 4m, 2m15s."""
    if s < 60:
        return "%ds" % s
    m, r = divmod(s, 60)
    return "%dm%ds" % (m, r) if r else "%dm" % m


@dataclass(frozen=True)
class ChartRow:
    lo_s: int  # first pace (s per mile) of this row
    hi_s: int  # first pace of the next row (the last row: its last pace + 1)
    label: str  # the row as the chart prints it
    options: tuple[Ratio, ...]  # the chart's ratios, first = the one we recommend
    also: str = ""

    def covers(self, pace_s: int) -> bool:
        return self.lo_s <= pace_s < self.hi_s


def _r(*pairs: tuple[int, int]) -> tuple[Ratio, ...]:
    return tuple(Ratio(a, b) for a, b in pairs)


def _m(m: int, s: int = 0) -> int:
    return 60 * m + s


# Galloway's current chart (run / walk by pace per mile).
CHART: tuple[ChartRow, ...] = (
    ChartRow(_m(7), _m(7, 30), "7:00", _r((360, 30)), "or run a mile, walk 40 s"),
    ChartRow(_m(7, 30), _m(8), "7:30", _r((300, 30))),
    ChartRow(_m(8), _m(8, 30), "8:00", _r((240, 30), (120, 15))),
    ChartRow(_m(8, 30), _m(9), "8:30", _r((180, 30), (120, 20))),
    ChartRow(_m(9), _m(9, 30), "9:00", _r((120, 30), (80, 20))),
    ChartRow(_m(9, 30), _m(10, 45), "9:30-10:45", _r((90, 30), (60, 20), (45, 15), (60, 30), (40, 20))),
    ChartRow(_m(10, 45), _m(12, 15), "10:45-12:15", _r((60, 30), (40, 20), (30, 15), (30, 30), (20, 20))),
    ChartRow(_m(12, 15), _m(14, 30), "12:15-14:30", _r((30, 30), (20, 20), (15, 15))),
    ChartRow(_m(14, 30), _m(15, 45), "14:30-15:45", _r((15, 30))),
    ChartRow(_m(15, 45), _m(17), "15:45-17:00", _r((10, 30))),
    ChartRow(_m(17), _m(18, 30), "17:00-18:30", _r((8, 30), (5, 25), (10, 30))),
    ChartRow(_m(18, 30), _m(20) + 1, "18:30-20:00", _r((5, 30), (5, 25), (4, 30))),
)

# Heat table: columns are temperatures in F (the first means "below 55").
HEAT_COLUMNS: tuple[int, ...] = (55, 65, 70, 75, 80, 85)
HEAT_COLUMN_LABELS: tuple[str, ...] = ("<55", "65", "70", "75", "80", "85")
WALK = Ratio(0, 0)


@dataclass(frozen=True)
class HeatRow:
    lo_s: int
    hi_s: int
    label: str
    by_column: tuple[Ratio, ...]

    def covers(self, pace_s: int) -> bool:
        return self.lo_s <= pace_s < self.hi_s


HEAT: tuple[HeatRow, ...] = (
    HeatRow(_m(9), _m(10), "9 min", _r((120, 30), (105, 30), (90, 30), (80, 30), (70, 30), (60, 30))),
    HeatRow(_m(10), _m(11), "10 min", _r((90, 30), (80, 30), (70, 30), (60, 30), (45, 30), (30, 30))),
    HeatRow(_m(11), _m(13), "11-12 min", _r((60, 30), (50, 30), (40, 30), (30, 30), (20, 20), (15, 20))),
    HeatRow(_m(13), _m(15), "13-14 min", _r((30, 30), (25, 30), (20, 30), (15, 20), (15, 25), (15, 30))),
    HeatRow(_m(15), _m(17), "15-16 min", _r((15, 30), (10, 30), (7, 30), (5, 30)) + (WALK, WALK)),
)


@dataclass(frozen=True)
class Advice:
    ratio: Ratio  # the recommended ratio
    source: str  # which table and row it came from, e.g. "chart row 9:30-10:45"
    options: tuple[Ratio, ...]  # every ratio that row offers
    note: str = ""  # set when the pace or temperature is outside the table


def pace_seconds(pace_ms: int) -> int:
    return (pace_ms + 500) // 1000


def _pick(rows, pace_s: int):
    """The row covering pace_s; outside the table, its nearest end and a note."""
    for row in rows:
        if row.covers(pace_s):
            return row, ""
    if pace_s < rows[0].lo_s:
        return rows[0], "faster than the table's fastest row"
    return rows[-1], "slower than the table's slowest row"


def chart_row(pace_ms: int) -> tuple[ChartRow, str]:
    return _pick(CHART, pace_seconds(pace_ms))


def heat_column(temp_f: float) -> tuple[int, str]:
    """The column for a temperature: the first at or above it (the safer side)."""
    if temp_f < HEAT_COLUMNS[0]:
        return 0, ""
    for i, col in enumerate(HEAT_COLUMNS[1:], start=1):
        if temp_f <= col:
            return i, ""
    return len(HEAT_COLUMNS) - 1, "hotter than the table's hottest column"


def advise(pace_ms: int, temp_f: float | None = None) -> Advice:
    """The run-walk ratio for a pace per mile: the current chart, or the heat table with temp_f."""
    if temp_f is None:
        row, note = chart_row(pace_ms)
        extra = "; " + row.also if row.also else ""
        return Advice(row.options[0], "chart row " + row.label + extra, row.options, note)
    hrow, note = _pick(HEAT, pace_seconds(pace_ms))
    col, cnote = heat_column(temp_f)
    notes = "; ".join(n for n in (note, cnote) if n)
    ratio = hrow.by_column[col]
    src = "heat table row " + hrow.label + ", column " + HEAT_COLUMN_LABELS[col] + " F"
    return Advice(ratio, src, (ratio,), notes)


LONGEST_BARE_WALK_MIN = 10  # a walk this long, in a ratio typed in bare minutes, is seconds meant


def typed(text: str) -> tuple[int, int]:
    """(run_s, walk_s) from a ratio the runner typed (host_tools.parse.ratio), refusing the one slip that
    parses: Galloway's chart writes seconds, 30/30 or 90/30, and `30:30` or `90:30` read as minutes made
    a workout of 8 or 16 hours, pushed without a word (`4:30` for "4 min / 30 s" made 4 min / 30 min)."""
    from host_tools.errors import RunwalkError
    from host_tools.parse import ratio

    run_s, walk_s = ratio(text)
    parts = text.split(":")
    bare = all(re.fullmatch(r"\s*(\d+(\.\d+)?|\.\d+)\s*", p) for p in parts)
    if bare and walk_s >= LONGEST_BARE_WALK_MIN * 60:
        run, walk = (p.strip() for p in parts)
        mixed = "%sm:%ss (minutes running, seconds walking), " % (run, walk) if run_s < walk_s else ""
        raise RunwalkError("ratio %r would be %s minutes running and %s minutes walking: write it with units, "
                           "e.g. %s%ss:%ss (seconds) or %sm:%sm (minutes)" % (text, run, walk, mixed, run, walk,
                                                                               run, walk))
    return run_s, walk_s
