"""A damaged plan.pos (docs/plan-format.md): the host takes the same place in the plan as the band
(host_tools/band/plan.py's damaged() and recovered() against runwalk.plan and runwalk.planload on the
same files), so `runwalk plan show` says the session the band runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from runwalk import logfmt, logread
from runwalk.plan import Plan
from runwalk.planload import position
from runwalk.startup import plan_workout
from runwalk.store import Store

from host_tools.band import plan as band_plan

FREE = {"schema": 1, "name": "Free", "warn_s": 0, "steps": [{"kind": "run", "s": None}]}
TIMED = {"schema": 1, "name": "Timed", "warn_s": 0, "steps": [{"kind": "run", "s": 60}]}
DOC = {"schema": 1, "id": "p1", "name": "test plan", "workouts": [TIMED, FREE],
       "sessions": [{"workout": 0, "week": 1}, {"workout": 1, "week": 1}, {"workout": 0, "week": 2},
                    {"workout": 0, "week": 2}]}

DAMAGED = [b"", b"\xff\x00{", b'{"id": "p1", "step": 3, "seq"', b'{"id": "p1", "step": "3", "seq": 4}',
           b'{"id": "p1"}', b'{"id": 5, "step": 1, "seq": 4}', b'{"id": "p1", "step": -1, "seq": 4}',
           b"[" * 300 + b"]" * 300, b'{"id": "p1", "step": 1, "seq": 4' + b" " * 400 + b"}", b"null", b"[]"]
VALID = [b'{"id": "p1", "step": 1, "seq": 4}', b'{"id": "other", "step": 0, "seq": 0}',
         json.dumps({"id": "\u00e9" * 40, "step": 99999, "seq": 999999}).encode()]


@pytest.mark.parametrize("raw", DAMAGED + VALID)
def test_host_and_band_agree_on_what_a_damaged_plan_pos_is(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "plan.pos").write_bytes(raw)
    assert (position(Store(str(tmp_path))) is False) == band_plan.damaged(raw) == (raw in DAMAGED)
    assert not band_plan.damaged(None) and position(Store(str(tmp_path / "none"))) is None


def _log(seq: int, reason: int, plan: dict[str, object] | None) -> bytes:
    head: dict[str, object] = {"seq": seq, "uid": "t", "start": None, "name": "W", "warn_s": 0, "fw": "1"}
    if plan is not None:
        head["plan"] = plan
    head["steps"] = [{"kind": "run", "s": 60}]  # last, as the band writes it (runwalk.loghead)
    data = logfmt.MAGIC + logfmt.header_bytes(head) + logfmt.encode(logfmt.SEG, 1, 0)
    return bytes(data + logfmt.encode(logfmt.END, reason, 5000))


HISTORIES = {
    "done, then a one-off": ([(0, logfmt.END_COMPLETED), (None, logfmt.END_COMPLETED)], 1),
    "ended early": ([(0, logfmt.END_COMPLETED), (1 + 1, logfmt.END_STOPPED)], 2),
    "free mode ended by a long press": ([(1, logfmt.END_STOPPED)], 2),
    "cut by a power cut": ([(1, logfmt.END_INTERRUPTED)], 1),
    "the last session done": ([(3, logfmt.END_COMPLETED)], 4),
    "another plan last": ([(2, logfmt.END_COMPLETED), ("other", logfmt.END_COMPLETED)], 0),
    "no session of it": ([(None, logfmt.END_COMPLETED)], 0),
    "nine one-offs after it": ([(2, logfmt.END_COMPLETED)] + [(None, logfmt.END_COMPLETED)] * 9, 0),
}


@pytest.mark.parametrize("name", sorted(HISTORIES))
def test_host_and_band_find_the_same_place_from_the_logs(tmp_path: Path, name: str) -> None:
    history, want = HISTORIES[name]
    (tmp_path / "logs").mkdir()
    (tmp_path / "plan.json").write_text(json.dumps(DOC))
    (tmp_path / "plan.pos").write_bytes(b"\x00" * 40)
    logs = []
    for seq, (step, reason) in enumerate(history, 1):
        ran = None if step is None else {"id": "other", "step": 0, "of": 4} if step == "other" else \
            {"id": "p1", "step": step, "of": 4}
        data = _log(seq, reason, ran)
        (tmp_path / "logs" / ("%06d.rwl" % seq)).write_bytes(data)
        d = logread.decode(data)
        logs.insert(0, (d["header"], d["end"]))
    p = Plan(Store(str(tmp_path)))
    plan_workout(p)
    assert p.error is None and p.step == want == band_plan.recovered(DOC, logs)
    assert json.loads((tmp_path / "plan.pos").read_bytes()) == {"id": "p1", "step": want, "seq": len(history)}
