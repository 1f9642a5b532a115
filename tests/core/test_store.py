import os

from runwalk import config, logfmt, logread
from runwalk.store import Store
from support import read, rmtree, tmpdir, write


def next_seq(st):
    """The number a session starting now gets, kept on flash (App.start_session, loghead.start)."""
    seq = st.peek_seq()
    st.save_seq(seq)
    return seq

GOOD = (
    '{"schema": 1, "name": "Easy 1:1",'
    ' "steps": [{"repeat": 3, "steps": [{"kind": "run", "s": 60}, {"kind": "walk", "s": 60}]}]}'
)


def test_save_then_load():
    d = tmpdir()
    st = Store(d)
    w = config.save(st, GOOD)
    assert len(w) == 6
    w2, cfg, err = config.load(st)
    assert err is None and w2.name == "Easy 1:1" and len(w2) == 6
    assert read(d + "/config.json") == GOOD.encode()
    assert read(d + "/config.good.json") == GOOD.encode()
    assert "config.json.tmp" not in os.listdir(d)
    rmtree(d)


def test_invalid_save_changes_nothing():
    d = tmpdir()
    st = Store(d)
    config.save(st, GOOD)
    for bad in ('{"schema": 1, "steps": [{"kind": "run", "s": -5}]}', "{not json", "[]"):
        try:
            config.save(st, bad)
        except ValueError as e:
            assert str(e)
        else:
            raise AssertionError("saved " + bad)
        assert read(d + "/config.json") == GOOD.encode()
    rmtree(d)


def test_bad_config_on_flash_falls_back_to_last_good_and_says_why():
    d = tmpdir()
    st = Store(d)
    config.save(st, GOOD)
    write(d + "/config.json", '{"schema": 1, "steps": [{"kind": "jog", "s": 60}]}')
    w, cfg, err = config.load(st)
    assert w.name == "Easy 1:1"
    assert "steps[0].kind" in err and "jog" in err
    assert "steps[0].kind" in read(d + "/config.err").decode()
    # fixing config.json clears the error
    write(d + "/config.json", GOOD.replace("Easy", "Fixed"))
    w, cfg, err = config.load(st)
    assert err is None and w.name == "Fixed 1:1"
    assert "config.err" not in os.listdir(d)
    assert read(d + "/config.good.json") == GOOD.replace("Easy", "Fixed").encode()
    rmtree(d)


def test_half_written_or_huge_config_never_leaves_the_band_without_a_workout():
    d = tmpdir()
    st = Store(d)
    config.save(st, GOOD)
    write(d + "/config.json", GOOD[:40])
    w, cfg, err = config.load(st)
    assert w.name == "Easy 1:1" and "not valid JSON" in err
    with open(d + "/config.json", "wb") as f:
        for i in range(40):
            f.write(b" " * 1024)
    w, cfg, err = config.load(st)
    assert w.name == "Easy 1:1" and "bytes" in err
    rmtree(d)


def test_no_config_at_all_uses_the_built_in_workout():
    d = tmpdir()
    w, cfg, err = config.load(Store(d))
    assert w.name == "Galloway 4:1" and len(w) == 18
    assert "missing" in err
    rmtree(d)


def test_session_numbers_never_repeat_even_after_deletion():
    d = tmpdir()
    st = Store(d)
    a = next_seq(st)
    f = st.open_log(a)
    f.write(logfmt.MAGIC)
    f.close()
    st.close_log(a)
    b = next_seq(st)
    assert b == a + 1
    for n in os.listdir(d + "/logs"):
        if n.endswith(".rwl"):
            os.remove(d + "/logs/" + n)
    assert next_seq(st) == b + 1
    rmtree(d)


def _open_session(st, seq, records):
    f = st.open_log(seq)
    f.write(logfmt.MAGIC + logfmt.header_bytes({"seq": seq}))
    for r in records:
        f.write(r)
    f.close()


def test_recover_closes_a_session_left_open_by_a_power_cut():
    d = tmpdir()
    st = Store(d)
    recs = [logfmt.encode(logfmt.SEG, 0, 0), logfmt.encode(logfmt.SEG, 1, 300000)]
    partial = logfmt.encode(logfmt.SEG, 0, 540000)[:2]  # cut mid-record
    _open_session(st, 3, recs + [partial])
    assert logread.recover(st) == [3]
    names = os.listdir(d + "/logs")
    assert "000003.rwl" in names and "000003.open" not in names
    dd = logread.decode(read(d + "/logs/000003.rwl"))
    assert dd["damage"] == []
    assert dd["end"] == logfmt.END_INTERRUPTED and dd["end_ms"] == 300000
    assert [s[1] for s in dd["segments"]] == [0, 300000]
    assert logread.recover(st) == []  # nothing more to do
    rmtree(d)


def test_recover_after_a_cut_between_close_and_cleanup():
    d = tmpdir()
    st = Store(d)
    _open_session(st, 4, [logfmt.encode(logfmt.END, 0, 10)])
    closed = read(d + "/logs/000004.open")
    write(d + "/logs/000004.rwl", closed)
    logread.recover(st)
    assert sorted(os.listdir(d + "/logs")) == ["000004.rwl"]
    assert read(d + "/logs/000004.rwl") == closed  # a closed session is never rewritten
    rmtree(d)


def test_make_room_frees_only_pulled_sessions_oldest_first():
    d = tmpdir()
    st = Store(d)
    os.mkdir(d + "/logs")
    for seq, ext in ((1, ".rwp"), (2, ".rwl"), (3, ".rwp")):
        write(d + "/logs/00000" + str(seq) + ext, b"x" * 10)
    free = st.free_bytes()
    assert st.make_room(0)
    assert len(os.listdir(d + "/logs")) == 3
    # ask for more than the disk has: every pulled session goes, the unpulled stays
    assert not st.make_room(free * 4)
    assert sorted(os.listdir(d + "/logs")) == ["000002.rwl"]
    rmtree(d)
