"""A workout as a Garmin workout FIT file: file_id, workout, workout_step messages.

Each segment is a step (time, or open = "lap button" for open segments) with
its label as the step name; walks are `rest`, runs `active`, sprints
`interval`, warm-up and cool-down where the label says so. A repeat block is a
`repeat_until_steps_cmplt` step after its steps, pointing back at the first
of them, with the repeat count; nested blocks nest the same way.
Encoder: fit-tool (BSD-3-Clause), as for the activity export.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from host_tools.errors import RunwalkError
from host_tools.exports.fit import fit_string

MAX_STEPS = 65534  # message_index is 16 bits (0xFFFF = invalid)

_INTENSITY = {"walk": Intensity.REST, "run": Intensity.ACTIVE, "sprint": Intensity.INTERVAL}


def _intensity(step: dict[str, Any]) -> Intensity:
    label = (step.get("label") or "").lower()
    if label.startswith("warm"):
        return Intensity.WARMUP
    if label.startswith("cool"):
        return Intensity.COOLDOWN
    return _INTENSITY[step["kind"]]


def _steps(steps: list[dict[str, Any]], out: list[WorkoutStepMessage]) -> None:
    for step in steps:
        if "repeat" in step:
            first = len(out)
            _steps(step["steps"], out)
            m = WorkoutStepMessage()
            m.message_index = len(out)
            m.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
            m.duration_step = first
            m.target_type = WorkoutStepTarget.OPEN
            m.target_repeat_steps = step["repeat"]
            out.append(m)
            continue
        m = WorkoutStepMessage()
        m.message_index = len(out)
        name = step.get("label") or step["kind"]
        m.workout_step_name = fit_string(name)
        if step["s"] is None:
            m.duration_type = WorkoutStepDuration.OPEN  # ends at the lap button, as on the band
        else:
            m.duration_type = WorkoutStepDuration.TIME
            m.duration_time = float(step["s"])
        m.target_type = WorkoutStepTarget.OPEN
        m.intensity = _intensity(step)
        m.notes = step["kind"]
        out.append(m)
        if len(out) > MAX_STEPS:
            raise RunwalkError("the workout has too many steps for a FIT workout file")


def serial(cfg: dict[str, Any]) -> int:
    """The file_id serial number: from the workout itself, so different workouts differ (uint32z: not 0)."""
    return zlib.crc32(json.dumps(cfg, sort_keys=True).encode()) or 1


def encode(cfg: dict[str, Any], created: dt.datetime | None = None) -> bytes:
    """A validated schema-1 config as a FIT workout file.

    Importers (Garmin Connect) tell files apart by file_id: serial number and creation time. The
    serial comes from the workout, the time is now (or `created`: a plan's files each get their own
    second, so two equal workouts of a plan are still two files)."""
    msgs: list[WorkoutStepMessage] = []
    _steps(cfg["steps"], msgs)
    b = FitFileBuilder(auto_define=True, min_string_size=50)
    fid = FileIdMessage()
    fid.type = FileType.WORKOUT
    fid.manufacturer = Manufacturer.DEVELOPMENT.value
    fid.product = 0
    fid.serial_number = serial(cfg)
    when = created or dt.datetime.now(dt.timezone.utc)
    fid.time_created = int(when.timestamp()) * 1000  # FIT times are whole seconds
    b.add(fid)
    w = WorkoutMessage()
    w.workout_name = fit_string(cfg.get("name", "Workout"))
    w.sport = Sport.RUNNING
    w.sub_sport = SubSport.GENERIC
    w.num_valid_steps = len(msgs)
    b.add(w)
    for m in msgs:
        b.add(m)
    return bytes(b.build().to_bytes())
