from host_tools.training import ratios as r


def s(m, sec=0):
    return (60 * m + sec) * 1000


# (first pace of the row, last pace of the row, row label, recommended ratio) straight from the source.
CHART = [
    (s(7), s(7, 29), "7:00", "6m:30s"),
    (s(7, 30), s(7, 59), "7:30", "5m:30s"),
    (s(8), s(8, 29), "8:00", "4m:30s"),
    (s(8, 30), s(8, 59), "8:30", "3m:30s"),
    (s(9), s(9, 29), "9:00", "2m:30s"),
    (s(9, 30), s(10, 44), "9:30-10:45", "1m30s:30s"),
    (s(10, 45), s(12, 14), "10:45-12:15", "1m:30s"),
    (s(12, 15), s(14, 29), "12:15-14:30", "30s:30s"),
    (s(14, 30), s(15, 44), "14:30-15:45", "15s:30s"),
    (s(15, 45), s(16, 59), "15:45-17:00", "10s:30s"),
    (s(17), s(18, 29), "17:00-18:30", "8s:30s"),
    (s(18, 30), s(20), "18:30-20:00", "5s:30s"),
]


def test_every_chart_row_boundary():
    for lo, hi, label, ratio in CHART:
        for pace in (lo, lo + 1000, hi):
            a = r.advise(pace)
            assert a.source.startswith("chart row " + label), (pace, a.source)
            assert a.ratio.text() == ratio and a.note == "", (pace, a)
    # one second before each row starts belongs to the row before it
    for (_, _, prev_label, _), (lo, _, _, _) in zip(CHART, CHART[1:], strict=False):
        assert r.chart_row(lo - 1000)[0].label == prev_label


def test_pace_is_compared_as_shown_whole_seconds():
    assert r.chart_row(s(10, 44) + 499)[0].label == "9:30-10:45"
    assert r.chart_row(s(10, 44) + 500)[0].label == "10:45-12:15"  # shown as 10:45


def test_chart_rows_list_all_their_options():
    assert [o.text() for o in r.advise(s(10)).options] == ["1m30s:30s", "1m:20s", "45s:15s", "1m:30s", "40s:20s"]
    assert [o.text() for o in r.advise(s(18)).options] == ["8s:30s", "5s:25s", "10s:30s"]
    assert "walk 40 s" in r.advise(s(7)).source


def test_outside_the_chart_gives_the_nearest_row_and_says_so():
    fast = r.advise(s(6, 30))
    assert fast.source.startswith("chart row 7:00") and "faster" in fast.note
    slow = r.advise(s(20, 1))
    assert slow.source == "chart row 18:30-20:00" and "slower" in slow.note


# (first pace, last pace, label, ratios at <55 65 70 75 80 85)
HEAT = [
    (s(9), s(9, 59), "9 min", ["2m:30s", "1m45s:30s", "1m30s:30s", "1m20s:30s", "1m10s:30s", "1m:30s"]),
    (s(10), s(10, 59), "10 min", ["1m30s:30s", "1m20s:30s", "1m10s:30s", "1m:30s", "45s:30s", "30s:30s"]),
    (s(11), s(12, 59), "11-12 min", ["1m:30s", "50s:30s", "40s:30s", "30s:30s", "20s:20s", "15s:20s"]),
    (s(13), s(14, 59), "13-14 min", ["30s:30s", "25s:30s", "20s:30s", "15s:20s", "15s:25s", "15s:30s"]),
    (s(15), s(16, 59), "15-16 min", ["15s:30s", "10s:30s", "7s:30s", "5s:30s", "walk", "walk"]),
]


def test_every_heat_row_and_column():
    temps = [50, 65, 70, 75, 80, 85]
    for lo, hi, label, cells in HEAT:
        for pace in (lo, hi):
            for temp, want, col in zip(temps, cells, r.HEAT_COLUMN_LABELS, strict=True):
                a = r.advise(pace, temp)
                assert a.ratio.text() == want, (pace, temp, a)
                assert a.source == "heat table row " + label + ", column " + col + " F"
                assert a.note == ""


def test_heat_columns_round_toward_the_hotter_column():
    assert r.heat_column(54.9) == (0, "")
    assert r.heat_column(55) == (1, "")  # not "below 55" any more
    assert r.heat_column(65) == (1, "")
    assert r.heat_column(65.1) == (2, "")
    assert r.heat_column(85) == (5, "")
    col, note = r.heat_column(95)
    assert col == 5 and "hotter" in note
