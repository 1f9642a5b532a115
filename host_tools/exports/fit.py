"""`logs export --format fit`: a FIT activity file that Strava, Garmin Connect and intervals.icu import.

One lap per segment (run and sprint as `active`, walk as `rest`, `warmup`/`cooldown`
where the workout labels them), time-only `record` messages at every segment
boundary and around every pause (Strava rejects activities without time-stamped
samples, GPS or not), and each pause as a timer `stop_all` / `start` event pair,
so elapsed time includes pauses and timer time does not.

Encoder: fit-tool (BSD-3-Clause), not Garmin's garmin-fit-sdk. Both encode activity
files; fit-tool's licence is compatible with this MIT project and lets anyone
redistribute the tools, while the FIT SDK comes under Garmin's own FIT licence
agreement with terms of its own. Tests decode the output with fitdecode, an
independent reader.
"""

from __future__ import annotations

import datetime as dt

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.profile_type import (
    Activity,
    Event,
    EventType,
    FileType,
    Intensity,
    LapTrigger,
    Manufacturer,
    SessionTrigger,
    Sport,
    SubSport,
)

from host_tools.store.model import Segment, Session

# A FIT field's size is one byte: a string holds at most 254 bytes of UTF-8 before its NUL.
MAX_STRING_BYTES = 254


def fit_string(text: str, max_bytes: int = MAX_STRING_BYTES) -> str:
    """Text as a FIT string takes it: at most max_bytes of UTF-8, cut between characters, no NUL."""
    data = text.replace("\x00", "\ufffd").encode("utf-8")[:max_bytes]
    return data.decode("utf-8", "ignore")  # "ignore" drops only a character the cut split


def intensity(seg: Segment) -> Intensity:
    if seg.label == "warmup":
        return Intensity.WARMUP
    if seg.label == "cooldown":
        return Intensity.COOLDOWN
    return Intensity.REST if seg.kind == "walk" else Intensity.ACTIVE


def render(s: Session, start: dt.datetime) -> bytes:
    """The session as FIT bytes; `start` is the wall-clock time of the session's ms 0."""
    t0 = int(start.timestamp() * 1000)

    def at(ms: int) -> int:
        return t0 + ms  # fit-tool takes Unix milliseconds and converts to FIT time

    b = FitFileBuilder(auto_define=True, min_string_size=50)
    fid = FileIdMessage()
    fid.type = FileType.ACTIVITY
    fid.manufacturer = Manufacturer.DEVELOPMENT.value
    fid.product = 0
    fid.serial_number = s.band_number
    fid.time_created = at(0)
    b.add(fid)
    if s.config_name:
        # The workout's name, as a watch records the workout it ran (Garmin Connect names the activity by it).
        wkt = WorkoutMessage()
        wkt.workout_name = fit_string(s.config_name)
        wkt.sport = Sport.RUNNING
        b.add(wkt)

    # Everything that happens, in time order; the sort keys keep a lap's own
    # boundary records next to it and events before the records they govern.
    items: list[tuple[int, int, object]] = []

    def event(ms: int, etype: EventType) -> None:
        m = EventMessage()
        m.timestamp = at(ms)
        m.event = Event.TIMER
        m.event_type = etype
        m.event_group = 0
        items.append((ms, 0 if etype == EventType.START else 2, m))

    def record(ms: int) -> None:
        m = RecordMessage()
        m.timestamp = at(ms)
        items.append((ms, 1, m))

    event(0, EventType.START)
    times = {0, s.end_ms}
    for g in s.segments:
        times.add(g.start_ms)
        times.add(g.end_ms)
    for p in s.pauses:
        times.add(p.start_ms)
        times.add(p.end_ms)
        event(p.start_ms, EventType.STOP_ALL)
        event(p.end_ms, EventType.START)
    for ms in sorted(times):
        record(ms)
    for g in s.segments:
        lap = LapMessage()
        lap.message_index = g.index
        lap.event = Event.LAP
        lap.event_type = EventType.STOP
        lap.start_time = at(g.start_ms)
        lap.timestamp = at(g.end_ms)
        lap.total_elapsed_time = g.elapsed_ms / 1000
        lap.total_timer_time = s.moving_ms(g) / 1000
        lap.intensity = intensity(g)
        lap.lap_trigger = LapTrigger.MANUAL if g.skipped else LapTrigger.TIME
        lap.sport = Sport.RUNNING
        items.append((g.end_ms, 3, lap))
    event(s.end_ms, EventType.STOP_ALL)
    items.sort(key=lambda x: (x[0], x[1]))
    for _, _, m in items:
        b.add(m)

    timer_s = (s.end_ms - s.paused_ms()) / 1000
    ses = SessionMessage()
    ses.message_index = 0
    ses.event = Event.SESSION
    ses.event_type = EventType.STOP
    ses.start_time = at(0)
    ses.timestamp = at(s.end_ms)
    ses.total_elapsed_time = s.end_ms / 1000
    ses.total_timer_time = timer_s
    ses.sport = Sport.RUNNING
    ses.sub_sport = SubSport.GENERIC
    ses.first_lap_index = 0
    ses.num_laps = len(s.segments)
    ses.trigger = SessionTrigger.ACTIVITY_END
    b.add(ses)

    act = ActivityMessage()
    act.timestamp = at(s.end_ms)
    act.total_timer_time = timer_s
    act.num_sessions = 1
    act.type = Activity.MANUAL
    act.event = Event.ACTIVITY
    act.event_type = EventType.STOP
    b.add(act)
    return bytes(b.build().to_bytes())
