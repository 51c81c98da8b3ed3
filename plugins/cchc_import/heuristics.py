"""The importer's guessing rules for scraped news pages: datelines, bylines, boilerplate, inferred facts.

Only ``cchc import`` uses them (the text rules that are core — NFC, folding, slugs, dates,
document numbers — live in ``cchc_core`` and are used from there). Each rule works on one line (or one text) so it can be tested as a
table. Nothing here guesses silently: the inferring helpers (areas, locality, summary) are
only called by the importer, which records a Vietnamese warning for every inferred value.
"""

import datetime as dt
import re

from cchc_core import VN_TZ, find_doc_number_spans, parse_vi_date
from cchc_core.dates import DateError
from cchc_core.text import collapse_spaces, fold, nfc

# --- datelines -------------------------------------------------------------------------

_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật)"
_LABEL = (r"(?:ngày\s+đăng|ngày\s+cập\s+nhật|cập\s+nhật(?:\s+lúc)?|đăng\s+ngày|đăng\s+lúc|"
          r"ngày\s+xuất\s+bản|thời\s+gian\s+đăng|posted|published)")
_DATE = r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>AM|PM|SA|CH))?"
_SEP = r"\s*[,|]?\s*"
_HEAD = rf"^\(?\s*(?:{_WEEKDAY}\s*,?\s*)?(?:{_LABEL}\s*:?\s*)?"
_TAIL = r"\s*\)?\s*(?:\|.*)?$"
_DATELINE_RES = (
    re.compile(rf"{_HEAD}{_DATE}(?:{_SEP}{_TIME})?{_TAIL}", re.IGNORECASE),
    re.compile(rf"{_HEAD}{_TIME}{_SEP}{_DATE}{_TAIL}", re.IGNORECASE),
)


def parse_dateline(line):
    """The publication date a dateline line shows, or None if the line is not a dateline.

    A dateline is a line that is (almost) only a date: ``Thứ năm, 14/05/2015, 10:06:10``,
    ``05:44:00 | 29-12-2022``, ``Ngày đăng 02/07/2021 | 15:39``, ``(21/09/2022)``,
    ``12/05/2016 04:00:00 PM`` or a bare ``25/11/2021``. A sentence such as
    "Ngày 17/9, UBND…" is not one. Day first, +07:00. Raises DateError for a line that is
    shaped like a dateline but holds a placeholder or impossible date (``1/1/0001``).
    """
    text = collapse_spaces(nfc(line))
    m = _DATELINE_RES[0].match(text) or _DATELINE_RES[1].match(text)
    if not m:
        return None
    value = f"{m.group('d')}/{m.group('m')}/{m.group('y')}"
    if m.group("H"):
        value += f" {m.group('H')}:{m.group('M')}"
        if m.group("S"):
            value += f":{m.group('S')}"
        if m.group("ampm"):
            value += f" {m.group('ampm')}"
    return parse_vi_date(value)



def find_dateline(lines, top=8, bottom=6):
    """Look for a dateline among the first *top* and last *bottom* non-empty lines.

    Returns ``(datetime or None, index or None, rejected)`` where *rejected* lists the
    dateline-shaped lines whose date was refused (placeholders such as 1/1/0001), as
    ``(index, line, reason)``. Dates inside the body are never used.
    """
    filled = [i for i, line in enumerate(lines) if collapse_spaces(line)]
    candidates = filled[:top] + [i for i in filled[-bottom:] if i not in filled[:top]]
    rejected = []
    for i in candidates:
        try:
            found = parse_dateline(lines[i])
        except DateError as exc:
            rejected.append((i, lines[i], str(exc)))
            continue
        if found is not None:
            return found, i, rejected
    return None, None, rejected


# --- boilerplate -------------------------------------------------------------------------

# Whole lines legacy CMSs put around an article (compared folded, without trailing ':').
BOILERPLATE_LINES = {fold(x) for x in (
    "Skip Ribbon Commands", "Skip to main content", "Chi tiết tin", "Chi tiết bài viết",
    "[Trở về]", "Trở về", "Quay lại", "Về đầu trang", "Lên đầu trang", "Đầu trang",
    "Các tin mới", "Các tin khác", "Tin mới", "Tin đọc nhiều", "Tin liên quan",
    "Các tin đã đưa ngày", "Tổng số lượt truy cập", "Số lượt truy cập", "Tìm kiếm",
    "In bài viết", "In trang", "Bản in", "Gửi email", "Gửi bài viết", "Chia sẻ", "Xem thêm",
    "Album Ảnh", "Các chuyên mục", "Bình luận", "Ý kiến bạn đọc", "Print", "Back", "Share",
    "Liên kết website", "Thăm dò ý kiến", "Video clip", "Thư viện ảnh",
)}
_BOILERPLATE_RE = re.compile(
    r"^(?:view\s*count|lượt\s*xem|số\s*lượt\s*xem|lượt\s*truy\s*cập|đang\s*truy\s*cập|"
    r"đang\s*online|trực\s*tuyến)\s*:?\s*[\d.,]*$",
    re.IGNORECASE,
)
# The first of these after the article ends it: what follows is lists and the site footer.
FOOTER_STARTS = {fold(x) for x in (
    "[Trở về]", "Trở về", "Quay lại", "Các tin mới", "Các tin khác", "Tin đọc nhiều",
    "Tin liên quan", "Các tin đã đưa ngày", "Tổng số lượt truy cập", "Bình luận",
    "Ý kiến bạn đọc", "Tin cùng chuyên mục",
)}


def _key(line):
    return fold(collapse_spaces(line)).rstrip(":").strip()


def is_boilerplate(line):
    """True for a line that is CMS furniture, not article text (Chi tiết tin, View count: 162…)."""
    key = _key(line)
    return key in BOILERPLATE_LINES or bool(_BOILERPLATE_RE.match(collapse_spaces(line)))


def is_footer_start(line):
    """True for the line where the related-news lists and the site footer begin."""
    return _key(line) in FOOTER_STARTS


def is_blank(line):
    """Empty, or only layout spaces (NBSP padding)."""
    return not collapse_spaces(line)


def is_padded(line, min_pad=3):
    """A line pushed right with spaces/NBSP: how old portals lay out signature blocks."""
    lead = len(line) - len(line.lstrip(" \t\u00a0\u2000\u2001\u2002\u2003\u2007\u202f"))
    return lead >= min_pad and bool(collapse_spaces(line))


# --- bylines, signatures, source units ---------------------------------------------------

ORG_PREFIXES = tuple(fold(x) for x in (
    "Sở ", "Phòng ", "Ban ", "UBND", "Ủy ban", "Uỷ ban", "Trung tâm", "Văn phòng", "Cục ",
    "Chi cục", "Bộ ", "Báo ", "Đài ", "Cổng ", "Tạp chí", "Huyện ủy", "Huyện uỷ", "Thành ủy",
    "Thành uỷ", "Tỉnh ủy", "Tỉnh uỷ", "Quận ủy", "Quận uỷ", "Hội đồng", "Hội Liên hiệp",
    "Hội Nông dân", "Hội Cựu chiến binh", "Công an", "Bộ phận", "Tổ ",
    "Đoàn ", "Trường ", "Viện ", "Thanh tra", "Kho bạc", "Chi nhánh", "BBT", "Ban biên tập",
))
_BYLINE_RE = re.compile(
    r"^(?P<label>tin\s*(?:,|và)?\s*(?:ảnh)?|bài\s*(?:,|và)?\s*(?:ảnh)?|tác\s*giả|người\s*viết|"
    r"nguồn|theo)\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_TERMINAL = ".!?…:;\"”’)]»"


def looks_like_org(text):
    """True when *text* names an organisation (Phòng Nội vụ…, Trung tâm VH-TT&TT Tây Hồ)."""
    return fold(collapse_spaces(text)).startswith(ORG_PREFIXES)


def _balance(text):
    """Drop an unmatched closing bracket left by a scraper: "14460/QĐ-UBND)" → "14460/QĐ-UBND"."""
    text = text.strip()
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    return text


def parse_byline(line):
    """A byline line → {field: value}: "Tin: X" → author, "Nguồn: X" → source_ref.

    "Tin: Trần Trung Kiên - Trưởng phòng CCHC – Sở Nội vụ" also gives source_unit
    "Sở Nội vụ" (the last dash-separated part, when it names an organisation).
    Returns {} for any other line.
    """
    m = _BYLINE_RE.match(collapse_spaces(nfc(line)))
    if not m:
        return {}
    label, value = fold(m.group("label")), _balance(collapse_spaces(m.group("value")))
    if not value:
        return {}
    if label.startswith(("nguon", "theo")):
        return {"source_ref": value}
    out = {"author": value}
    parts = re.split(r"\s+[–—-]\s+", value)
    if len(parts) > 1 and looks_like_org(parts[-1]):
        out["source_unit"] = parts[-1]
    return out


def parse_signature(line, last=False):
    """A line of the closing block → {field: value} or {}.

    A right-padded line is a signature: an organisation name → source_unit, otherwise the
    author. The very last line of the text, short and without final punctuation, counts too
    when it names an organisation ("Trung tâm VH-TT&TT Tây Hồ").
    """
    text = collapse_spaces(nfc(line))
    if not text or len(text) > 120 or text[-1] in _TERMINAL and not text.endswith(")"):
        return {}
    if is_padded(line):
        return {"source_unit": text} if looks_like_org(text) else {"author": text}
    if last and looks_like_org(text) and text[-1] not in _TERMINAL:
        return {"source_unit": text}
    return {}


# --- facts in the text ------------------------------------------------------------------

_VI_DATE = re.compile(
    r"ngày\s+(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})|"
    r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
)


def cited_documents(text):
    """[(DocNumber, signing date or None)] for every cited document, in order.

    The signing date is the "ngày …" that directly follows the number
    ("Nghị quyết số 16-NQ/TU ngày 14/10/2021"); a year inside the number
    (93/2007/QĐ-TTg) gives 1 January of that year when no date follows.
    """
    text = nfc(text)
    out = []
    for _start, end, doc in find_doc_number_spans(text):
        when = None
        after = _VI_DATE.match(text, end + (len(text[end:]) - len(text[end:].lstrip(" ,"))))
        if after:
            d, mo, y = (after.group("d") or after.group("d2"), after.group("m") or after.group("m2"),
                        after.group("y") or after.group("y2"))
            try:
                when = dt.datetime(int(y), int(mo), int(d), tzinfo=VN_TZ)
            except ValueError:
                when = None
        elif doc.year:
            when = dt.datetime(int(doc.year), 1, 1, tzinfo=VN_TZ)
        out.append((doc, when))
    return out


def newest_cited(text):
    """(DocNumber, date) of the most recently signed document the text cites, or None."""
    dated = [(doc, when) for doc, when in cited_documents(text) if when]
    return max(dated, key=lambda x: x[1]) if dated else None


def looks_truncated(text):
    """True when the text stops mid-sentence (last character a letter or digit)."""
    text = collapse_spaces(text).rstrip()
    return bool(text) and text[-1].isalnum()


# Keywords (folded) that point to each CCHC area. Used only to *suggest* areas.
AREA_KEYWORDS = {
    "the-che": ("cai cach the che", "van ban quy pham phap luat"),
    "thu-tuc-hanh-chinh": ("thu tuc hanh chinh", "tthc", "mot cua"),
    "to-chuc-bo-may": ("to chuc bo may", "bo may hanh chinh", "tinh gon bo may", "sap xep to chuc"),
    "che-do-cong-vu": ("cong vu", "cong chuc", "vien chuc"),
    "tai-chinh-cong": ("tai chinh cong", "tu chu tai chinh"),
    "chinh-phu-so": ("chinh phu dien tu", "chinh phu so", "chinh quyen dien tu", "chinh quyen so",
                     "chuyen doi so", "dich vu cong truc tuyen", "dvctt"),
    "chi-dao-dieu-hanh": ("chi dao, dieu hanh", "chi dao dieu hanh", "chi dao, dieu hanh"),
    "tuyen-truyen": ("tuyen truyen",),
}


def infer_areas(text):
    """Area codes whose keywords occur in *text*, in the order of cchc_core.AREAS."""
    folded = fold(collapse_spaces(text))
    return [code for code, words in AREA_KEYWORDS.items()
            if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", folded) for w in words)]


_LEVELS = (("xã", 0), ("phường", 0), ("thị trấn", 0), ("huyện", 1), ("quận", 1), ("thị xã", 1),
           ("thành phố", 1), ("tỉnh", 2))
_UNIT_RE = re.compile(r"(?<!\w)(" + "|".join(w for w, _ in _LEVELS) + r")\s+", re.IGNORECASE)


def _units(text):
    found = []
    for m in _UNIT_RE.finditer(nfc(text)):
        words = []
        for word in re.finditer(r"[^\s,.;:()“”\"]+", text[m.end():]):
            if not word.group(0)[0].isupper() or word.start() - (words[-1][1] if words else 0) > 1:
                break
            words.append((word.group(0), word.end()))
        if words:
            level_word = m.group(1).lower()
            name = " ".join(w for w, _ in words)
            found.append((dict(_LEVELS)[level_word], f"{level_word[0].upper()}{level_word[1:]} {name}"))
    return found


def infer_locality(title, text):
    """A locality named in the title, else the lowest-level one named most often in the text."""
    in_title = _units(title or "")
    if in_title:
        return min(in_title, key=lambda x: x[0])[1]
    found = _units(text)
    if not found:
        return None
    counts = {}
    for level, name in found:
        counts.setdefault(name, [level, 0])[1] += 1
    return min(counts.items(), key=lambda kv: (kv[1][0], -kv[1][1]))[0]


def first_sentence(text, limit=300):
    """The first sentence of *text* (for a summary), cut at a word under *limit* characters."""
    text = collapse_spaces(nfc(text))
    m = re.search(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZÀ-ỸĐ0-9])", text)
    sentence = text[: m.start()] if m else text
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return sentence
