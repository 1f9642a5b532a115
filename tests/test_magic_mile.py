from host_tools.training import magic_mile as mm


def paces(mm_ms, temp=None):
    return {p.key: mm.fmt_pace(p.pace_ms) for p in mm.predict(mm_ms, temp)}


def test_source_worked_example():
    # jeffgalloway.com: MM 10:00 -> 5K 10:33, 10K 11:30, half 12:00, marathon 13:00, long runs 15:00+
    p = paces(600_000)
    assert p == {"5k": "10:33", "10k": "11:30", "10mi": "11:45", "half": "12:00", "marathon": "13:00", "long": "15:00"}
    long = mm.predict(600_000)[-1]
    assert long.or_slower and long.label == "long runs"


def test_formulas_on_an_uneven_time():
    # 8:20 = 500 s: 5K +33 s, 10K x1.15 = 575, 10 mi x1.175 = 587.5 -> 588, half 600, marathon 650, long 650+120
    p = paces(500_000)
    assert p == {"5k": "8:53", "10k": "9:35", "10mi": "9:48", "half": "10:00", "marathon": "10:50", "long": "12:50"}


def test_milliseconds_are_not_rounded_twice():
    # 9:58.6 x 1.3 = 778.18 s -> 12:58, whereas 9:59 x 1.3 = 778.7 s would give 12:59
    assert paces(598_600)["marathon"] == "12:58"


def test_heat_adds_30s_per_started_5F_above_60F():
    base = mm.long_run_pace_ms(600_000)
    assert mm.long_run_pace_ms(600_000, 60) == base
    assert mm.long_run_pace_ms(600_000, 45) == base
    assert mm.long_run_pace_ms(600_000, 61) == base + 30_000
    assert mm.long_run_pace_ms(600_000, 65) == base + 30_000
    assert mm.long_run_pace_ms(600_000, 65.5) == base + 60_000
    assert mm.long_run_pace_ms(600_000, 80) == base + 120_000
    # Race predictions assume 60 F or cooler: heat changes only the long run.
    hot = paces(600_000, 80)
    assert hot["long"] == "17:00" and hot["marathon"] == "13:00"


def test_implausible_mile_times_are_refused():
    from host_tools.errors import RunwalkError

    for bad in (60_000, 3 * 60_000, 31 * 60_000):
        try:
            mm.predict(bad)
        except RunwalkError as e:
            assert "outside" in str(e)
        else:
            raise AssertionError("accepted a Magic Mile of %d ms" % bad)


def test_measured_times_show_hundredths():
    assert mm.fmt_time(581_250) == "9:41.25"
    assert mm.fmt_time(600_000) == "10:00"
    assert mm.fmt_time(599_996) == "10:00"
    assert mm.fmt_time(61_040) == "1:01.04"
