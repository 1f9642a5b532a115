"""config.json and plan.json documents as a runner writes them, for the host's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def workout(name: str = "Hills", label: str = "hill") -> dict[str, Any]:
    """A warm-up, then three hill repeats whose run carries `label`."""
    return {"schema": 1, "name": name, "steps": [
        {"kind": "walk", "s": 60, "label": "warmup"},
        {"repeat": 3, "steps": [{"kind": "run", "s": 30, "label": label}, {"kind": "walk", "s": 30}]}]}


def plan(name: str = "Plan", first: dict[str, Any] | None = None, plan_id: str = "tests") -> dict[str, Any]:
    """A one-session plan of `first` (workout() if not given)."""
    return {"schema": 1, "id": plan_id, "name": name, "per_week": 1, "workouts": [first or workout()],
            "sessions": [{"workout": 0, "week": 1}]}


def write(path: Path, doc: dict[str, Any]) -> str:
    """doc as UTF-8 JSON (no escapes) at path; its path as a string."""
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)
