from runwalk import logfmt, loghead, logread, planload, ticks_add, ticks_diff


def sample(bounds=None):
    """A small real log: header, 3 segments, a pause, a skip, the end."""
    buf = bytearray(logfmt.MAGIC)
    buf += logfmt.header_bytes({"seq": 7, "name": "T", "steps": [{"kind": "run", "s": 60}]})
    buf += logfmt.encode(logfmt.SEG, 0, 0)
    buf += logfmt.encode(logfmt.SEG, 1, 300000)
    buf += logfmt.encode(logfmt.PAUSE, 0, 400000)
    buf += logfmt.encode(logfmt.RESUME, 0, 430000)
    buf += logfmt.encode(logfmt.SEG, 0 | logfmt.SEG_SKIPPED, 500000)
    buf += logfmt.encode(logfmt.NOTE, logread.NOTE_BATTERY_MV, 500000, 3912)
    buf += logfmt.encode(logfmt.END, logfmt.END_STOPPED, 560000)
    if bounds is not None:
        i = len(logfmt.MAGIC)
        while i < len(buf):
            i = logread.parse_record(buf, i)[4]
            bounds.append(i)
    return bytes(buf)


def test_decode_round_trip():
    d = logread.decode(sample())
    assert d["damage"] == []
    assert d["header"]["seq"] == 7 and d["header"]["name"] == "T"
    assert d["segments"] == [[0, 0, 300000, False], [1, 300000, 500000, False], [0, 500000, 560000, True]]
    assert d["pauses"] == [[400000, 430000]]
    assert d["end"] == logfmt.END_STOPPED and d["end_ms"] == 560000
    names = [e[1] for e in d["events"]]
    assert names == ["segment", "segment", "pause", "resume", "skip", "segment", "note", "end"]


def test_segment_records_are_small():
    # A 35-minute segment start costs 5 bytes: tag, 3 bytes of time, checksum.
    assert len(logfmt.encode(logfmt.SEG, 1, 2000000)) == 5
    assert len(logfmt.encode(logfmt.SEG, 1, 86400000)) == 6


def test_truncated_tail_keeps_every_good_record():
    bounds = []
    data = sample(bounds)
    full = logread.decode(data)
    for cut in range(len(data) - 1, 4, -1):
        d = logread.decode(data[:cut])
        assert len(d["segments"]) <= len(full["segments"])
        # whatever was read is what the full log says
        for a, b in zip(d["segments"], full["segments"]):
            assert a[0] == b[0] and a[1] == b[1]
        # a cut inside a record is reported; a cut between records is a shorter log
        assert bool(d["damage"]) == (cut not in bounds), cut
    d = logread.decode(data[:-1])
    assert d["end"] is None and len(d["segments"]) == 3
    assert d["damage"][0].startswith("truncated")


def test_corrupt_middle_record_is_skipped_and_reported():
    data = bytearray(sample())
    # flip a bit in the PAUSE record: find it by its tag after the header
    i = data.index(bytes([logfmt.PAUSE]), 40)
    data[i + 1] ^= 0x10
    d = logread.decode(bytes(data))
    assert len(d["damage"]) == 1 and d["damage"][0].startswith("corrupt")
    assert d["end"] == logfmt.END_STOPPED
    assert [s[1] for s in d["segments"]] == [0, 300000, 500000]


def test_not_a_log():
    d = logread.decode(b"hello world")
    assert d["damage"] and "not a runwalk log" in d["damage"][0]
    assert d["segments"] == []
    d = logread.decode(b"")
    assert d["damage"]


def test_scan_finds_the_good_prefix():
    data = sample()
    good, ended, last = logread.scan(data)
    assert good == len(data) and ended and last == 560000
    good, ended, last = logread.scan(data[:-3])
    assert not ended and good < len(data) - 3 and last == 500000



def test_a_session_past_a_year_keeps_its_times():
    # Times are summed record to record (runwalk.logfmt.Writer), so a session of any length
    # keeps them; past 2**35 ms (397 days) the time takes a 6th varint byte, which the
    # reader and the band's boot scan take (and the plan's tail reader: an 8-byte END).
    t = 2 ** 41 + 12345
    data = (bytes(logfmt.MAGIC) + logfmt.encode(logfmt.SEG, 1, 0) + logfmt.encode(logfmt.SEG, 0, t - 1)
            + logfmt.encode(logfmt.END, logfmt.END_COMPLETED, t))
    damage = []
    assert [(r, a, x) for (r, a, x, p) in logread.records(data, damage)] == [
        (logfmt.SEG, 1, 0), (logfmt.SEG, 0, t - 1), (logfmt.END, logfmt.END_COMPLETED, t)]
    assert damage == []
    assert logread.scan(data) == (len(data), True, t)
    end = logfmt.encode(logfmt.END, logfmt.END_COMPLETED, t)
    assert len(end) == 8 and planload.tail_end(data[-8:]) == logfmt.END_COMPLETED


class MemFile:
    def __init__(self, fail_after=None):
        self.data = bytearray()
        self.flushes = 0
        self.fail_after = fail_after

    def write(self, b):
        if self.fail_after is not None and len(self.data) + len(b) > self.fail_after:
            raise OSError(28)  # ENOSPC
        self.data += b

    def flush(self):
        self.flushes += 1

    def close(self):
        pass


def test_writer_flushes_every_record_and_uses_relative_time():
    f = MemFile()
    t0 = ticks_add(0, -1000)  # across a ticks wrap
    w = logfmt.Writer(f, t0, ticks_diff)
    loghead.write(w, {"seq": 1}, None)
    w.record(logfmt.SEG, 1, t0)
    w.record(logfmt.SEG, 0, ticks_add(t0, 240000))
    w.record(logfmt.END, logfmt.END_COMPLETED, ticks_add(t0, 300000))
    assert f.flushes == 4
    d = logread.decode(bytes(f.data))
    assert [s[1] for s in d["segments"]] == [0, 240000]
    assert d["end_ms"] == 300000


def test_full_flash_stops_logging_not_the_workout():
    f = MemFile(fail_after=40)
    w = logfmt.Writer(f, 0, ticks_diff)
    loghead.write(w, {"seq": 1}, None)
    n = 0
    for i in range(20):
        if w.record(logfmt.SEG, i & 1, i * 1000):
            n += 1
    assert w.failed is not None
    d = logread.decode(bytes(f.data))
    assert len(d["segments"]) == n and d["damage"] == []
