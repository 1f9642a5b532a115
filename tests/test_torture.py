"""A small power-cut campaign inside `make test` (the full one is `make torture`):
cuts mid session, mid config push, mid mpremote copy, mid pull and mid deploy on the
virtual wristband, each followed by a boot and every check of torture/campaign.py."""

from __future__ import annotations

from pathlib import Path

import simtools  # noqa: F401  (puts the repository root, home of the torture package, on sys.path)

from torture.campaign import run


def test_twenty_power_cuts_lose_nothing(tmp_path: Path) -> None:
    stats = run(cuts=20, seed=11, work=tmp_path)
    assert stats.failures == []
    assert stats.cuts == 20
    # the seed puts cuts inside sessions and inside host operations
    assert stats.cuts_by_action["session"] >= 5
    assert sum(stats.cuts_by_action[a] for a in ("config", "fscp", "pull", "deploy")) >= 3
    assert stats.timed_cuts >= 1  # and at random moments of the wall clock
    assert stats.interrupted + stats.dropped_empty >= 1
    assert stats.records_lost == 0
    assert stats.pulls_checked >= 2 and stats.sessions_checked > 0
