"""Reporting periods and the status of a target against its results: each rule written once.

Periods: the forms CCHC reports are named by ("quý I/2025", "6 tháng đầu năm 2025", "năm 2025")
→ a :class:`Period` (kind, year, first and last day). The table :data:`PERIOD_FORMS` is the rule.

Status: :func:`target_status` decides đạt / chưa đạt / chưa đến hạn / chưa có số liệu from the
target's comparator, the indicator's better direction (for "=") and the results' as-of dates.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .text import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Period:
    """One reporting period: ``kind`` is a key of :data:`PERIOD_KINDS`."""

    kind: str
    year: int
    first_month: int
    last_month: int

    @property
    def start(self):
        return date(self.year, self.first_month, 1)

    @property
    def end(self):
        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def label(self):
        quarter = ("I", "II", "III", "IV")[(self.first_month - 1) // 3]
        return PERIOD_KINDS[self.kind][0].format(year=self.year, q=quarter)

    def as_dict(self):
        return {"kind": self.kind, "year": self.year, "label": self.label,
                "start": self.start.isoformat(), "end": self.end.isoformat()}


# kind → (how pages write it, first month, last month; a quarter's months come from its number)
PERIOD_KINDS = {
    "quy": ("quý {q}/{year}", None, None),
    "6-thang-dau": ("6 tháng đầu năm {year}", 1, 6),
    "6-thang-cuoi": ("6 tháng cuối năm {year}", 7, 12),
    "9-thang": ("9 tháng đầu năm {year}", 1, 9),
    "nam": ("năm {year}", 1, 12),
}
_YEAR = r"(?:nam\s*)?((?:19|20)\d\d)"
# The rule table: written forms (folded: no tone marks, lower case) → kind. A quarter's number is
# group 1, the year the last group.
PERIOD_FORMS = (
    (re.compile(r"quy\s*(iv|iii|ii|i|[1-4])\s*(?:/|nam|-)\s*" + _YEAR), "quy"),
    (re.compile(r"(?:6|sau)\s*thang\s*dau\s*" + _YEAR), "6-thang-dau"),
    (re.compile(r"(?:6|sau)\s*thang\s*cuoi\s*" + _YEAR), "6-thang-cuoi"),
    (re.compile(r"(?:9|chin)\s*thang\s*(?:dau\s*)?" + _YEAR), "9-thang"),
    (re.compile(r"nam\s*((?:19|20)\d\d)"), "nam"),
    (re.compile(r"((?:19|20)\d\d)"), "nam"),
)
PERIOD_EXAMPLES = "“quý I/2025”, “6 tháng đầu năm 2025”, “6 tháng cuối năm 2025”, “9 tháng đầu năm 2025”, “năm 2025”"


class PeriodError(ValueError):
    pass


def parse_period(text):
    """'quý I/2025' → Period('quy', 2025, 1, 3); raises PeriodError (Vietnamese) when not a real period."""
    raw = " ".join(str(text or "").split())
    folded = " ".join(fold(raw).lower().replace(",", " ").split())
    for pattern, kind in PERIOD_FORMS:
        m = pattern.fullmatch(folded)
        if not m:
            continue
        year = int(m.group(m.lastindex))
        if kind == "quy":
            q = ROMAN[m.group(1)]
            return Period(kind, year, 3 * q - 2, 3 * q)
        _, first, last = PERIOD_KINDS[kind]
        return Period(kind, year, first, last)
    raise PeriodError(f"“{raw}” không phải một kỳ báo cáo (quý, 6 tháng, 9 tháng hoặc năm); viết như "
                      + PERIOD_EXAMPLES)


# The forms searched for inside running text (a title, a report's first lines): the specific ones
# first, so "6 tháng đầu năm 2025" is never read as "năm 2025"; a bare year is no period there.
_SEARCH_FORMS = tuple((re.compile(r"(?<![a-z0-9])" + p.pattern + r"(?![0-9])"), kind)
                      for p, kind in PERIOD_FORMS[:-1])


def find_period(text):
    """The first reporting period named in running *text* → (Period, the words as written), or None.
    "Báo cáo kết quả CCHC quý I năm 2025" → (Period('quy', 2025, 1, 3), "quý I năm 2025")."""
    raw = " ".join(str(text or "").split())
    folded = fold(raw).lower()
    if len(folded) != len(raw):  # folding changed the length (rare letters): search the folded text only
        raw = folded
    for pattern, _kind in _SEARCH_FORMS:
        m = pattern.search(folded)
        if m:
            written = raw[m.start():m.end()]
            try:
                return parse_period(m.group()), written
            except PeriodError:
                continue
    return None


# Status --------------------------------------------------------------------------------------

MET, NOT_MET, NOT_DUE, NO_DATA = "dat", "chua-dat", "chua-den-han", "chua-co-so-lieu"
STATUSES = (MET, NOT_MET, NOT_DUE, NO_DATA)


def meets(value, comparator, target, better="higher"):
    """Does *value* meet the target? "=" (a target written without sign, "100%") counts as
    reaching it in the indicator's better direction. Compared at 6 decimals (no float noise)."""
    v, t = round(float(value), 6), round(float(target), 6)
    if comparator == "=":
        comparator = ">=" if better == "higher" else "<="
    return {">=": v >= t, ">": v > t, "<=": v <= t, "<": v < t}[comparator]


def deadline(year):
    """A target "by 2025" is due at the end of 31/12/2025."""
    return date(year, 12, 31) if year else None


@dataclass
class Status:
    code: str          # one of STATUSES
    result: dict | None  # the result the status was decided by (None: none counted)


def target_status(target, results, today, better="higher"):
    """The status of one *target* ({comparator, value, year}) given its *results* (each with
    ``value`` and ``as_of``, a date: the day, or the last day of the period, the value is as of).

    - Only results as of the deadline or before count (a 2026 figure says nothing of a 2025 target);
      the latest of them decides.
    - Deadline passed: đạt when it meets the target, chưa đạt when not, chưa có số liệu when none.
    - Deadline not yet passed: đạt when the latest already meets it, otherwise chưa đến hạn.
    - No deadline (no year): the latest result decides đạt / chưa đạt; none → chưa có số liệu."""
    due = deadline(target.get("year"))
    counted = [r for r in results if due is None or r["as_of"] <= due]
    latest = max(counted, key=lambda r: r["as_of"]) if counted else None
    if latest is not None and meets(latest["value"], target["comparator"], target["value"], better):
        return Status(MET, latest)
    if due is not None and today <= due:
        return Status(NOT_DUE, latest)
    if latest is None:
        return Status(NO_DATA, None)
    return Status(NOT_MET, latest)
