"""The plan advice after the runner has taken it: sessions run by the real firmware core with a plan on
its flash (tests/hostlogs.py), stored in a real session store, read back by `runwalk plan show` and
`runwalk logs list`.

Before: after two sessions ended early `plan show` said "go back one ratio step (`runwalk plan back`)";
the runner did, and `plan show` said it again (a second `plan back` would go back two steps), and
still after the first session at the easier ratio went well; `logs list` too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostlogs import App, FakeBoard, click, long_press, run_app

from host_tools.commands import plan as plan_cmd
from host_tools.commands.cli import main
from host_tools.store import db
from host_tools.training import advice, plans

GAP = 10 * 60_000  # each session here lasts 5 minutes
COMPLETED = click(0)
ENDED_EARLY = click(0) + long_press(60_000)


def run(root: Path, sessions: list[list[tuple[int, bool]]]) -> None:
    edges: list[tuple[int, bool]] = []
    for i, s in enumerate(sessions):
        edges += [(1000 + i * GAP + t, down) for t, down in s]
    run_app(App(FakeBoard(edges=edges), str(root)))


def store_all(root: Path, path: Path) -> None:
    with db.Store(path) as store:
        have = {r.band_file for r in store.all()}
        for f in sorted((root / "logs").glob("*.rwl")):
            if f.name not in have:
                store.add(f.name, f.read_bytes())


def newest_seq(root: Path) -> int:
    return max(int(f.stem) for f in (root / "logs").glob("*.rwl"))


def place(root: Path, doc: dict, step: int) -> None:
    """What `runwalk plan back` / `repeat-week` write (host_tools/band/plan.py place())."""
    (root / "plan.pos").write_text(json.dumps({"id": doc["id"], "step": step, "seq": newest_seq(root)}))


def step_on_band(root: Path) -> int:
    return json.loads((root / "plan.pos").read_text())["step"]


def show_advice(capsys: pytest.CaptureFixture[str], doc: dict, step: int, path: Path) -> str:
    plan_cmd._print_advice(doc, step, str(path))
    return capsys.readouterr().out


def list_advice(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    assert main(["logs", "list", "--db", str(path)]) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


@pytest.mark.parametrize("move", ["back", "repeat-week"])
def test_advice_already_taken_is_not_given_again(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 move: str) -> None:
    # 3 weeks, 2 sessions a week: 30s:30s, 40s:30s, 1m:30s. The runner starts at week 2.
    doc = plans.build((30, 30), (60, 30), 3, 2, 5, warmup_s=0, cooldown_s=0)
    root, path = tmp_path / "band", tmp_path / "s.sqlite"
    (root / "logs").mkdir(parents=True)
    (root / "plan.json").write_bytes(plans.to_bytes(doc))
    (root / "plan.pos").write_text(json.dumps({"id": doc["id"], "step": 2, "seq": 0}))
    run(root, [COMPLETED, ENDED_EARLY, ENDED_EARLY])  # session 3 done, session 4 ended early twice
    store_all(root, path)
    due = step_on_band(root)
    assert due == 3
    said = show_advice(capsys, doc, due, path)
    assert "2 ended early" in said and "`runwalk plan back`" in said
    assert "`runwalk plan back`" in list_advice(capsys, path)

    # The runner takes the advice (or repeats the week instead).
    to = advice.ratio_step_back(doc, due) if move == "back" else advice.week_start(doc, due)
    assert to == (0 if move == "back" else 2)
    place(root, doc, to)
    said = show_advice(capsys, doc, to, path)
    assert "plan back" not in said and "repeat-week" not in said
    assert "The plan was moved back after your last sessions of it: run session %d" % (to + 1) in said

    # The first session after the move went well: go on (it said "go back one ratio step" again).
    run(root, [COMPLETED])
    store_all(root, path)
    due = step_on_band(root)
    assert due == to + 1
    said = show_advice(capsys, doc, due, path)
    assert "Your last 1 session of this plan: 1 completed." in said and "Next step: go on" in said, said
    last = list_advice(capsys, path)
    assert "Next step: go on" in last and "plan back" not in last, last


def test_since_moved_back_keeps_sessions_run_again_at_the_same_step() -> None:
    def o(step: int, early: bool = False) -> advice.Outcome:
        return advice.Outcome(step, not early, early, 0, False, "30s:30s")

    runs = [o(0), o(1, True), o(1, True), o(1)]  # a session ended early runs again: no move back
    assert advice.since_moved_back(runs) == runs and advice.since_moved_back(runs, 2) == runs
    assert advice.since_moved_back(runs, 1) == []  # moved back to session 2 after the last of them
    assert advice.since_moved_back([o(3), o(4, True), o(2), o(3)]) == [o(2), o(3)]
    assert advice.since_moved_back([]) == []
    # A week of one session done, then that week again (`plan repeat-week`): the same step is due.
    assert advice.since_moved_back([o(2), o(3)], 3) == [] and advice.since_moved_back([o(3), o(3)]) == [o(3)]


def test_magic_mile_from_a_session_that_is_no_test_says_what_to_give(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # `runwalk plan magic-mile --from-session last` after a pull that brought a run after the test: it said
    # only "(was it a Magic Mile workout?)"; a mile never finished said nothing on what to do either.
    from hostlogs import double_click, make_log

    from host_tools.training import specials

    path = tmp_path / "s.sqlite"
    with db.Store(path) as store:
        store.add("000001.rwl", make_log(specials.magic_mile(0), click(1000) + double_click(60_000)
                                         + long_press(300_000), seq=1))
        store.add("000002.rwl", make_log(seq=2))
    assert main(["plan", "magic-mile", "--from-session", "last", "--db", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "(Test 1:0.5) has no segment labelled 'mile'" in err[0], err
    assert "`runwalk logs list`" in err[0] and "`runwalk plan magic-mile 10:00`" in err[0]
    assert main(["plan", "magic-mile", "--from-session", "1", "--db", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "never finished" in err[0] and "`runwalk plan magic-mile 10:00`" in err[0], err


def test_a_magic_mile_session_whose_mile_was_skipped_says_what_to_give(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # Double-clicks a second apart (one double click too many at the mile's start): a 1 s "mile".
    from hostlogs import double_click, make_log

    from host_tools.training import specials

    path = tmp_path / "s.sqlite"
    edges = click(1000) + double_click(60_000) + double_click(61_500)
    with db.Store(path) as store:
        store.add("000001.rwl", make_log(specials.magic_mile(0), edges, seq=1))
    assert main(["plan", "magic-mile", "--from-session", "last", "--db", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    # Before: only "runwalk: a Magic Mile of 0:02 is outside 3:43 to 30:00".
    assert len(err) == 1 and err[0].startswith("runwalk: session test-000001: a Magic Mile of 0:0"), err
    assert "is outside 3:43 to 30:00" in err[0] and "`runwalk plan magic-mile 10:00`" in err[0], err
