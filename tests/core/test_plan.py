# runwalk.plan: the band's side of progression plans (plain asserts, runs on MicroPython too).
import json
import os

from runwalk import logfmt
from runwalk.plan import Plan
from runwalk.planload import tail_end
from runwalk.startup import plan_workout
from runwalk.store import Store
from support import read, rmtree, tmpdir, write


def ratio_cfg(name, run_s, walk_s):
    return {"schema": 1, "name": name,
            "steps": [{"repeat": 2, "steps": [{"kind": "run", "s": run_s}, {"kind": "walk", "s": walk_s}]}]}


def plan_doc(n_sessions=4, pid="p1"):
    workouts = [ratio_cfg("W1 30s:30s", 30, 30), ratio_cfg("W2 1:1", 60, 60)]
    sessions = []
    for i in range(n_sessions):
        sessions.append({"workout": 0 if i < 2 else 1, "week": 1 + i // 2})
    return {"schema": 1, "id": pid, "name": "test plan", "workouts": workouts, "sessions": sessions}


def setup(doc=None):
    d = tmpdir()
    store = Store(d)
    store.log_names()  # creates logs/
    if doc is not None:
        write(d + "/plan.json", json.dumps(doc))
    return d, store


def add_log(d, seq, reason, t_end=123456):
    data = logfmt.MAGIC + logfmt.header_bytes({"seq": seq}) + logfmt.encode(logfmt.SEG, 1, 0)
    if reason is not None:
        data += logfmt.encode(logfmt.END, reason, t_end)
    s = str(seq)
    write(d + "/logs/" + "0" * (6 - len(s)) + s + ".rwl", bytes(data))


def boot(p):
    """What start-up does: the plan's workout due, (workout, cfg) or None."""
    return plan_workout(p)


def pos(d):
    return json.loads(read(d + "/plan.pos"))


def test_no_plan_means_no_override():
    d, store = setup()
    p = Plan(store)
    assert boot(p) is None and not p.active() and p.error


def test_runs_each_step_and_advances_once_per_completed_session():
    d, store = setup(plan_doc(4))
    p = Plan(store)
    w, cfg = boot(p)
    assert w.name == "W1 30s:30s" and p.info() == {"id": "p1", "step": 0, "of": 4}
    assert p.completed(1)
    assert not p.completed(1)  # the same session never counts twice
    assert p.info()["step"] == 1 and pos(d) == {"id": "p1", "step": 1, "seq": 1}
    assert boot(p)[0].name == "W1 30s:30s"
    assert p.completed(2)
    assert boot(p)[0].name == "W2 1:1"
    assert p.completed(5) and p.completed(6)
    assert not p.active() and boot(p) is None  # finished: the band goes back to config.json
    assert not p.completed(7)
    assert pos(d)["step"] == 4


def test_position_survives_a_restart():
    d, store = setup(plan_doc(4))
    p = Plan(store)
    boot(p)
    add_log(d, 1, logfmt.END_COMPLETED)
    p.completed(1)
    q = Plan(store)
    w, _ = boot(q)
    assert q.info()["step"] == 1 and w.name == "W1 30s:30s"


def test_sessions_before_the_plan_arrived_never_count():
    d, store = setup(plan_doc(4))
    add_log(d, 7, logfmt.END_COMPLETED)
    p = Plan(store)
    boot(p)
    assert p.info()["step"] == 0 and pos(d)["seq"] == 7
    assert not p.completed(7)
    assert p.completed(8)


def test_a_cut_after_the_log_closed_but_before_plan_pos_still_counts_once():
    d, store = setup(plan_doc(4))
    boot(Plan(store))  # plan.pos: step 0, seq 0
    add_log(d, 1, logfmt.END_COMPLETED)  # the session closed, then the power went
    p = Plan(store)
    boot(p)
    assert p.info()["step"] == 1 and pos(d)["seq"] == 1
    p2 = Plan(store)
    boot(p2)
    assert p2.info()["step"] == 1  # counted once, not at every boot


def test_sessions_ended_early_or_cut_do_not_count():
    for reason in (logfmt.END_STOPPED, logfmt.END_INTERRUPTED, logfmt.END_HOST, logfmt.END_FAULT, None):
        d, store = setup(plan_doc(4))
        boot(Plan(store))
        add_log(d, 1, reason)
        p = Plan(store)
        boot(p)
        assert p.info()["step"] == 0, reason
        assert pos(d)["seq"] == 1


def test_a_new_plan_starts_at_its_first_step():
    d, store = setup(plan_doc(4, "old"))
    p = Plan(store)
    boot(p)
    p.completed(1)
    write(d + "/plan.json", json.dumps(plan_doc(3, "new")))
    q = Plan(store)
    boot(q)
    assert q.info() == {"id": "new", "step": 0, "of": 3}


def test_bad_plans_are_refused_with_a_reason():
    cases = [
        ("{not json", ""),
        (json.dumps({"schema": 2, "id": "x", "workouts": [], "sessions": [0]}), "schema"),
        (json.dumps({"schema": 1, "workouts": [], "sessions": [0]}), "id"),
        (json.dumps({"schema": 1, "id": "x", "workouts": [], "sessions": []}), "session"),
        (json.dumps({"schema": 1, "id": "x", "workouts": [], "sessions": [{"workout": 0}]}), "session 1"),
        (json.dumps({"schema": 1, "id": "x", "workouts": [{"schema": 1, "steps": []}], "sessions": [0]}), "steps"),
    ]
    for text, word in cases:
        d, store = setup()
        write(d + "/plan.json", text)
        p = Plan(store)
        assert boot(p) is None and not p.active(), text
        assert p.error and word in p.error, (text, p.error)


def test_tail_end_finds_only_a_real_end_record():
    for t in (0, 5, 200, 70000, 3000000, 400000000):
        for reason in range(5):
            buf = logfmt.encode(logfmt.SEG, 1, t) + logfmt.encode(logfmt.END, reason, t)
            assert tail_end(bytes(buf[-8:])) == reason, (t, reason)
            assert tail_end(bytes(buf)) == reason
    assert tail_end(bytes(logfmt.encode(logfmt.SEG, 1, 5000))) is None
    assert tail_end(b"") is None and tail_end(b"\x05") is None



def test_plan_json_is_read_piecewise_whatever_its_layout():
    # Pretty-printed, keys in another order, strings holding brackets, commas, quotes and escapes.
    text = ('{\n  "sessions" : [ 1 ,\n {"week": 1, "workout": 0} ],\n'
            '  "name": "a [plan], {with} \\"quotes\\" \\\\",\n'
            '  "workouts": [\n    {"schema": 1, "name": "W0 ]}\\"", "steps": [{"kind": "run", "s": 5}]},\n'
            '    {"schema": 1, "name": "W1", "steps": [{"repeat": 2, "steps": [{"kind": "walk", "s": 7}]}]}\n  ],\n'
            '  "id": "pretty", "schema": 1\n}\n')
    d, store = setup()
    write(d + "/plan.json", text)
    p = Plan(store)
    w, cfg = boot(p)
    assert p.info() == {"id": "pretty", "step": 0, "of": 2}
    assert w.name == "W1" and cfg["steps"][0]["repeat"] == 2
    assert p.completed(1)
    w, cfg = boot(p)
    assert w.name == 'W0 ]}"' and len(w) == 1


def test_a_year_long_plan_fits():
    # 52 weeks x 7 sessions: about 20 KB of JSON, more than a small heap holds decoded.
    d, store = setup()
    f = open(d + "/plan.json", "w")
    f.write('{"schema":1,"id":"year","name":"y","workouts":[')
    for k in range(52):
        if k:
            f.write(",")
        f.write('{"schema":1,"name":"Week ' + str(k + 1) + '","warn_s":5,"steps":[{"kind":"walk","s":300,'
                '"label":"warmup"},{"repeat":12,"steps":[{"kind":"run","s":' + str(30 + k) + '},{"kind":"walk",'
                '"s":30}]},{"kind":"walk","s":300,"label":"cooldown"}]}')
    f.write('],"sessions":[')
    for i in range(364):
        f.write(("," if i else "") + '{"workout":' + str(i // 7) + ',"week":' + str(i // 7 + 1) + "}")
    f.write("]}")
    f.close()
    write(d + "/plan.pos", '{"id": "year", "step": 363, "seq": 0}')
    p = Plan(store)
    w, cfg = boot(p)
    assert p.info() == {"id": "year", "step": 363, "of": 364}
    assert w.name == "Week 52" and cfg["steps"][1]["steps"][0]["s"] == 81


def test_broken_plan_json_is_refused():
    for text in ('{"schema": 1, "id": "x", "workouts": [{}], "sessions": [0]',  # cut short
                 '{"schema": 1, "id": "x", "workouts": [{}], "sessions": [0]}}',  # one brace too many
                 '{"schema": 1, "id": "x", "workouts": [{"schema":1,"steps":[{"kind":"run","s":5}]}], '
                 '"sessions": [{"workout": 3}]}'):
        d, store = setup()
        write(d + "/plan.json", text)
        p = Plan(store)
        assert boot(p) is None and p.error, text


def test_a_hold_runs_config_until_one_of_its_sessions_completes_and_never_counts():
    d, store = setup(plan_doc(4))
    p = Plan(store)
    boot(p)
    p.completed(1)  # step 1
    write(d + "/plan.hold", "")
    q = Plan(store)
    assert boot(q) is None and q.held and not q.active()
    assert q.completed(2)  # the one-off completed: the plan is due again
    assert not q.held and pos(d) == {"id": "p1", "step": 1, "seq": 2}
    w, _ = boot(q)
    assert q.info()["step"] == 1 and w.name == "W1 30s:30s"
    # the one-off session (2) never counts, also not at the next boot
    add_log(d, 2, logfmt.END_COMPLETED)
    r = Plan(store)
    boot(r)
    assert r.info()["step"] == 1


def free_cfg():
    return {"schema": 1, "name": "Free", "warn_s": 0,
            "steps": [{"repeat": 999, "steps": [{"kind": "run", "s": None}, {"kind": "walk", "s": None}]}]}


def test_a_long_press_is_the_end_of_an_open_ended_workout_only():
    from runwalk.plan import done, open_ended

    timed = ratio_cfg("T", 30, 30)["steps"]
    mile = [{"kind": "walk", "s": None}, {"repeat": 2, "steps": [{"kind": "run", "s": 20}]},
            {"kind": "walk", "s": 300}]
    assert open_ended(free_cfg()["steps"]) and open_ended(mile) and not open_ended(timed)
    assert done(logfmt.END_STOPPED, free_cfg()["steps"]) and done(logfmt.END_STOPPED, mile)
    assert not done(logfmt.END_STOPPED, timed) and done(logfmt.END_COMPLETED, timed)
    for reason in (logfmt.END_INTERRUPTED, logfmt.END_HOST, logfmt.END_FAULT):
        assert not done(reason, free_cfg()["steps"]), reason


def test_a_held_one_off_ends_the_hold_when_done_whatever_its_kind():
    # Free mode ended by its long press: done, the plan goes on at the step it was at.
    d, store = setup(plan_doc(4))
    p = Plan(store)
    boot(p)
    p.completed(1)
    write(d + "/plan.hold", "")
    assert boot(p) is None and p.held
    assert p.ended(2, logfmt.END_STOPPED, free_cfg()["steps"])
    assert "plan.hold" not in store_files(d) and pos(d) == {"id": "p1", "step": 1, "seq": 2}
    assert boot(p)[0].name == "W1 30s:30s" and p.info()["step"] == 1
    # A timed one-off ended early holds on (the README's rule): it runs again.
    write(d + "/plan.hold", "")
    assert boot(p) is None
    assert not p.ended(3, logfmt.END_STOPPED, ratio_cfg("T", 30, 30)["steps"])
    assert p.held and "plan.hold" in store_files(d) and pos(d)["step"] == 1


def store_files(d):
    import os

    return os.listdir(d)


def test_a_plan_session_with_open_segments_counts_when_a_long_press_ends_it_even_after_a_cut():
    doc = plan_doc(3)
    doc["workouts"][0] = free_cfg()
    d, store = setup(doc)
    p = Plan(store)
    boot(p)
    assert p.ended(1, logfmt.END_STOPPED, free_cfg()["steps"]) and pos(d)["step"] == 1
    # Session 2 (free again) ended by a long press, then the power went before plan.pos.
    add_log(d, 2, logfmt.END_STOPPED)
    q = Plan(store)
    boot(q)
    assert q.info()["step"] == 2 and pos(d)["seq"] == 2
    # Session 3 (timed) ended by a long press: not done, not even at the next boot.
    add_log(d, 3, logfmt.END_STOPPED)
    r = Plan(store)
    boot(r)
    assert r.info()["step"] == 2 and pos(d)["seq"] == 3


def add_plan_log(d, seq, reason, step, pid="p1"):
    """A closed session of the plan pid at step, as the band writes its header ("plan" before "steps")."""
    head = json.dumps({"seq": seq, "name": "W", "plan": {"id": pid, "step": step, "of": 4}})
    data = logfmt.MAGIC + logfmt.header_bytes(json.loads(head)) + logfmt.encode(logfmt.SEG, 1, 0)
    data += logfmt.encode(logfmt.END, reason, 5000)
    write(d + "/logs/00000" + str(seq) + ".rwl", bytes(data))


DAMAGED_POS = (b"", b"\xff\x00{", b'{"id": "p1", "step": 3, "seq"', b'{"id": "p1", "step": "3", "seq": 4}',
               b'{"id": "p1"}', b"[" * 300 + b"]" * 300, b'{"id": "p1", "step": 1, "seq": 4' + b" " * 400 + b"}")


def test_a_damaged_plan_pos_is_found_again_from_the_newest_session_of_the_plan():
    # docs/plan-format.md: the step the newest session of this plan ran (its log's
    # header), the next one if that session was done; one-offs in between are skipped.
    for done_at, reason, want in ((2, logfmt.END_COMPLETED, 3), (2, logfmt.END_STOPPED, 2)):
        for bad in DAMAGED_POS:
            d, store = setup(plan_doc(4))
            add_plan_log(d, 3, logfmt.END_COMPLETED, 1)
            add_plan_log(d, 4, reason, done_at)
            add_log(d, 5, logfmt.END_COMPLETED)  # a one-off (config.json): no plan in its header
            write(d + "/plan.pos", bad)
            p = Plan(store)
            w, _ = boot(p)
            assert p.error is None and p.info()["step"] == want, (bad, p.info())
            assert w.name == "W2 1:1" and pos(d) == {"id": "p1", "step": want, "seq": 5}
            assert not p.completed(5) and p.completed(6)  # sessions before it never count


def test_a_damaged_plan_pos_with_no_session_of_the_plan_starts_it():
    for other in (False, True):
        d, store = setup(plan_doc(4))
        add_log(d, 1, logfmt.END_COMPLETED)
        if other:
            add_plan_log(d, 2, logfmt.END_COMPLETED, 2, "another")  # the plan before this one
        write(d + "/plan.pos", b"\x00" * 50)
        p = Plan(store)
        boot(p)
        assert p.error is None and p.info()["step"] == 0 and pos(d)["seq"] == 1 + other


def test_a_directory_at_plan_pos_never_stops_the_plan():
    # It cannot be written: each boot finds the place from the logs, and moving on never raises.
    d, store = setup(plan_doc(4))
    os.mkdir(d + "/plan.pos")
    write(d + "/plan.pos/x", "x")
    p = Plan(store)
    w, _ = boot(p)
    assert p.error is None and p.info()["step"] == 0 and w.name == "W1 30s:30s"
    add_plan_log(d, 1, logfmt.END_COMPLETED, 0)
    assert p.completed(1) and p.info()["step"] == 1
    q = Plan(store)
    boot(q)
    assert q.info()["step"] == 1
    write(d + "/plan.hold", "")  # a one-off done: the hold goes, plan.pos stays as it is
    assert boot(q) is None and q.completed(2) and not q.held
    rmtree(d)
