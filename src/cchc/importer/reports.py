"""Report pages (Báo cáo kết quả CCHC) become `bao-cao` posts: number, period, unit, issue date and the
plan reported on are read from the page, never invented; what cannot be read is flagged for staff.

A page is a report when its title starts with "Báo cáo" and names administrative reform (cải cách
hành chính, CCHC), or names its results ("kết quả … CCHC") and the page carries a report number
(…/BC-…). The period comes from the title, else the page's first lines (cchc.core.results.find_period,
the same rule table `make check` reads `report_period` with); a report page naming no period stays a
news item, with a warning saying how to make it a report. Results (`results:`) are never written: the
sentences that look like one are listed in the report for staff to copy after checking the original.
"""

import re

from cchc.core import find_doc_numbers, indicators
from cchc.core.results import find_period
from cchc.core.text import fold, nfc

from .heuristics import first_sentence

TOP_CHARS = 1500  # a report's own number, unit and date are in its first lines
HINTS = 5  # sentences offered as possible results
UNRESOLVED_UNIT = "Chưa xác định"

_CCHC = re.compile(r"cai cach hanh chinh|(?<![a-z])cchc(?![a-z])")
_UNIT_HEAD = re.compile(r"(?<!\w)(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+(xã|phường|thị trấn|huyện|quận|thị xã|"
                        r"thành phố|tỉnh)\s+", re.IGNORECASE)
_ISSUE = re.compile(r"(?<!\w)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_DAY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%")


def report_numbers(text):
    """The report numbers (type code BC) in *text*, in order."""
    return [d for d in find_doc_numbers(text) if fold(d.kind).lower() == "bc"]


def looks_like_report(title, text):
    """Is this page a CCHC report? (module docstring)."""
    head = fold(title or "").lower().strip()
    if not _CCHC.search(head):
        return False
    return head.startswith("bao cao") or ("ket qua" in head and bool(report_numbers(text[:TOP_CHARS])))


def reporting_unit(text):
    """"UBND huyện Tam Dương" from "ỦY BAN NHÂN DÂN HUYỆN TAM DƯƠNG" or "UBND huyện Tam Dương ban
    hành…" in the first lines, or None: the capitalised words after the level, on the same line."""
    for line in text[:TOP_CHARS].splitlines():
        for m in _UNIT_HEAD.finditer(line):
            words = []
            for word in re.finditer(r"[^\s,.;:()“”\"]+", line[m.end():]):
                if not word.group(0)[0].isupper() or len(words) == 4:
                    break
                words.append(word.group(0))
            if words:
                name = " ".join(w if not w.isupper() else w.capitalize() for w in words)
                return f"UBND {m.group(2).lower()} {name}"
    return None


def _date(day, month, year):
    import datetime as dt

    from cchc.core import VN_TZ

    try:
        return dt.datetime(int(year), int(month), int(day), tzinfo=VN_TZ)
    except ValueError:
        return None


def issue_date(text, number):
    """The report's issue date: the header line "…, ngày 14 tháng 7 năm 2025" in the first lines,
    else the last date before its number in the sentence giving it ("Ngày 08/4/2025, … ban hành Báo
    cáo số 45/BC-UBND …, thực hiện Kế hoạch … ngày 03/11/2021": 08/4/2025), or None."""
    top = text[:TOP_CHARS]
    m = _ISSUE.search(top)
    if m:
        return _date(*m.groups())
    if number:
        for sentence in re.split(r"(?<=[.!?])\s+", top):
            at = sentence.find(number)
            if at >= 0:  # "Ngày 08/4/2025, … ban hành Báo cáo số 45/BC-UBND …": the last date before it
                days = [_date(*d.groups()) for d in _DAY.finditer(sentence[:at])]
                if days and days[-1] is not None:
                    return days[-1]
    return None


def is_header_line(text):
    """A line of an official document's heading, not prose: the unit in capitals, "Số: …",
    "Tây Hồ, ngày 16 tháng 6 năm 2025", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"…"""
    text = text.strip()
    letters = [c for c in text if c.isalpha()]
    return (bool(letters) and all(c.isupper() for c in letters)) or bool(re.match(r"(?i)số\s*:", text)) \
        or bool(re.fullmatch(r"[^.]{0,40},\s*" + _ISSUE.pattern + r"\.?", text, re.IGNORECASE))


def result_hints(text):
    """Sentences with a percentage that name an indicator of the catalogue → (code, sentence)."""
    hints = []
    for sentence in re.split(r"(?<=[.;!?])\s+", " ".join(text.split())):
        if not _PERCENT.search(sentence):
            continue
        for part in re.split(r";\s+", sentence):
            ind = indicators.match(part)
            if ind is not None and _PERCENT.search(part):
                hints.append((ind.code, part.strip().rstrip(";")))
        if len(hints) >= HINTS:
            break
    return hints[:HINTS]


def recognise(rec):
    """Make *rec* (a cleaned news item) a `bao-cao` post when it is a report page; every fact read
    is said in a warning, every missing one flagged for review."""
    if rec.kind != "tin-tuc" or not rec.title or rec.failed or rec.skip or rec.redirect:
        return rec
    body = nfc(rec.body or "")
    if not looks_like_report(rec.title, body):
        return rec
    found = find_period(rec.title) or find_period(body[:TOP_CHARS])
    if found is None:
        rec.warn("trang có vẻ là báo cáo kết quả CCHC nhưng không nêu kỳ báo cáo (quý, 6 tháng, 9 tháng hoặc "
                 "năm): được chuyển thành tin tức; nếu là báo cáo, chuyển tệp sang content/bao-cao/, đổi "
                 "type thành bao-cao và thêm report_period, reporting_unit, plans", review=True)
        return rec
    period, written = found
    rec.kind = "bao-cao"
    rec.report_period = period.label
    rec.warnings.insert(0, f"nhận ra trang báo cáo kết quả CCHC: ghi thành báo cáo (type: bao-cao), kỳ báo cáo "
                           f"“{period.label}” (trang ghi “{written}”); hãy kiểm tra")
    _tidy_heading_facts(rec, body)
    numbers = report_numbers(f"{rec.title}\n{body[:TOP_CHARS]}")
    if numbers:
        rec.doc_number = numbers[0].text
        others = [d.text for d in numbers[1:] if d.text != rec.doc_number]
        rec.warn(f"số ký hiệu báo cáo {rec.doc_number} lấy từ trang"
                 + (f" (trang còn nêu {', '.join(dict.fromkeys(others))}: hãy kiểm tra số nào là của báo cáo này)"
                    if others else "; hãy kiểm tra"), review=bool(others))
    else:
        rec.doc_number_note = "Trang gốc không nêu số ký hiệu của báo cáo."
        rec.warn("không tìm thấy số ký hiệu báo cáo (dạng 45/BC-UBND): ghi doc_number_note, không tự đặt số; "
                 "bổ sung doc_number nếu tra được báo cáo gốc", review=True)
    rec.issue_date = issue_date(body, rec.doc_number)
    if rec.issue_date is None:
        rec.warn("không tìm thấy ngày ban hành báo cáo: để trống issue_date; bổ sung nếu biết")
    unit = reporting_unit(f"{rec.title}\n{body}")
    if unit:
        rec.reporting_unit = unit
        rec.warn(f"đơn vị báo cáo “{unit}” lấy từ trang; hãy kiểm tra")
    else:
        rec.reporting_unit = UNRESOLVED_UNIT
        rec.warn(f"không tìm thấy đơn vị báo cáo (UBND …): ghi tạm “{UNRESOLVED_UNIT}”; hãy sửa trường "
                 "reporting_unit", review=True)
    rec.plan_numbers = [d.text for d in find_doc_numbers(body) if fold(d.kind).lower() == "kh"]
    hints = result_hints(body)
    if hints:
        rec.warn("kết quả (results) không được tự chuyển; các câu sau có thể là kết quả, hãy đối chiếu báo cáo "
                 "gốc rồi ghi vào results (indicator, value, quote): "
                 + "; ".join(f"{code}: “{first_sentence(text) or text}”" for code, text in hints))
    return rec


def _tidy_heading_facts(rec, body):
    """An official heading read as prose: a summary taken from "ỦY BAN NHÂN DÂN QUẬN TÂY HỒ" is taken
    from the first paragraph of prose instead; a locality read in capitals is written as a name."""
    if rec.summary and is_header_line(rec.summary):
        prose = next((p for p in body.split("\n\n") if p.strip() and not is_header_line(p)), "")
        rec.summary = first_sentence(prose) or rec.title
    if rec.locality and rec.locality_unit is not None and any(w.isupper() and len(w) > 1 for w in rec.locality.split()):
        rec.locality = " ".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in rec.locality.split())


def resolve_plans(records, existing):
    """Each report's `plans`: the plans in content whose number its page cites ("thực hiện Kế hoạch
    số 179/KH-UBND"); none found is flagged (a report names the plan it reports on)."""
    from cchc.core import parse_doc_number

    known = existing.get("plan_numbers", {})
    for rec in records:
        if rec.kind != "bao-cao" or rec.failed or rec.skip:
            continue
        slugs = []
        for number in getattr(rec, "plan_numbers", []):
            slug = known.get(parse_doc_number(number).key)
            if slug and slug not in slugs:
                slugs.append(slug)
        rec.plans = slugs
        if slugs:
            rec.warn("kế hoạch được báo cáo: " + ", ".join(slugs) + " (theo số ký hiệu kế hoạch trang nêu); "
                     "hãy kiểm tra")
        else:
            cited = ", ".join(getattr(rec, "plan_numbers", [])) or "không nêu kế hoạch nào"
            rec.warn(f"chưa biết báo cáo này báo cáo về kế hoạch nào (trang: {cited}; không có kế hoạch nào "
                     "trong content/ke-hoach/ mang số đó): thêm đường dẫn (slug) kế hoạch vào plans", review=True)
    return records
