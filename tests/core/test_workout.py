from runwalk import workout as wk
from runwalk.config import DEFAULT_CONFIG


def cfg(steps, **kw):
    c = {"schema": 1, "name": "T", "steps": steps}
    for k in kw:
        c[k] = kw[k]
    return c


def rejects(c, *parts):
    try:
        wk.validate(c)
    except wk.ConfigError as e:
        msg = str(e)
        for p in parts:
            assert p in msg, "expected %r in %r" % (p, msg)
        return msg
    raise AssertionError("accepted an invalid config: %r" % (c,))


def test_design_example_flattens_to_18_segments():
    w = wk.validate(DEFAULT_CONFIG)
    assert len(w) == 18
    assert w.kind_name(0) == "walk" and w.label(0) == "warmup" and w.dur_ms(0) == 300000
    assert w.kind_name(1) == "run" and w.dur_ms(1) == 240000 and w.label(1) is None
    assert w.kind_name(2) == "walk" and w.dur_ms(2) == 60000
    assert w.kind_name(17) == "walk" and w.label(17) == "cooldown"
    assert sum([w.dur_ms(i) for i in range(len(w))]) == (300 + 8 * 300 + 300) * 1000
    assert w.warn_s == 5 and w.intensity == 80 and w.long_ms == 1500 and w.double_ms == 400


def test_defaults_apply_when_settings_are_missing():
    w = wk.validate({"schema": 1, "steps": [{"kind": "run", "s": 60}]})
    assert w.name == "Workout" and w.warn_s == 5 and w.intensity == 80
    assert w.long_ms == 1500 and w.double_ms == 400


def test_nested_repeats_and_open_segments():
    inner = {"repeat": 2, "steps": [{"kind": "run", "s": 30}, {"kind": "walk", "s": 30}]}
    w = wk.validate(cfg([{"repeat": 3, "steps": [inner, {"kind": "sprint", "s": None, "label": "go"}]}]))
    assert len(w) == 15
    assert [w.kind_name(i) for i in range(5)] == ["run", "walk", "run", "walk", "sprint"]
    assert w.dur_ms(4) is None and w.label(4) == "go"
    assert [i for i in range(len(w)) if w.dur_ms(i) is None] == [4, 9, 14]


def _flat(steps, out):
    # The obvious recursive unrolling, to hold the band's cursor against.
    for st in steps:
        if "repeat" in st:
            for _ in range(st["repeat"]):
                _flat(st["steps"], out)
        else:
            out.append((st["kind"], None if st["s"] is None else st["s"] * 1000, st.get("label") or None))
    return out


def _seg(w, i):
    return (w.kind_name(i), w.dur_ms(i), w.label(i))


def test_segments_in_any_order_match_the_unrolled_steps():
    lvl3 = {"repeat": 2, "steps": [{"kind": "sprint", "s": 10, "label": "z"}, {"kind": "walk", "s": 11}]}
    lvl2 = {"repeat": 3, "steps": [{"kind": "run", "s": 20}, lvl3, {"kind": "walk", "s": None}]}
    steps = [{"kind": "walk", "s": 5, "label": ""}, {"repeat": 2, "steps": [lvl2]}, {"repeat": 1, "steps": [lvl3]},
             {"kind": "run", "s": 86400, "label": "end"}]
    want = _flat(steps, [])
    w = wk.validate(cfg(steps))
    n = len(want)
    assert len(w) == n == 1 + 2 * 3 * (1 + 4 + 1) + 4 + 1
    # Forward, as a session walks it (each segment, then a peek at the next).
    for i in range(n):
        assert _seg(w, i) == want[i]
        if i + 1 < n:
            assert w.kind_name(i + 1) == want[i + 1][0]
        assert w.label(i) == want[i][2]
    # Backward and scattered, as the host tools may ask.
    for i in range(n - 1, -1, -1):
        assert _seg(w, i) == want[i]
    for i in (7, 3, 30, 0, 41, 41, 12, 11, 10, n - 1, 1):
        assert _seg(w, i) == want[i]
    for bad in (n, -1):
        try:
            w.kind(bad)
        except IndexError:
            pass
        else:
            raise AssertionError("segment %d of %d did not raise IndexError" % (bad, n))


def test_negative_seconds_names_the_nested_field():
    c = cfg([{"kind": "walk", "s": 60}, {"repeat": 2, "steps": [{"kind": "run", "s": -5}]}])
    msg = rejects(c)
    assert msg == "steps[1].steps[0].s: must be a whole number of seconds from 1 to 86400 (or null), got -5"


# Each bad field with the words its error must hold. A case each (pytest parametrizes by
# PARAMS, tests/core/conftest.py; mp_run.py runs every case), so one failure hides none.
BAD_FIELDS = [
    (cfg([{"kind": "jog", "s": 60}]), ("steps[0].kind", "run, walk or sprint", "'jog'")),
    (cfg([{"kind": "run", "s": 86401}]), ("steps[0].s", "86400", "86401")),
    (cfg([{"kind": "run", "s": 0}]), ("steps[0].s",)),
    (cfg([{"kind": "run", "s": 1.5}]), ("steps[0].s", "1.5")),
    (cfg([{"kind": "run", "s": True}]), ("steps[0].s", "true")),
    (cfg([{"kind": "run", "s": "60"}]), ("steps[0].s", "'60'")),
    (cfg([{"kind": "run"}]), ("steps[0]", "needs 's'")),
    (cfg([{"s": 5}]), ("steps[0]", "needs 'kind'")),
    (cfg([{"kind": "run", "s": 5, "label": "x" * 25}]), ("steps[0].label", "24")),
    (cfg([{"repeat": 0, "steps": [{"kind": "run", "s": 5}]}]), ("steps[0].repeat", "1 to 999", "got 0")),
    (cfg([{"repeat": 1000, "steps": [{"kind": "run", "s": 5}]}]), ("steps[0].repeat", "got 1000")),
    (cfg([{"repeat": 2}]), ("steps[0]", "needs 'steps'")),
    (cfg([{"repeat": 2, "steps": []}]), ("steps[0].steps", "at least one")),
    (cfg([]), ("steps", "at least one")),
    (cfg("run"), ("steps", "list")),
    (cfg([5]), ("steps[0]", "object")),
    (cfg([{"kind": "run", "s": 5}], warn_s=-1), ("warn_s", "0 to 60")),
    (cfg([{"kind": "run", "s": 5}], intensity=5), ("intensity", "10 to 100", "got 5")),
    (cfg([{"kind": "run", "s": 5}], intensity=101), ("intensity", "got 101")),
    (cfg([{"kind": "run", "s": 5}], button=[]), ("button", "object")),
    (cfg([{"kind": "run", "s": 5}], button={"long_ms": 100}), ("button.long_ms", "500 to 10000")),
    (cfg([{"kind": "run", "s": 5}], button={"double_ms": 5000}), ("button.double_ms",)),
    (cfg([{"kind": "run", "s": 5}], name=""), ("name",)),
    ({"schema": 2, "steps": [{"kind": "run", "s": 5}]}, ("schema", "must be 1", "got 2")),
    ({"steps": [{"kind": "run", "s": 5}]}, ("schema", "missing")),
    ({"schema": 1}, ("steps", "missing")),
    ([1, 2], ("JSON object",)),
]
PARAMS = {"test_each_bad_field_says_which_and_why": BAD_FIELDS}


def test_each_bad_field_says_which_and_why(case):
    config, words = case
    rejects(config, *words)


def test_unknown_keys_are_named():
    msg = rejects(cfg([{"kind": "run", "s": 5}], colour="red", beep=1), "unknown keys", "'beep'", "'colour'")
    assert msg.startswith("unknown keys")
    rejects(cfg([{"kind": "run", "sec": 5, "s": 5}]), "steps[0]", "unknown key 'sec'")
    rejects(cfg([{"repeat": 2, "steps": [{"kind": "run", "s": 5}], "x": 1}]), "steps[0]", "'x'")
    rejects(cfg([{"kind": "run", "s": 5}], button={"hold": 1}), "button", "'hold'")


def test_segment_limit_is_2000():
    half = {"repeat": 500, "steps": [{"kind": "run", "s": 15}, {"kind": "walk", "s": 15}]}
    ok = cfg([half, half])
    assert len(wk.validate(ok)) == 2000
    big = cfg([{"repeat": 999, "steps": [{"repeat": 999, "steps": [{"kind": "run", "s": 1}]}]}])
    rejects(big, "more than 2000 segments")
    over = cfg([{"kind": "walk", "s": 60}, half, half])
    rejects(over, "more than 2000")


def test_too_deep_nesting_is_refused():
    steps = [{"kind": "run", "s": 5}]
    for _ in range(9):
        steps = [{"repeat": 1, "steps": steps}]
    rejects(cfg(steps), "nest deeper")


def test_bad_json_text():
    try:
        wk.loads('{"schema": 1, "steps": [')
    except wk.ConfigError as e:
        assert "not valid JSON" in str(e)
    else:
        raise AssertionError("accepted broken JSON")
    assert len(wk.loads('{"schema": 1, "steps": [{"kind": "walk", "s": 10}]}')) == 1


# The settings with a range (lowest, highest, default; the README's table): each end
# taken, one past refused with a message that names the range, the default when missing.
SETTINGS = [((0, wk.MAX_WARN_S, wk.DEFAULT_WARN_S), ("warn_s",)), ((10, 100, 80), ("intensity",)),
            ((500, 10000, 1500), ("button.long_ms",)), ((100, 1000, 400), ("button.double_ms",))]
PARAMS["test_each_setting_range_is_its_constant"] = SETTINGS


def _with(field, v):
    if "." in field:
        group, key = field.split(".")
        return cfg([{"kind": "run", "s": 5}], **{group: {key: v}})
    return cfg([{"kind": "run", "s": 5}], **{field: v})


def test_each_setting_range_is_its_constant(case):
    (lo, hi, default), (field,) = case
    key = field.split(".")[-1]
    assert lo < default < hi
    assert getattr(wk.validate(cfg([{"kind": "run", "s": 5}])), key) == default
    assert getattr(wk.validate(_with(field, lo)), key) == lo
    assert getattr(wk.validate(_with(field, hi)), key) == hi
    for v in (lo - 1, hi + 1):
        rejects(_with(field, v), field + ": ", "from %d to %d, got %d" % (lo, hi, v))


def test_each_count_limit_is_its_constant():
    run = {"kind": "run", "s": 5}
    assert wk.validate(cfg([{"kind": "run", "s": wk.MAX_SECONDS, "label": "x" * wk.MAX_LABEL}], name="n" * wk.MAX_NAME))
    rejects(cfg([{"kind": "run", "s": wk.MAX_SECONDS + 1}]), "from 1 to %d (or null)" % wk.MAX_SECONDS)
    rejects(cfg([{"kind": "run", "s": 5, "label": "x" * (wk.MAX_LABEL + 1)}]), "at most %d characters" % wk.MAX_LABEL)
    rejects(cfg([run], name="n" * (wk.MAX_NAME + 1)), "name: ", "1 to %d characters" % wk.MAX_NAME)
    assert len(wk.validate(cfg([{"repeat": wk.MAX_REPEAT, "steps": [run]}]))) == wk.MAX_REPEAT
    rejects(cfg([{"repeat": wk.MAX_REPEAT + 1, "steps": [run]}]), "from 1 to %d, got" % wk.MAX_REPEAT)
    half = {"repeat": wk.MAX_SEGMENTS // 4, "steps": [run, run]}
    assert len(wk.validate(cfg([half, half]))) == wk.MAX_SEGMENTS
    rejects(cfg([half, half, run]), "more than %d segments" % wk.MAX_SEGMENTS)
    steps = [run]
    for _ in range(8 - 1):  # blocks nest up to 8 deep
        steps = [{"repeat": 1, "steps": steps}]
    assert len(wk.validate(cfg(steps))) == 1
    rejects(cfg([{"repeat": 1, "steps": steps}]), "deeper than 8 levels")
