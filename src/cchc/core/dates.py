"""Day-first dates in Asia/Ho_Chi_Minh, as Vietnamese official style writes them."""

import calendar
import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_DMY = re.compile(
    r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
    r"(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM|SA|CH)?)?\s*$",
    re.IGNORECASE,
)
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\s*$")


class UnknownDate(dt.datetime):
    """The date of a post whose date is unknown (``date_status: khong-ro``): a value, not a
    marker undone by tests of the status. Pelican needs a datetime to sort by; this one is
    01/01/1970 +07:00, before every real date, so newest-first lists put such posts last. It is
    never shown: ask ``is_unknown`` (the Jinja test ``unknown_date``) or take ``known(date)``
    (the filter ``known_date``): the date, or None."""

    def __new__(cls, *args, **kwargs):
        # With arguments: what datetime's own methods (replace, astimezone, unpickling by
        # Pelican's content cache) build from one: still an unknown date.
        return super().__new__(cls, *(args or (1970, 1, 1)), **(kwargs if args else {"tzinfo": VN_TZ}))

    def __repr__(self):
        return "UnknownDate()"


UNKNOWN_DATE = UnknownDate()


def is_unknown(value):
    """True for the unknown date (``UNKNOWN_DATE``), False for a date and for no date at all."""
    return isinstance(value, UnknownDate)


def known(value):
    """*value* when it is a known date, else None (unknown, missing or not a date)."""
    return value if isinstance(value, dt.date) and not isinstance(value, UnknownDate) else None


class DateError(ValueError):
    """A date that is not a valid day-first date."""


def parse_vi_date(value):
    """Parse a day-first date ("25/11/2021", "14/05/2015 10:06:10", ISO "2021-11-25").

    Returns an aware datetime in +07:00. Raises DateError (with a Vietnamese message)
    for anything else, including month-first dates such as 11/25/2021 and the
    ASP.NET empty date 1/1/0001.
    """
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=VN_TZ)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=VN_TZ)
    text = str(value)
    m = _DMY.match(text)
    if m:
        day, month, year, hour, minute, second, ampm = m.groups()
    else:
        m = _ISO.match(text)
        if not m:
            raise DateError(
                f"“{text}” không phải ngày hợp lệ; hãy viết ngày/tháng/năm, ví dụ 25/11/2021 "
                "hoặc 25/11/2021 15:39"
            )
        year, month, day, hour, minute, second = m.groups()
        ampm = None
    hour_i = int(hour or 0)
    if ampm:
        ampm = ampm.upper()
        if hour_i > 12:
            raise DateError(f"“{text}”: giờ {hour_i} không đi với {ampm}")
        if ampm in ("PM", "CH") and hour_i < 12:
            hour_i += 12
        if ampm in ("AM", "SA") and hour_i == 12:
            hour_i = 0
    if int(year) < 1900:
        raise DateError(f"“{text}” là ngày giữ chỗ hoặc năm không hợp lệ ({year})")
    reason = _impossible(int(day), int(month), int(year))
    if reason:
        hint = ""
        if m.re is _DMY and not _impossible(int(month), int(day), int(year)):
            # Only a swap that gives a real date is offered (11/25/2021 → 25/11/2021).
            swapped = text.strip()
            cut = m.end(2) - m.start(0)
            head = swapped[:cut]
            sep = head[m.end(1) - m.start(0)]
            swapped = f"{month}{sep}{day}" + swapped[cut:]
            hint = f"; ngày viết trước tháng, có phải là {swapped}?"
        raise DateError(f"“{text}” không phải ngày có thật: {reason}{hint}")
    if hour_i > 23 or int(minute or 0) > 59 or int(second or 0) > 59:
        raise DateError(f"“{text}”: giờ {hour}:{minute} không có thật (giờ từ 0 đến 23, phút từ 0 đến 59)")
    return dt.datetime(
        int(year), int(month), int(day), hour_i, int(minute or 0), int(second or 0), tzinfo=VN_TZ,
    )


def _impossible(day, month, year):
    """Why day/month/year is not a date, in Vietnamese ("" when it is one)."""
    if not 1 <= month <= 12:
        return f"không có tháng {month} (tháng từ 1 đến 12)"
    last = calendar.monthrange(year, month)[1]
    if day < 1:
        return f"không có ngày {day}"
    if day > last:
        return f"tháng {month} năm {year} chỉ có {last} ngày"
    return ""


def format_vi_date(value, style="long"):
    """Official style "ngày 25 tháng 11 năm 2021" (long) or "25/11/2021" (short)."""
    if style == "short":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    # Nghị định 30/2020/NĐ-CP, Phụ lục I: days below 10 and the months 1 and 2 take a
    # leading zero (so "1" cannot be turned into "11" or "12"); other months do not.
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def build_now(settings=None):
    """The moment a build publishes for, the one "now" of scheduling (cchc_schedule) and feeds.

    ``CCHC_SCHEDULE["NOW"]`` in the Pelican *settings*, then ``CCHC_NOW`` (ISO 8601 or
    day-first), then ``SOURCE_DATE_EPOCH`` (reproducible builds), then the clock. Naive values
    are Vietnam time.
    """
    value = ((settings or {}).get("CCHC_SCHEDULE") or {}).get("NOW") \
        or os.environ.get("CCHC_NOW", "").strip()
    if value:
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=VN_TZ)
        try:
            parsed = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return parse_vi_date(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN_TZ)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), VN_TZ)
        except ValueError:
            raise DateError(f"SOURCE_DATE_EPOCH={epoch!r} không phải số giây") from None
    return dt.datetime.now(VN_TZ)
