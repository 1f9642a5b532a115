"""A typed session, built from the firmware's own log decoder and the log header."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from runwalk import logfmt, logread
from runwalk import workout as wk

from host_tools import bandtext

CLOCK_NOT_SET = "the band's clock was not set"
# The dates a start time can be: a FIT file counts seconds from 1989-12-31 in 32 bits (the band
# writes none before 2023, boards' _CLOCK_VALID_S); anything else is a damaged header.
FIRST_DATE_S = 631065600
LAST_DATE_S = FIRST_DATE_S + 2**32 - 1


@dataclass(frozen=True)
class Segment:
    index: int
    kind: str  # run, walk or sprint
    label: str | None  # warmup, cooldown, ... from the workout's steps
    start_ms: int  # real time on the band's clock since the session start (pauses included)
    end_ms: int
    skipped: bool  # the runner ended it early with a double click
    planned_ms: int | None  # None for an open segment or an unknown plan

    @property
    def elapsed_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def cut_short(self) -> bool:
        """Skipped before its planned end. An open segment (free mode, the Magic Mile's mile) ends by
        double-click as designed: that skips nothing."""
        return self.skipped and self.planned_ms is not None


@dataclass(frozen=True)
class Pause:
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Event:
    t_ms: int
    ev: str


@dataclass
class Session:
    id: str
    uid: str
    seq: int
    started: dt.datetime | None  # from the band's clock; None if it was never set
    completed: bool
    end_reason: str | None  # completed, stopped, interrupted, host, fault; None if the log has no end
    end_ms: int
    config_name: str | None
    segments: list[Segment] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    damage: list[str] = field(default_factory=list)
    warn_s: int | None = None
    firmware: str | None = None
    undated: str | None = None  # why `started` is None: the clock was not set, or the header is damaged

    @property
    def band_number(self) -> int:
        """The band as a number, the same for all its sessions (the FIT serial number, TCX's UnitId):
        CRC-32 of its uid, never 0 (FIT's uint32z has no 0)."""
        return zlib.crc32(self.uid.encode()) or 1

    def paused_ms(self, start: int = 0, end: int | None = None) -> int:
        """Time paused within [start, end)."""
        stop = self.end_ms if end is None else end
        return sum(max(0, min(p.end_ms, stop) - max(p.start_ms, start)) for p in self.pauses)

    def moving_ms(self, seg: Segment) -> int:
        return seg.elapsed_ms - self.paused_ms(seg.start_ms, seg.end_ms)

    def total_ms(self, kind: str) -> int:
        """Time spent in segments of that kind, pauses left out."""
        return sum(self.moving_ms(s) for s in self.segments if s.kind == kind)

    @property
    def duration_ms(self) -> int:
        return self.end_ms


# How a session ended, in the words `logs list/show`, `logs plot` and the sim's live lines use.
END_WORDS = {
    "completed": "completed",
    "stopped": "ended early (long press)",
    "interrupted": "cut off (power lost)",
    "host": "ended by the USB connection",
    "fault": "ended by a firmware fault",
}
OPEN_END_WORDS = "ended by its long press"  # a workout with open segments (free mode) has no other end


def how_ended(s: Session) -> str:
    if not s.end_reason:
        return "cut off (no end record)"
    if s.end_reason == "stopped" and any(g.planned_ms is None for g in s.segments):
        return OPEN_END_WORDS  # done, as a plan counts it (runwalk.plan.done)
    return END_WORDS.get(s.end_reason, s.end_reason)


def session_id(uid: str, seq: int) -> str:
    return "%s-%06d" % (uid, seq)


def _labels(header: dict[str, Any]) -> tuple[list[str | None], list[int | None]]:
    """Labels and planned lengths by segment index, from the steps the header carries."""
    try:
        w = wk.validate({"schema": 1, "name": "x", "steps": header.get("steps")})
    except (wk.ConfigError, TypeError):
        return [], []
    return [w.label(i) for i in range(len(w))], [w.dur_ms(i) for i in range(len(w))]


def _event(name: str, arg: Any) -> str:
    if name == "end":
        return "end:" + (logfmt.END_NAMES[arg] if 0 <= arg < len(logfmt.END_NAMES) else str(arg))
    if name == "note":
        what, value = arg
        label = logread.NOTE_NAMES[what] if 0 < what < len(logread.NOTE_NAMES) else "note%d" % what
        return "%s:%s" % (label, value)
    return name


def _text_header(data: bytes, damage: list[str]) -> dict[str, Any] | None:
    """The header, when the decoder refused it for bytes that are not UTF-8: those read as U+FFFD."""
    for rtype, _arg, _t, payload in logread.records(data, []):
        if rtype != logfmt.HEADER:
            continue
        try:
            header = json.loads(bandtext.decode(payload))
        except (ValueError, RecursionError):
            return None
        if not isinstance(header, dict):
            return None
        if "header is not valid JSON" in damage:
            damage.remove("header is not valid JSON")
        damage.append("the header holds bytes that are not text (shown as \ufffd)")
        return header
    return None


UNKNOWN_UID = "unknown"  # a log whose header is unreadable, from a band nobody named


def from_log(data: bytes, fallback_seq: int = 0, fallback_uid: str = UNKNOWN_UID) -> Session:
    """Decode a log file's bytes. Never raises on bad bytes: damage is listed instead."""
    d = logread.decode(data)
    damage = list(d["damage"])
    raw_header = d["header"] if d["header"] is not None else _text_header(data, damage)
    # Names and labels as text any terminal and export takes (older firmware wrote surrogates).
    header = bandtext.cleaned(raw_header or {})
    h_uid, h_seq = header.get("uid"), header.get("seq")
    uid: str = h_uid if isinstance(h_uid, str) else fallback_uid
    seq: int = h_seq if isinstance(h_seq, int) else fallback_seq
    start = header.get("start")
    started = None
    damage_start = None
    if isinstance(start, (int, float)) and start > 0:
        if not FIRST_DATE_S <= start < LAST_DATE_S:
            damage_start = "the header's start time %r is not a date the band writes" % start
        else:
            started = dt.datetime.fromtimestamp(start, dt.timezone.utc)
    labels, planned = _labels(header)
    # A damaged record that passed its checksum (CRC-8 lets 1 in 256 through) can carry any time: a
    # segment or pause that would end before it starts is left out, as damage, so no view or export
    # sees a negative length (the FIT encoder refuses one, with a traceback).
    raw_segs = [g for g in d["segments"] if g[2] >= g[1]]
    raw_pauses = [p for p in d["pauses"] if p[1] >= p[0]]
    dropped = len(d["segments"]) - len(raw_segs) + len(d["pauses"]) - len(raw_pauses)
    if dropped:
        damage.append("%d record%s out of time order left out" % (dropped, "" if dropped == 1 else "s"))
    segs = []
    for i, (kind, s_ms, e_ms, _skipped) in enumerate(raw_segs):
        segs.append(Segment(
            index=i,
            kind=wk.KINDS[kind] if kind < len(wk.KINDS) else "walk",
            label=labels[i] if i < len(labels) else None,
            start_ms=s_ms,
            end_ms=e_ms,
            # SEG_SKIPPED on a segment record says its *previous* segment was cut short.
            skipped=False,
            planned_ms=planned[i] if i < len(planned) else None,
        ))
    for i, (_, _, _, skipped) in enumerate(raw_segs):
        if skipped and i > 0:
            p = segs[i - 1]
            segs[i - 1] = Segment(p.index, p.kind, p.label, p.start_ms, p.end_ms, True, p.planned_ms)
    if damage_start:
        damage.append(damage_start)
    if raw_header is None:
        damage.insert(0, "the header is missing or unreadable")
    undated = None
    if started is None:
        if raw_header is None:
            undated = "the log's header, which holds its start time, is unreadable"
        else:
            undated = damage_start or CLOCK_NOT_SET
    if d["end"] is None:
        damage.append("the log has no end record (the session was cut off)")
    end_ms = d["end_ms"] if d["end_ms"] is not None else max([s.end_ms for s in segs] + [0])
    end_reason = None if d["end"] is None else logfmt.END_NAMES[d["end"]] if d["end"] < len(logfmt.END_NAMES) else "?"
    return Session(
        id=session_id(uid, seq),
        uid=uid,
        seq=seq,
        started=started,
        completed=d["end"] == logfmt.END_COMPLETED,
        end_reason=end_reason,
        end_ms=end_ms,
        config_name=header.get("name") if isinstance(header.get("name"), str) else None,
        segments=segs,
        pauses=[Pause(a, b) for a, b in raw_pauses],
        events=[Event(t, _event(name, arg)) for t, name, arg in d["events"]],
        damage=damage,
        warn_s=header.get("warn_s") if isinstance(header.get("warn_s"), int) else None,
        firmware=header.get("fw") if isinstance(header.get("fw"), str) else None,
        undated=undated,
    )
