"""Terraform's date and time functions that do not read the clock: formatdate, timeadd.

Timestamps are RFC 3339 (`2018-01-02T23:12:01Z`, fractions and offsets allowed), as
Terraform's `time.Parse(time.RFC3339, ...)` reads them; durations are Go's
(`time.ParseDuration`: "1h30m", "-1.5h", "300ms", "2us").
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import NoReturn

from ..interpreter import check_string, concrete
from ..values import EvalError, Unknown, Value, to_string

_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})\Z"
)
_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 10**9}
_NS |= {"m": 60 * 10**9, "h": 3600 * 10**9}
_DURATION_PART = re.compile(r"(\d*)(?:\.(\d*))?([a-zµμ]+)")
_MONTHS = "January February March April May June July August September October November December"
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"


def _unknown(reason: str) -> NoReturn:
    from ..interpreter import UnknownHit

    raise UnknownHit(Unknown(reason))


def _parse(text: Value) -> tuple[datetime, int, bool]:
    """(time to the second, with its offset), nanoseconds, whether the zone was written Z."""
    s = to_string(concrete(text))
    m = _TIMESTAMP.match(s)
    if m is None:
        raise EvalError(f"not a valid RFC3339 timestamp: {s!r}")
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    frac, zone = m.group(7) or "", m.group(8)
    if zone == "Z":
        tz = timezone.utc
    else:
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            raise EvalError(f"not a valid RFC3339 timestamp: {s!r}")
        sign = -1 if zone[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        t = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        raise EvalError(f"not a valid RFC3339 timestamp: {s!r}") from None
    return t, int((frac + "000000000")[:9]), zone == "Z"


def _rfc3339(t: datetime) -> str:
    offset = t.utcoffset() or timedelta(0)
    text = f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    return text + ("Z" if offset == timedelta(0) else _offset(offset, ":"))


def _offset(offset: timedelta, sep: str) -> str:
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}{sep}{minutes:02d}"


def _duration_ns(text: Value) -> int:
    s = to_string(concrete(text))
    body = s[1:] if s[:1] in "+-" else s
    if body == "0":
        return 0
    total, pos = 0, 0
    while pos < len(body):
        m = _DURATION_PART.match(body, pos)
        if m is None or not (m.group(1) or m.group(2)) or m.group(3) not in _NS:
            raise EvalError(f"invalid duration {s!r}")
        unit = _NS[m.group(3)]
        frac = m.group(2) or ""
        total += int(m.group(1) or 0) * unit + (int(frac) * unit // 10 ** len(frac) if frac else 0)
        pos = m.end()
    if not body or total > 2**63 - 1:
        raise EvalError(f"invalid duration {s!r}")
    return -total if s.startswith("-") else total


def timeadd(timestamp: Value, duration: Value) -> str:
    t, ns, _ = _parse(timestamp)
    total = ns + _duration_ns(duration)
    try:
        result = t + timedelta(seconds=total // 10**9)  # Go prints whole seconds, floored
    except OverflowError:
        _unknown("timeadd() of a time outside the years 1 to 9999")
    return _rfc3339(result)


_TOKEN = re.compile(r"'(?:[^']|'')*'?|([A-Za-z])\1*|[^A-Za-z']+")


def formatdate(spec: Value, timestamp: Value) -> str:
    fmt = to_string(concrete(spec))
    t, _, written_z = _parse(timestamp)
    out: list[str] = []
    for m in _TOKEN.finditer(fmt):
        tok = m.group(0)
        if tok.startswith("'"):
            if len(tok) < 2 or not tok.endswith("'") or tok == "'":
                raise EvalError("unterminated literal in formatdate")
            out.append(tok[1:-1].replace("''", "'"))
        elif tok[0].isascii() and tok[0].isalpha():
            out.append(_verb(tok, t, written_z))
        else:
            out.append(tok)
    return check_string("".join(out))


def _verb(tok: str, t: datetime, written_z: bool) -> str:
    h12 = t.hour % 12 or 12
    offset = t.utcoffset() or timedelta(0)
    verbs = {
        "YYYY": f"{t.year:04d}",
        "YY": f"{t.year % 100:02d}",
        "MMMM": _MONTHS.split()[t.month - 1],
        "MMM": _MONTHS.split()[t.month - 1][:3],
        "MM": f"{t.month:02d}",
        "M": str(t.month),
        "DD": f"{t.day:02d}",
        "D": str(t.day),
        "EEEE": _DAYS.split()[t.weekday()],
        "EEE": _DAYS.split()[t.weekday()][:3],
        "hh": f"{t.hour:02d}",
        "h": str(t.hour),
        "HH": f"{h12:02d}",
        "H": str(h12),
        "AA": "AM" if t.hour < 12 else "PM",
        "aa": "am" if t.hour < 12 else "pm",
        "mm": f"{t.minute:02d}",
        "m": str(t.minute),
        "ss": f"{t.second:02d}",
        "s": str(t.second),
        "ZZZZZ": _offset(offset, ":"),
        "ZZZZ": _offset(offset, ""),
        "Z": "Z" if offset == timedelta(0) else _offset(offset, ":"),
    }
    if tok == "ZZZ":
        if written_z:
            return "UTC"
        # Go names an offset after the zone of the machine Terraform runs on, if they match
        _unknown("formatdate()'s ZZZ of an offset depends on the time zone Terraform runs in")
    if tok not in verbs:
        raise EvalError(f"invalid date format verb {tok!r}")
    return verbs[tok]


FUNCTIONS = {"formatdate": formatdate, "timeadd": timeadd}
