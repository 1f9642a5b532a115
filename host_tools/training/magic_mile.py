"""Predicted paces from a Magic Mile time (Galloway's formulas).

Per mile, from the Magic Mile time MM (jeffgalloway.com, "Magic Mile";
Galloway, The Run Walk Run Method):

    5K          MM + 33 s
    10K         MM x 1.15
    10 miles    MM x 1.175
    half        MM x 1.2
    marathon    MM x 1.3
    long runs   MM x 1.3 + at least 2:00, plus 0:30 for every 5 F above 60 F

The race predictions assume the training is done, 60 F or cooler and even
pacing. Times are kept in milliseconds and rounded to the second only for
display, so a 9:58.6 mile is not rounded twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

FIVE_K_ADD_MS = 33_000
LONG_RUN_ADD_MS = 120_000
HEAT_BASE_F = 60
HEAT_STEP_F = 5
HEAT_ADD_MS = 30_000

# (key, label, multiplier, added ms): the table above, as data.
RACES: tuple[tuple[str, str, Fraction, int], ...] = (
    ("5k", "5K", Fraction(1), FIVE_K_ADD_MS),
    ("10k", "10K", Fraction(115, 100), 0),
    ("10mi", "10 miles", Fraction(1175, 1000), 0),
    ("half", "half marathon", Fraction(12, 10), 0),
    ("marathon", "marathon", Fraction(13, 10), 0),
)

# A Magic Mile outside this range is almost surely a typo or a bad log
# (faster than the mile world record, or slower than a brisk walk).
MIN_MM_MS = 3 * 60_000 + 43_000
MAX_MM_MS = 30 * 60_000


@dataclass(frozen=True)
class Prediction:
    key: str
    label: str
    pace_ms: int  # per mile
    or_slower: bool = False  # long runs: this pace "or slower"


def _round_ms(x: Fraction) -> int:
    return int(x + Fraction(1, 2))  # half up; x is never negative


def heat_steps(temp_f: float | None) -> int:
    """How many 5 F steps above 60 F; a started step counts (the safer side)."""
    if temp_f is None or temp_f <= HEAT_BASE_F:
        return 0
    over = Fraction(temp_f).limit_denominator(1000) - HEAT_BASE_F
    steps = over // HEAT_STEP_F
    return int(steps) + (1 if over % HEAT_STEP_F else 0)


def long_run_pace_ms(mm_ms: int, temp_f: float | None = None) -> int:
    """The slowest-fast pace for long runs: MM x 1.3 + 2:00 (+ 0:30 per 5 F above 60 F)."""
    return _round_ms(Fraction(mm_ms) * Fraction(13, 10)) + LONG_RUN_ADD_MS + HEAT_ADD_MS * heat_steps(temp_f)


def check_mm(mm_ms: int) -> None:
    from host_tools.errors import RunwalkError

    if not MIN_MM_MS <= mm_ms <= MAX_MM_MS:
        raise RunwalkError(
            "a Magic Mile of " + fmt_pace(mm_ms) + " is outside " + fmt_pace(MIN_MM_MS) + " to " + fmt_pace(MAX_MM_MS)
        )


def predict(mm_ms: int, temp_f: float | None = None) -> list[Prediction]:
    """Race paces per mile and the long-run pace for a Magic Mile of mm_ms."""
    check_mm(mm_ms)
    out = [Prediction(key, label, _round_ms(Fraction(mm_ms) * mul) + add) for key, label, mul, add in RACES]
    out.append(Prediction("long", "long runs", long_run_pace_ms(mm_ms, temp_f), or_slower=True))
    return out


def fmt_time(ms: int) -> str:
    """A measured time as a stopwatch shows it: 9:41.25 (hundredths, when there are any)."""
    cs = (ms + 5) // 10
    whole = fmt_pace(cs // 100 * 1000)
    return whole if cs % 100 == 0 else "%s.%02d" % (whole, cs % 100)


def fmt_pace(ms: int) -> str:
    """m:ss, rounded to the nearest second (h:mm:ss from an hour)."""
    s = (ms + 500) // 1000
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return "%d:%02d:%02d" % (h, m, sec) if h else "%d:%02d" % (m, sec)


def mile_time_ms(session: Any) -> int:
    """The mile's time in a pulled Magic Mile session (a host_tools.store.model.Session).

    The mile is the segment labelled "mile": from the double-click that started
    it to the one that ended it, time paused inside it left out.
    """
    from host_tools.errors import RunwalkError

    miles = [g for g in session.segments if g.label == "mile"]
    # Both say what to do instead: `--from-session last` after a pull that brought a run after the test
    # said only "was it a Magic Mile workout?".
    if not miles:
        name = " (%s)" % session.config_name if session.config_name else ""
        raise RunwalkError("session %s%s has no segment labelled 'mile', so it is no Magic Mile test: give the test's "
                           "session (`runwalk logs list` numbers them) or its time, e.g. `runwalk plan magic-mile "
                           "10:00`" % (session.id, name))
    g = miles[0]
    if not g.skipped:
        raise RunwalkError(
            "session %s: the mile was never finished with a double-click (the session ended during it); if you "
            "timed it, give the time, e.g. `runwalk plan magic-mile 10:00`" % session.id
        )
    return session.moving_ms(g)
