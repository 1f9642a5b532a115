"""When a session the band recorded without a clock took place, from its neighbours.

A band whose clock was lost (a Pico's hard reset or DORMANT, the nRF's System OFF after a
week idle, a battery swap) records sessions with `"start": null` in their header
(docs/log-format.md). The sessions of the same band numbered just before and after it
bound when it can have happened: after the one before ended, before the one after began
(or before it was pulled). When that window is short the session is dated inside it;
otherwise it cannot be, and the caller says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from host_tools.store import db

MAX_WINDOW = dt.timedelta(hours=12)  # a wider window would put the session on a day it may not have been


@dataclass(frozen=True)
class Guess:
    start: dt.datetime | None  # None: the neighbours do not date it
    why: str  # one line: how it was dated, or why it could not be


def _fmt(t: dt.datetime) -> str:
    return t.astimezone().strftime("%Y-%m-%d %H:%M")


def from_neighbours(store: db.Store | list[db.Stored], r: db.Stored) -> Guess | None:
    """None if the session has its own start time. `store`: the store, or all its rows
    when the caller already has them (`logs list` dates many sessions at once)."""
    s = r.session()
    if s.started is not None:
        return None
    before = after = None
    for o in store if isinstance(store, list) else store.all():
        if o.uid != r.uid or o.seq == r.seq:
            continue
        os_ = o.session()
        if os_.started is None:
            continue
        if o.seq < r.seq and (before is None or o.seq > before[0]):
            before = (o.seq, os_.started + dt.timedelta(milliseconds=os_.end_ms))
        if o.seq > r.seq and (after is None or o.seq < after[0]):
            after = (o.seq, os_.started)
    pulled = dt.datetime.fromisoformat(r.pulled_at)
    length = dt.timedelta(milliseconds=s.end_ms)
    latest = min(after[1], pulled) if after else pulled
    latest -= length  # it ended before the next began, and before it was pulled
    if before is None:
        return Guess(None, "no earlier session of this band has a start time to date it from")
    earliest = before[1]
    if latest < earliest:
        return Guess(None, "its neighbours' times do not leave room for it (the band's numbers restarted?)")
    if latest - earliest > MAX_WINDOW:
        return Guess(None, "its neighbours leave %s to %s, too wide to date it" % (_fmt(earliest), _fmt(latest)))
    mid = earliest + (latest - earliest) / 2
    return Guess(mid.replace(microsecond=0),
                 "dated from its neighbours: it started between %s and %s" % (_fmt(earliest), _fmt(latest)))


def run_order(rows: list[db.Stored]) -> list[db.Stored]:
    """The sessions in the order they were run, as `runwalk logs list` shows them: one dated from
    its neighbours among them, not after every dated one; one no date can be given last, as the
    store keeps them."""
    guesses = {r.number: from_neighbours(rows, r) for r in rows}

    def when_run(r: db.Stored) -> tuple[bool, float, int]:
        g = guesses[r.number]
        start = r.session().started if g is None else g.start
        return (start is None, start.timestamp() if start is not None else 0.0, r.number)

    return sorted(rows, key=when_run)


def find(store: db.Store, ref: str) -> db.Stored:
    """A session by its number in `logs list`, its id, or `last`: the latest run, the last row of
    `logs list` (not the session stored last: a second band's older runs may be pulled after)."""
    if ref.strip().lower() == "last" and store.found:
        rows = store.all()
        if rows:
            return run_order(rows)[-1]
    return store.find(ref)
