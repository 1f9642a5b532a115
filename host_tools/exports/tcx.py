"""`logs export --format tcx`: Garmin Training Center XML v2 with one lap per segment.

TCX knows two lap intensities, Active and Resting: runs and sprints are Active,
walks Resting; the segment's kind and label (warmup, cooldown) go in the lap's
Notes. Each lap holds time-only Trackpoints at its start and end; a pause ends
the lap's Track and the next Track starts at the resume, which is how TCX
readers tell paused time from moving time.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from host_tools.store.model import Segment, Session

NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
# What XML 1.0 allows in text is not all of Unicode (its Char production): the rest becomes U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _tracks(s: Session, g: Segment) -> list[list[int]]:
    """Trackpoint times (ms) of the segment, split into one list per unpaused stretch."""
    tracks = [[g.start_ms]]
    for p in s.pauses:
        if p.start_ms >= g.end_ms or p.end_ms <= g.start_ms:
            continue
        if p.start_ms > g.start_ms:
            tracks[-1].append(p.start_ms)
        if p.end_ms < g.end_ms:
            tracks.append([p.end_ms])
        else:
            return [t for t in tracks if t]
    tracks[-1].append(g.end_ms)
    return tracks


def render(s: Session, start: dt.datetime) -> bytes:
    def at(ms: int) -> str:
        return _iso(start + dt.timedelta(milliseconds=ms))

    ET.register_namespace("", NS)
    root = ET.Element("{%s}TrainingCenterDatabase" % NS)
    acts = ET.SubElement(root, "{%s}Activities" % NS)
    act = ET.SubElement(acts, "{%s}Activity" % NS, Sport="Running")
    ET.SubElement(act, "{%s}Id" % NS).text = at(0)

    def sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
        e = ET.SubElement(parent, "{%s}%s" % (NS, tag))
        if text is not None:
            e.text = xml_text(text)
        return e

    for g in s.segments:
        lap = ET.SubElement(act, "{%s}Lap" % NS, StartTime=at(g.start_ms))
        sub(lap, "TotalTimeSeconds", "%.3f" % (s.moving_ms(g) / 1000))
        sub(lap, "DistanceMeters", "0")
        sub(lap, "Calories", "0")
        sub(lap, "Intensity", "Resting" if g.kind == "walk" else "Active")
        sub(lap, "TriggerMethod", "Manual" if g.skipped else "Time")
        for times in _tracks(s, g):
            track = sub(lap, "Track")
            for ms in times:
                sub(sub(track, "Trackpoint"), "Time", at(ms))
        sub(lap, "Notes", g.kind + (" (%s)" % g.label if g.label else "") + (", skipped" if g.cut_short else ""))
    notes = s.config_name or "runwalk"
    sub(act, "Notes", notes)
    creator = ET.SubElement(act, "{%s}Creator" % NS)
    creator.set("{http://www.w3.org/2001/XMLSchema-instance}type", "Device_t")
    sub(creator, "Name", "runwalk band")
    sub(creator, "UnitId", str(s.band_number))  # the FIT export's serial number: one device
    sub(creator, "ProductID", "0")
    ver = sub(creator, "Version")
    sub(ver, "VersionMajor", "1")
    sub(ver, "VersionMinor", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
