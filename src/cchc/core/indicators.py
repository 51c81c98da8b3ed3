"""The indicator catalogue: the one table of what CCHC targets and results measure.

A plan target (``targets[].indicator``) and a report result (``results[].indicator``) name an
indicator by its code; a target written only as free text (``measure``) is matched against the
aliases real plans write (compared without tone marks, punctuation or case), so that two plans
wording satisfaction differently land in one indicator. The dashboard, the editor's choices, open
data and ``make check`` read this table; no other module spells these names.

``better``: which way is better ("higher": a bigger value is better; "lower": smaller is better,
e.g. a rank). ``percent``: the value is a share, so it must lie within 0..100.
"""

import difflib
import re
from dataclasses import dataclass

from .text import fold


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str        # canonical Vietnamese name, as pages show it
    name_en: str
    unit: str        # "%", "điểm", "hạng", "TTHC"
    better: str      # "higher" or "lower"
    aliases: tuple = ()  # wordings real plans and reports write (any tone marks, any case)

    @property
    def percent(self):
        return self.unit == "%"


HIGHER, LOWER = "higher", "lower"

INDICATORS = (
    Indicator(
        "hai-long", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước",
        "Satisfaction of citizens and organisations with public administrative services", "%", HIGHER,
        ("mức độ hài lòng của cá nhân, tổ chức, doanh nghiệp đối với sự phục vụ của cơ quan hành chính nhà nước",
         "mức độ hài lòng của người dân, tổ chức đối với chất lượng cung cấp dịch vụ công",
         "mức độ hài lòng của người dân, doanh nghiệp", "sự hài lòng của cá nhân, tổ chức",
         "sự hài lòng của người dân", "mức độ hài lòng", "tỷ lệ hài lòng")),
    Indicator(
        "sipas", "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
        "SIPAS: satisfaction index of public administrative services", "%", HIGHER,
        ("sipas", "chỉ số hài lòng về sự phục vụ hành chính", "chỉ số hài lòng")),
    Indicator(
        "par-index", "Chỉ số cải cách hành chính (PAR Index): điểm",
        "PAR Index: administrative reform score (out of 100)", "%", HIGHER,
        ("par index", "chỉ số cải cách hành chính", "chỉ số cchc", "điểm chỉ số cải cách hành chính")),
    Indicator(
        "par-index-hang", "Chỉ số cải cách hành chính (PAR Index): thứ hạng",
        "PAR Index: rank", "hạng", LOWER,
        ("xếp hạng chỉ số cải cách hành chính", "thứ hạng chỉ số cải cách hành chính",
         "xếp hạng par index", "thứ hạng par index", "xếp hạng chỉ số cchc")),
    Indicator(
        "ho-so-truc-tuyen", "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận trực tuyến",
        "Share of administrative applications submitted online", "%", HIGHER,
        ("tỷ lệ hồ sơ trực tuyến", "hồ sơ nộp trực tuyến", "hồ sơ được tiếp nhận trực tuyến",
         "tỷ lệ hồ sơ tiếp nhận trực tuyến", "tỷ lệ hồ sơ nộp trực tuyến", "hồ sơ trực tuyến",
         "hồ sơ thực hiện dvctt và tthc trên môi trường điện tử", "thực hiện các dvctt")),
    Indicator(
        "dvc-toan-trinh", "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình",
        "Share of procedures offered as end-to-end online public services", "%", HIGHER,
        ("dịch vụ công trực tuyến toàn trình", "dvc trực tuyến toàn trình", "dvctt toàn trình")),
    Indicator(
        "ho-so-dien-tu", "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trên môi trường điện tử",
        "Share of administrative records handled electronically", "%", HIGHER,
        ("xử lý trên môi trường điện tử", "giải quyết trên môi trường điện tử", "xử lý hồ sơ điện tử",
         "hồ sơ được xử lý điện tử", "văn bản được xử lý trên môi trường mạng",
         "luân chuyển trong nội bộ bằng phương thức điện tử", "được luân chuyển trong nội bộ")),
    Indicator(
        "so-hoa-ket-qua", "Tỷ lệ kết quả giải quyết thủ tục hành chính được số hóa",
        "Share of procedure results digitised", "%", HIGHER,
        ("kết quả giải quyết thủ tục hành chính được số hóa", "kết quả giải quyết tthc được số hóa",
         "số hóa kết quả giải quyết", "số hóa hồ sơ, kết quả",
         "đã giải quyết thành công được số hóa", "hồ sơ tthc được số hóa")),
    Indicator(
        "ho-so-dung-han", "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn",
        "Share of applications settled on time", "%", HIGHER,
        ("giải quyết đúng hạn", "đúng và trước hạn", "hồ sơ đúng hạn", "trước và đúng hạn")),
    Indicator(
        "tthc-don-gian-hoa", "Số thủ tục hành chính được đơn giản hóa, cắt giảm",
        "Number of administrative procedures simplified or removed", "TTHC", HIGHER,
        ("thủ tục hành chính được đơn giản hóa", "tthc được đơn giản hóa", "cắt giảm, đơn giản hóa",
         "đơn giản hóa thủ tục hành chính", "số thủ tục được cắt giảm")),
    Indicator(
        "tthc-rut-ngan", "Tỷ lệ thủ tục hành chính được rút ngắn thời gian giải quyết",
        "Share of administrative procedures whose processing time was shortened", "%", HIGHER,
        ("thủ tục hành chính được rút ngắn thời gian", "tthc được rút ngắn thời gian",
         "rút ngắn thời gian giải quyết", "cắt giảm thời gian giải quyết", "giảm thời gian giải quyết")),
)

BY_CODE = {i.code: i for i in INDICATORS}
CODES = tuple(BY_CODE)


def _key(text):
    """Compare wordings without tone marks, case, punctuation or extra spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text or "").lower()).split())


_ALIASES = sorted(((_key(a), ind) for ind in INDICATORS for a in (ind.name, *ind.aliases)),
                  key=lambda pair: -len(pair[0]))


def match(measure):
    """The indicator a free-text measure names (its longest matching alias wins), or None."""
    text = f" {_key(measure)} "
    if not text.strip():
        return None
    for alias, ind in _ALIASES:
        if f" {alias} " in text:
            return ind
    return None


def resolve(target):
    """The indicator of a target or result: its ``indicator`` code, else its measure's alias."""
    code = target.get("indicator")
    if code:
        return BY_CODE.get(code)
    return match(target.get("measure", ""))


def nearest_codes(code, n=3):
    """Codes close to a mistyped one, for the fix in a message."""
    return difflib.get_close_matches(_key(code).replace(" ", "-"), CODES, n=n, cutoff=0.5)


def unknown_code_message(code):
    near = nearest_codes(code)
    hint = f"; có phải: {', '.join(near)}?" if near else ""
    return (f"“{code}” không có trong danh mục chỉ tiêu{hint} (các mã hợp lệ: {', '.join(CODES)}; "
            "danh mục ở docs/staff-guide.md, mục Báo cáo kết quả)")
