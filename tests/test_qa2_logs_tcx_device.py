"""TCX exports of one band name one device, the one its FIT exports name.

Before: the TCX Creator's UnitId was the session's number, so every run of the same band came
from another unit (1, 2, 3...) for a site that keeps a list of the runner's devices, and none was
the serial number the FIT export of the same session gives its band.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import fitdecode
from hostlogs import make_log

from host_tools.exports import fit as export_fit
from host_tools.exports import tcx as export_tcx
from host_tools.store import model

TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
START = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def unit_id(s: model.Session) -> int:
    root = ET.fromstring(export_tcx.render(s, START))
    return int(root.find(".//%sCreator/%sUnitId" % (TCX, TCX)).text)  # type: ignore[union-attr, arg-type]


def fit_serial(s: model.Session) -> int:
    with fitdecode.FitReader(export_fit.render(s, START)) as r:
        return next(f.get_value("serial_number") for f in r
                    if isinstance(f, fitdecode.FitDataMessage) and f.name == "file_id")


def test_one_band_is_one_unit() -> None:
    a, b = (model.from_log(make_log(uid="e6614104033b5a2f", seq=n)) for n in (1, 2))
    other = model.from_log(make_log(uid="another", seq=1))
    assert unit_id(a) == unit_id(b) == fit_serial(a) == fit_serial(b)
    assert unit_id(other) != unit_id(a) and 0 < unit_id(a) < 2**32  # (xsd:unsignedInt)
