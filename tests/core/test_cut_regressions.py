# Regressions found by the power-cut campaign (torture/), at core level.
import os

from runwalk import logfmt, logread
from runwalk.store import Store
from support import read, rmtree, tmpdir


def next_seq(st):
    """The number a session starting now gets, kept on flash (App.start_session, loghead.start)."""
    seq = st.peek_seq()
    st.save_seq(seq)
    return seq


def test_a_session_cut_before_its_header_reached_flash_is_dropped_not_kept_nameless():
    # The campaign cut the power between opening a session's log and flushing its
    # header, twice: recovery left two identical 7-byte logs (magic + end) with no
    # band id or number, and the host's pull took the second for the first.
    d = tmpdir()
    st = Store(d)
    for seq, data in ((1, b""), (2, logfmt.MAGIC), (3, logfmt.MAGIC + logfmt.header_bytes({"seq": 3})[:5])):
        assert next_seq(st) == seq
        f = st.open_log(seq)
        f.write(data)
        f.close()
    logread.recover(st)
    assert sorted(os.listdir(d + "/logs")) == ["seq"]
    assert next_seq(st) == 4  # the numbers are not given out again
    rmtree(d)


def test_a_session_cut_right_after_its_header_keeps_it_and_is_marked_interrupted():
    d = tmpdir()
    st = Store(d)
    seq = next_seq(st)
    f = st.open_log(seq)
    f.write(logfmt.MAGIC + logfmt.header_bytes({"seq": seq, "uid": "b1"}))
    f.close()
    logread.recover(st)
    dd = logread.decode(read(d + "/logs/000001.rwl"))
    assert dd["header"] == {"seq": 1, "uid": "b1"} and dd["damage"] == []
    assert dd["end"] == logfmt.END_INTERRUPTED and dd["segments"] == []
    rmtree(d)
