"""`cchc new`: a ready-to-edit post from a template, never overwriting an existing file."""

import datetime as dt
import uuid
from pathlib import Path

from cchc.core import AREAS, VN_TZ, slugify
from cchc.core.files import write_whole
from cchc.core.schema import PLACEHOLDER_BODIES
from cchc.core.text import short_slug

NEWS_TEMPLATE = """---
# Tin tức. Các dòng bắt đầu bằng # là hướng dẫn, có thể xóa.
# Chạy `make check` để kiểm tra trước khi đăng.
type: tin-tuc
# Mã định danh cố định: không sửa (RSS dựa vào mã này để không báo tin trùng).
id: {uid}
title: '{title}'
# Ngày đăng: ngày/tháng/năm giờ:phút (giờ Việt Nam).
date: {date}
# status: draft   # bỏ dấu # ở đầu dòng để lưu nháp, không đăng
author: ""
source_unit: ""
locality: ""
province: ""
summary: ""
# Lĩnh vực (một hoặc nhiều mã): {areas}
areas: []
tags: []
# Đường dẫn (slug) của kế hoạch mà tin này nói đến, nếu có.
plans: []
---

{body} Mỗi đoạn cách nhau một dòng trống.
"""

PLAN_TEMPLATE = """---
# Tóm tắt kế hoạch / quyết định. Các dòng bắt đầu bằng # là hướng dẫn, có thể xóa.
type: ke-hoach
id: {uid}
title: '{title}'
date: {date}
# Kế hoạch | Quyết định | Nghị quyết | Chương trình | Chỉ thị
doc_type: Kế hoạch
# Số ký hiệu như 179/KH-UBND. Nếu văn bản gốc không nêu, để trống và ghi lý do ở doc_number_note.
doc_number: ""
doc_number_note: ""
issuer: ""
# Ngày ban hành: ngày/tháng/năm
issue_date: ""
# Một năm (2024) hoặc giai đoạn (2021-2025)
period: ""
locality: ""
province: ""
lead_unit: ""
summary: ""
# Lĩnh vực: {areas}
areas: []
legal_bases:
  - number: ""
    doc_type: ""
    issuer: ""
    date: ""
    title: ""
targets:
  - measure: ""
    comparator: ">="
    value: ""
    unit: "%"
    year: ""
# Đường dẫn (slug) của các tin bài nói về kế hoạch này.
news: []
---

{body}
"""

REPORT_TEMPLATE = """---
# Báo cáo kết quả (CCHC). Các dòng bắt đầu bằng # là hướng dẫn, có thể xóa.
type: bao-cao
id: {uid}
title: '{title}'
date: {date}
# Số ký hiệu như 45/BC-UBND. Nếu báo cáo gốc không nêu, để trống và ghi lý do ở doc_number_note (không tự đặt số).
doc_number: ""
doc_number_note: ""
# Ngày ban hành: ngày/tháng/năm, để trống nếu không rõ
issue_date: ""
reporting_unit: ""
locality: ""
province: ""
# Kỳ báo cáo: quý I/2025 | 6 tháng đầu năm 2025 | 6 tháng cuối năm 2025 | 9 tháng đầu năm 2025 | năm 2025
report_period: ""
summary: ""
# Lĩnh vực: {areas}
areas: []
# Đường dẫn (slug) của kế hoạch được báo cáo.
plans: []
# Mỗi kết quả: mã chỉ tiêu (danh mục: docs/staff-guide.md), giá trị, trích nguyên văn; as_of để trống = hết kỳ báo cáo.
results:
  - indicator: ""
    value: ""
    as_of: ""
    quote: ""
    evidence: ""
---

{body}
"""

RECORD_TEMPLATE = """---
# Văn bản không phải kế hoạch của địa phương (Nghị định, Thông tư, Luật…). Các dòng bắt đầu bằng # là
# hướng dẫn, có thể xóa. Chỉ ghi điều đã đối chiếu với văn bản gốc; chưa biết thì để nguyên dấu #
# (trang văn bản ghi “Chưa rõ”). Chạy `make check` để kiểm tra.
type: van-ban
doc_number: {number}
# Loại văn bản: {doc_types}
doc_type: {doc_type}
# Ngày đối chiếu thông tin với văn bản gốc lần gần nhất (ngày/tháng/năm); sửa khi đối chiếu lại.
checked: {day}
# title: "…"                     # trích yếu, chép đúng văn bản gốc
# issuer: ""                     # cơ quan ban hành
# issue_date: ""                 # ngày ban hành
# effective_date: ""             # ngày có hiệu lực
# validity: chua-ro              # con-hieu-luc | het-hieu-luc | chua-ro
# official_url: https://…        # văn bản trên nguồn chính thức: chỉ ghi địa chỉ đã mở được
# attachment: {{path: files/{slug}.pdf, title: "{number} (PDF)"}}   # tệp đặt trong content/files/
# replaced_by / repealed_by / amended_by: văn bản thay thế, bãi bỏ, sửa đổi và từ ngày nào
# amended_by:
#   - number: ""
#     date: ""
---
"""

# `make new TYPE=…`: "tin" or the value written in `type:` ("tin-tuc") for news.
FOLDERS = {"tin": ("tin-tuc", NEWS_TEMPLATE, PLACEHOLDER_BODIES[0]),
           "tin-tuc": ("tin-tuc", NEWS_TEMPLATE, PLACEHOLDER_BODIES[0]),
           "ke-hoach": ("ke-hoach", PLAN_TEMPLATE, PLACEHOLDER_BODIES[1]),
           "bao-cao": ("bao-cao", REPORT_TEMPLATE, PLACEHOLDER_BODIES[2]),
           "van-ban": ("van-ban", RECORD_TEMPLATE, "")}
# A document record is named by its number, not a title: `make new TYPE=van-ban TITLE="224/2026/NĐ-CP"`.
RECORD_EXAMPLE = 'make new TYPE=van-ban TITLE="224/2026/NĐ-CP"'


class NotANumber(ValueError):
    """`make new TYPE=van-ban` was given no document number (Vietnamese message)."""


def _record_number(title):
    """The one document number a van-ban TITLE names → DocNumber; NotANumber when none or several."""
    from cchc.core.docnum import find_doc_numbers, parse_doc_number

    doc = parse_doc_number(title)
    found = [doc] if doc else find_doc_numbers(title)
    if len(found) != 1:
        what = "không có số ký hiệu nào" if not found else "có nhiều số ký hiệu (" + ", ".join(
            d.text for d in found) + ")"
        raise NotANumber(f"văn bản được đặt tên theo số ký hiệu, nhưng “{title}” {what}; ghi đúng một số ký "
                         f"hiệu, ví dụ: {RECORD_EXAMPLE}")
    return found[0]


def _yaml_single_quoted(title):
    """The title as typed (quotes, $, backticks…) inside YAML '…': only ' is doubled; one line."""
    return " ".join(title.split()).replace("'", "''")


class TargetExists(FileExistsError):
    """The file `cchc new` would write already exists."""


def new_post(kind, title, content_dir="content", now=None):
    """Write a template for *kind* (a key of FOLDERS) and return its path."""
    folder, template, body = FOLDERS[kind]
    now = now or dt.datetime.now(VN_TZ)
    if kind == "van-ban":
        return _new_record(title, Path(content_dir) / folder, now)
    slug = short_slug(slugify(title)) or "bai-moi"  # the slug the post gets: a file name that fits
    path = Path(content_dir) / folder / f"{slug}.md"
    if path.exists():
        raise TargetExists(f"{path} đã có; không ghi đè. Hãy đặt tiêu đề khác hoặc sửa tệp đó.")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = template.format(
        uid=uuid.uuid4(), title=_yaml_single_quoted(title), date=now.strftime("%d/%m/%Y %H:%M"),
        areas=", ".join(AREAS), body=body,
    )
    write_whole(path, text, replace=False, durable=True)  # fails rather than overwrite
    return path


def _new_record(title, folder, now):
    """content/van-ban/<number's slug>.md: the number, the type its symbol implies and today as
    `checked`, so the file passes `make check` as written; every other fact is left commented out."""
    from cchc.core.docnum import doc_type_of
    from cchc.core.doctypes import NAMES

    doc = _record_number(title)
    path = folder / f"{doc.slug}.md"
    if path.exists():
        raise TargetExists(f"{path} đã có (văn bản {doc.text}); không ghi đè. Hãy sửa tệp đó.")
    plan = _plan_with_number(folder.parent, doc)
    if plan:
        raise TargetExists(f"{doc.text} là số của kế hoạch {plan}: kế hoạch là bản ghi của chính văn bản đó "
                           "(thông tin, hiệu lực ghi trong tệp kế hoạch); không tạo tệp văn bản.")
    folder.mkdir(parents=True, exist_ok=True)
    doc_type = doc_type_of(doc)
    text = RECORD_TEMPLATE.format(number=doc.text, doc_types=" | ".join(NAMES), slug=doc.slug,
                                  doc_type=doc_type or '""', day=now.strftime("%d/%m/%Y"))
    write_whole(path, text, replace=False, durable=True)
    return path


def _plan_with_number(content_dir, doc):
    """The plan file (content/ke-hoach/) whose doc_number is *doc*, or None."""
    from cchc.core.docnum import parse_doc_number
    from cchc.core.frontmatter import FrontMatterError, load, split

    for path in sorted((Path(content_dir) / "ke-hoach").glob("*.md")):
        try:
            data, _lines = load(split(path.read_text(encoding="utf-8"))[0])
        except (OSError, UnicodeDecodeError, FrontMatterError):
            continue
        number = parse_doc_number(str(data.get("doc_number") or ""))
        if number is not None and number.key == doc.key:
            return str(path)
    return None
