"""`logs export --format json`: the design's JSON shape (design.md 4.5), nothing more."""

from __future__ import annotations

import json
from typing import Any

from host_tools.store.model import Session


def to_dict(s: Session) -> dict[str, Any]:
    return {
        "session": s.id,
        "started": s.started.isoformat() if s.started else None,
        "completed": s.completed,
        "config_name": s.config_name,
        "segments": [
            {"index": g.index, "kind": g.kind, "label": g.label, "start_ms": g.start_ms, "end_ms": g.end_ms}
            for g in s.segments
        ],
        "pauses": [{"start_ms": p.start_ms, "end_ms": p.end_ms} for p in s.pauses],
        "events": [{"t_ms": e.t_ms, "ev": e.ev} for e in s.events],
    }


def render(s: Session) -> bytes:
    return (json.dumps(to_dict(s), indent=1) + "\n").encode()
