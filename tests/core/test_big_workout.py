# The largest workout config.json may hold (docs/log-format.md): about 30 KB, some 460
# labelled steps (the limit is 32 KB). Decoded into JSON objects it takes more
# than a 64 KB heap (about 78 KB on the 64-bit unix port, 54 KB on the 32-bit
# one); read as it streams (runwalk.cfgstream) it is held as records
# (runwalk.records), and loads, walks and writes its log header on the unix port
# at 64 KB and on the 32-bit port.
import gc

from runwalk import config, logfmt, loghead, ticks_diff
from runwalk.store import Store
from support import rmtree, tmpdir

KINDS = ("walk", "run")


def _step(i):
    lab = "step %d " % i
    return '{"kind": "%s", "s": %d, "label": "%s"}' % (KINDS[i % 2], 60 + i, lab + "x" * (24 - len(lab)))


def write_big(path, limit=30000):
    """config.json of as many labelled steps as fit in `limit` bytes, written a
    step at a time (the text would take half the heap); how many steps."""
    head = '{"schema": 1, "name": "Big", "warn_s": 0, "steps": ['
    n = len(head) + 2
    i = 0
    with open(path, "wb") as f:
        f.write(head.encode())
        while n + len(_step(i)) + 2 <= limit:
            if i:
                f.write(b", ")
            t = _step(i)
            f.write(t.encode())
            n += len(t) + 2
            i += 1
        f.write(b"]}")
    return i


def _used():
    gc.collect()
    return gc.mem_alloc() if hasattr(gc, "mem_alloc") else 0


def _measures():
    """True if gc.mem_alloc() tells what is held: on CPython there is none, and
    the WebAssembly port's gc.collect() frees nothing while Python runs."""
    a = _used()
    junk = [bytearray(2048)]
    junk.pop()
    return hasattr(gc, "mem_alloc") and _used() - a < 1024


def test_the_largest_workout_loads_in_a_few_kb_and_walks_whole():
    d = tmpdir()
    n = write_big(d + "/config.json")
    assert n > 400
    measures = _measures()
    before = _used()
    w, cfg, err = config.load(Store(d))
    held = _used() - before
    assert err is None and cfg is None and w.name == "Big" and len(w) == n, (err, n)
    # 6 bytes a step, its labels left in config.json: measured 3.4 KB on the
    # 64-bit unix port (with runwalk.records' code, 6 KB at most).
    if measures:
        assert held < 8 * 1024, held
    for i in range(n):
        lab = "step %d " % i
        assert w.kind_name(i) == KINDS[i % 2] and w.dur_ms(i) == (60 + i) * 1000
        assert w.label(i) == lab + "x" * (24 - len(lab))
    assert w.label(3) == "step 3 xxxxxxxxxxxxxxxxx"  # back to the start: walks again
    rmtree(d)


class _Null:
    """A log file that only counts what is written to it."""

    def __init__(self):
        self.n = 0

    def write(self, b):
        self.n += len(b)

    def flush(self):
        pass


def test_its_log_header_is_written_a_step_at_a_time():
    d = tmpdir()
    n = write_big(d + "/config.json")
    w = config.load(Store(d))[0]
    f = _Null()
    wr = logfmt.Writer(f, 0, ticks_diff)
    info = {"seq": 1, "uid": "e66038b7134f4a2d", "start": 0, "name": w.name, "warn_s": w.warn_s, "fw": "1"}
    assert loghead.write(wr, info, w.steps)
    # Its steps are no longer than config.json had them (compact JSON).
    assert 20000 < f.n < logfmt.MAX_HEADER and n > 400
    rmtree(d)


def test_its_header_opens_the_labels_file_once_not_once_a_label():
    # Each open is a littlefs path look-up on the band: one per label (twice over, as
    # the header is counted first) held the start cue on for about a second.
    import builtins

    d = tmpdir()
    write_big(d + "/config.json")
    w = config.load(Store(d))[0]
    real = builtins.open
    opened = []

    def counting_open(path, *args):
        opened.append(path)
        return real(path, *args)

    builtins.open = counting_open
    try:
        f = _Null()
        assert loghead.write(logfmt.Writer(f, 0, ticks_diff), {"seq": 1, "name": w.name}, w.steps)
    finally:
        builtins.open = real
    assert len(opened) == 1 and f.n > 20000, len(opened)
    # Released: a label read later opens the file for itself, as it did before.
    assert w.label(5) == "step 5 " + "x" * 17
    rmtree(d)


def test_a_config_the_stream_reader_leaves_to_the_validator_gets_its_message():
    d = tmpdir()
    with open(d + "/config.json", "wb") as f:
        f.write(b'{"schema": 1, "steps": [{"kind": "run", "s": 60}, ')
        f.write(b'{"repeat": 2, "steps": [{"kind": "jog", "s": 5}]}]}')
    w, cfg, err = config.load(Store(d))
    assert err == "steps[1].steps[0].kind: must be run, walk or sprint, got 'jog'", err
    with open(d + "/config.json", "wb") as f:
        f.write(b'{"schema": 1, "steps": [{"kind": "run", "s": 60}], "warn_s": 99}')
    w, cfg, err = config.load(Store(d))
    assert err == "warn_s: must be a whole number of seconds from 0 to 60, got 99", err
    rmtree(d)


def test_labels_written_with_escapes_are_kept_decoded():
    # Longer than what is decoded whole (2 KB), so read as a stream; labels with
    # escapes cannot be read back from the file as they are, and are kept decoded.
    d = tmpdir()
    labels = ["caf\\u00e9", 'say \\"go\\"', "plain", "a\\\\b"]
    with open(d + "/config.json", "wb") as f:
        f.write(b'{"schema": 1, "name": "Esc", "steps": [')
        for i in range(60):
            f.write(('%s{"kind": "run", "s": %d, "label": "%s"}' % ("," if i else "", 10 + i, labels[i % 4])).encode())
        f.write(b"]}")
    w, cfg, err = config.load(Store(d))
    assert err is None and len(w) == 60, err
    assert [w.label(i) for i in range(4)] == ["caf\u00e9", 'say "go"', "plain", "a\\b"]
    assert w.label(59) == "a\\b" and w.dur_ms(59) == 69000
    rmtree(d)

