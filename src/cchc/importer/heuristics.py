"""The importer's guessing rules for scraped news pages: datelines, bylines, boilerplate, inferred facts.

Only ``cchc import`` uses them (the text rules that are core — NFC, folding, slugs, dates,
document numbers — live in ``cchc.core`` and are used from there). Each rule works on one line
(or one text) so it can be tested as a table. Nothing here guesses silently: the inferring helpers
(areas, locality, summary) are only called by the importer, which records a Vietnamese warning
for every inferred value.
"""

import datetime as dt
import re

from cchc.core import VN_TZ, find_doc_number_spans, parse_vi_date
from cchc.core.dates import DateError
from cchc.core.text import collapse_spaces, fold, nfc

# --- datelines -------------------------------------------------------------------------

_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật)"
_LABEL = (r"(?:ngày\s+đăng|ngày\s+cập\s+nhật|cập\s+nhật(?:\s+lúc)?|cập\s+nhập|đăng\s+ngày|đăng\s+lúc|"
          r"ngày\s+xuất\s+bản|ngày\s+phát\s+hành|thời\s+gian\s+đăng|thời\s+gian|ngày\s+tạo|ngày|"
          r"posted(?:\s+on)?|published|updated|date)")
_DATE_NUM = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4}|\d{2})(?![\d/])"
_DATE_WORD = r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:,?\s*năm)?\s*,?\s+(?P<y>\d{4})"
_TIME = r"(?P<H>\d{1,2})\s*[:h]\s*(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>AM|PM|SA|CH|A\.M\.|P\.M\.))?"
_SEP = r"\s*(?:[,|-]|lúc|ngày)?\s*"
_BULLET = r"[-•·*–]?\s*"
_HEAD = rf"^{_BULLET}\(?\s*(?:{_WEEKDAY}\s*,?\s*)?(?:{_LABEL}\s*:?\s*)?(?:{_WEEKDAY}\s*,?\s*)?"
_TAIL = r"\s*(?:\(?\s*GMT\s*[+-]\s*\d{1,2}(?::?00)?\s*\)?)?\s*\)?\s*(?:\|.*)?$"
_DATELINE_RES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for date in (_DATE_NUM, _DATE_WORD)
    for pattern in (rf"{_HEAD}{date}(?:{_SEP}{_TIME})?{_TAIL}", rf"{_HEAD}{_TIME}{_SEP}{date}{_TAIL}")
)


def _dateline_match(line):
    text = collapse_spaces(nfc(line))
    if len(text) > 90:  # a dateline is short: never scan a paragraph
        return None
    for regex in _DATELINE_RES:
        m = regex.match(text)
        if m:
            return m
    return None


def parse_dateline(line):
    """The publication date a dateline line shows, or None if the line is not a dateline.

    A dateline is a line that is (almost) only a date: ``Thứ năm, 14/05/2015, 10:06:10``,
    ``05:44:00 | 29-12-2022``, ``Ngày đăng 02/07/2021 | 15:39``, ``(21/09/2022)``,
    ``12/05/2016 04:00:00 PM``, ``Cập nhật lúc 08:15 ngày 03/11/2021``, ``Đăng ngày 17 - 05 - 2024``,
    ``Thứ hai, 11 Tháng 12 2023 16:03`` or a bare ``25/11/2021``. A sentence such as
    "Ngày 17/9, UBND…" is not one. Day first, +07:00. A two-digit year (``25/11/21``) is read as
    20xx (see :func:`dateline_doubt`). Raises DateError for a line that is shaped like a dateline
    but holds a placeholder or impossible date (``1/1/0001``).
    """
    m = _dateline_match(line)
    if not m:
        return None
    year = m.group("y")
    if len(year) == 2:
        year = f"20{year}"
    value = f"{m.group('d')}/{m.group('m')}/{year}"
    if m.group("H"):
        value += f" {m.group('H')}:{m.group('M')}"
        if m.group("S"):
            value += f":{m.group('S')}"
        if m.group("ampm"):
            value += " " + m.group("ampm").replace(".", "").upper()
    return parse_vi_date(value)


def dateline_doubt(line):
    """Why a dateline's date needs a human look (a two-digit year), or None."""
    m = _dateline_match(line)
    if m and len(m.group("y")) == 2:
        return (f"dòng ngày “{collapse_spaces(line)}” ghi năm bằng hai chữ số: cổng hiểu là năm "
                f"20{m.group('y')}; hãy kiểm tra")
    return None


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
    "Asset Publisher", "Web Content Display", "Skip Navigation Links",
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
    "Ý kiến bạn đọc", "Tin cùng chuyên mục", "Bài viết liên quan", "Tin tức liên quan",
    "Thông tin chỉ đạo điều hành", "Đăng nhập", "Thống kê truy cập", "Back To Top",
    "Về đầu trang", "Lên đầu trang",
)}
# A copyright line starts the site footer too ("Bản quyền © UBND huyện …"): never a byline.
_FOOTER_RE = re.compile(r"^(?:bản\s*quyền|copyright|©|\(c\)\s)", re.IGNORECASE)
# Counters and widgets: "Hôm nay: 583", "• Tất cả: 665,423", "4664 Lượt xem", "- Đã xem: 128", "100%".
_COUNTER_RE = re.compile(
    r"^[-•·*]?\s*(?:(?:hôm\s*nay|hôm\s*qua|tuần\s*này|tháng\s*này|tháng\s*trước|năm\s*nay|tất\s*cả|"
    r"tổng\s*cộng|tổng\s*số|trong\s*tuần|trong\s*tháng|đang\s*online|đang\s*truy\s*cập|truy\s*cập|"
    r"lượt\s*truy\s*cập|lượt\s*xem|đã\s*xem|số\s*lượt\s*xem|phản\s*hồi|bình\s*luận|lượt\s*thích|"
    r"view\s*count|views?)\s*:?\s*[\d.,]*|[\d.,]+\s*(?:lượt\s*xem|lượt\s*truy\s*cập|lượt\s*thích|views?|"
    r"bình\s*luận))$",
    re.IGNORECASE,
)
_SHORT = 60  # furniture lines are short: longer lines are never folded and compared


def _key(line):
    return fold(collapse_spaces(line)).rstrip(":").strip()


_PAD = " \t\u00a0\u2000\u2001\u2002\u2003\u2007\u200b\u202f\ufeff"


def is_boilerplate(line):
    """True for a line that is CMS furniture, not article text (Chi tiết tin, View count: 162…)."""
    if len(line.strip(_PAD)) > _SHORT:
        return False  # furniture lines are short: no folding of paragraphs
    text = collapse_spaces(line)
    return (_key(text) in BOILERPLATE_LINES or bool(_BOILERPLATE_RE.match(text))
            or bool(_COUNTER_RE.match(text)))


def is_furniture(line):
    """Boilerplate, or what only page furniture is: a lone number or punctuation, a bare address."""
    text = collapse_spaces(line)
    return is_boilerplate(text) or bool(re.fullmatch(r"[\W_\d]+|https?://\S+|www\.\S+", text))


def is_footer_start(line):
    """True for the line where the related-news lists and the site footer begin."""
    text = line.strip(_PAD)
    if len(text) > _SHORT:
        return bool(_FOOTER_RE.match(text))
    text = collapse_spaces(text)
    return _key(text) in FOOTER_STARTS or bool(_FOOTER_RE.match(text))


# --- titles -------------------------------------------------------------------------------

TITLE_MAX = 250
# How a sentence (never a headline) begins: "Theo đó, …", "Đối với …", "Ngày 17/9, …", "Sáng 19-7, …".
_SENTENCE_START = re.compile(
    r"^(?:theo\s+đó|đối\s+với|ngoài\s+ra|bên\s+cạnh\s+đó|tuy\s+nhiên|vừa\s+qua|qua\s+đó|do\s+đó|"
    r"vì\s+vậy|như\s+vậy|trước\s+đó|sau\s+đó|đồng\s+thời|(?:sáng|chiều|tối|trưa|ngày|đêm)\s+(?:nay|qua|"
    r"hôm\s+qua|ngày\s+)?\s*\d{1,2}\s*[/.-]\s*\d{1,2}\b)",
    re.IGNORECASE,
)
# A photo caption or credit in title position: "Ảnh: …", "Ảnh minh họa", "… (Ảnh: Minh Anh)".
_CAPTION = re.compile(r"^(?:ảnh|hình|clip|video)(?:\s+minh\s+họa)?\s*(?:[:.–-]|$)|\((?:ảnh|nguồn|ảnh minh họa)"
                      r"[^)]*\)\s*$|ảnh\s+minh\s+họa\s*\.?$", re.IGNORECASE)
_SENTENCE_END = ".:;,"


def title_problem(line):
    """Why *line* cannot be a headline ("là một câu", "quá dài", …), or None when it can be one.

    A headline is short, is not a sentence (no final full stop, colon or semicolon, no sentence
    opening such as "Theo đó," or "Ngày 17/9,"), and is not a dateline, a byline, a caption or
    page furniture.
    """
    text = collapse_spaces(nfc(line))
    if not text:
        return "dòng trống"
    if len(text) > TITLE_MAX:
        return f"dài {len(text)} ký tự (tiêu đề không quá {TITLE_MAX})"
    if text[-1] in _SENTENCE_END and not text.endswith("..."):
        return "kết thúc bằng dấu câu như một câu văn"
    if _SENTENCE_START.match(text):
        return "mở đầu như một câu văn"
    if _dateline_match(text) or parse_byline(text):
        return "là dòng ngày đăng hoặc tác giả"
    if _CAPTION.search(text):
        return "là chú thích ảnh"
    if is_furniture(text) or is_footer_start(text):
        return "là phần khung trang (menu, bộ đếm, chân trang)"
    if not re.search(r"[^\W\d_]", text):
        return "không có chữ"
    return None


def is_section_label(line, following):
    """A short category line above the headline ("Cải cách hành chính", "TIN TỨC - SỰ KIỆN")."""
    text = collapse_spaces(line)
    words = text.split()
    return (0 < len(words) <= 6 and len(text) <= 50 and title_problem(text) is None
            and following is not None and title_problem(following) is None
            and len(collapse_spaces(following).split()) > len(words))


def is_site_header(line):
    """The portal's or unit's own name printed above the article ("TRƯỜNG CHÍNH TRỊ LÊ DUẨN")."""
    text = collapse_spaces(line)
    return len(text) <= 80 and text.upper() == text and looks_like_org(text)


def breadcrumb_parts(line):
    """["Trang chủ", "Đào tạo - Bồi dưỡng", "…"] for a breadcrumb line, else None."""
    text = collapse_spaces(line)
    if not fold(text).startswith(("trang chu", "home")):
        return None
    parts = [p.strip() for p in re.split(r"\s{3,}|\s*[»>›/|]\s*|\u00a0{2,}", line.strip()) if p.strip()]
    return parts if len(parts) >= 2 else None


_ACADEMIC = re.compile(r"^(?:(?:PGS|GS|TS|ThS|Ths|NCS|CN|KS|BS|LS|Th\.S)\.?\s*)+(?:[A-ZÀ-ỸĐ][\w]*\s*){2,5}$")


def is_academic_author(line):
    """A byline that is a name with an academic title: "ThS. Nguyễn Thị Thu Hương", "TS LÊ VĂN A"."""
    text = collapse_spaces(nfc(line))
    return len(text) <= 60 and bool(_ACADEMIC.match(text))


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
    "Học viện", "Khoa ", "Đại học", "Tòa án", "Viện kiểm sát",
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
    if is_footer_start(text) or re.search(r"©|\bcopyright\b|bản\s*quyền", text, re.I):
        return {}  # a copyright or footer line is never a byline
    if last and looks_like_org(text) and text[-1] not in _TERMINAL and len(text) <= 70 \
            and fold(text.rsplit(" ", 1)[-1]) not in _OPEN_ENDINGS:
        return {"source_unit": text}
    if last and _CAPS_NAME.match(text) and not looks_like_org(text):
        return {"author": text}  # newspapers sign with the name in capitals: "TRẦN NGỌC"
    return {}


# A line ending on one of these words stops mid-sentence: a cut-off paragraph, not a unit's name.
_OPEN_ENDINGS = {fold(w) for w in ("và", "của", "các", "những", "với", "cho", "để", "tại", "trong", "theo",
                                   "được", "là", "có", "về", "từ", "đến", "như", "hoặc", "nhằm", "bằng")}
_CAPS_NAME = re.compile(r"^(?:[A-ZÀ-ỸĐ]+\s){1,4}[A-ZÀ-ỸĐ]+$")


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


AREA_LIMIT = 3
INFER_CHARS = 20_000  # suggestions read the beginning of a text: enough for an article, cheap for a huge page


def suggest_areas(text, limit=AREA_LIMIT):
    """[(code, {keyword: count})] for the areas whose keywords occur most in *text*, at most *limit*.

    Ranked by how often their keywords occur (ties in the order of cchc.core.AREAS); each comes
    with the words that suggested it, for the report.
    """
    folded = fold(collapse_spaces(text[:INFER_CHARS]))
    found = []
    for rank, (code, words) in enumerate(AREA_KEYWORDS.items()):
        hits = {w: len(re.findall(rf"(?<![a-z]){re.escape(w)}(?![a-z])", folded)) for w in words}
        hits = {w: n for w, n in hits.items() if n}
        if hits:
            found.append((-sum(hits.values()), rank, code, hits))
    return [(code, hits) for _n, _rank, code, hits in sorted(found)[:limit]]


def infer_areas(text, limit=AREA_LIMIT):
    """Codes of the suggested areas (at most *limit*), in the order of cchc.core.AREAS."""
    chosen = {code for code, _hits in suggest_areas(text, limit)}
    return [code for code in AREA_KEYWORDS if code in chosen]


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
    found = _units(text[:INFER_CHARS])
    if not found:
        return None
    counts = {}
    for level, name in found:
        counts.setdefault(name, [level, 0])[1] += 1
    return min(counts.items(), key=lambda kv: (kv[1][0], -kv[1][1]))[0]


def first_sentence(text, limit=300):
    """The first sentence of *text* (for a summary), or None when it is longer than *limit*.

    A summary is never a sentence cut in the middle: a long first sentence is left for an
    editor to shorten.
    """
    text = collapse_spaces(nfc(text))
    m = re.search(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZÀ-ỸĐ0-9])", text)
    sentence = text[: m.start()] if m else text
    return sentence if 0 < len(sentence) <= limit else None
