"""The one front-matter schema for posts, plan summaries and pages.

Used by the Pelican reader (a bad post fails the build) and by ``cchc check``
(the same checks without building). Messages are Vietnamese and name file, line and
field, for communications staff.
"""

import contextlib
import hashlib
import os
import pickle
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import doctypes, indicators, sanitize, sitepaths
from . import results as results_rules
from .areas import AREAS
from .dates import DateError, parse_vi_date
from .docnum import parse_doc_number
from .frontmatter import FrontMatterError, load, split
from .markdown_limits import markdown_problems
from .numbers import COMPARATOR_SIGNS, vi_number
from .text import MAX_SLUG, nfc, printable, short_slug, slugify

TYPES = {"tin-tuc": "Tin tức", "ke-hoach": "Kế hoạch", "bao-cao": "Báo cáo", "van-ban": "Văn bản", "trang": "Trang"}
# A "van-ban" record is no article (no listing, feed or category page): it describes a document on
# its /van-ban/ page (plugin cchc_documents reads content/van-ban/).
DOC_TYPES = doctypes.NAMES
DATE_STATUSES = ("chac-chan", "nghi-van", "khong-ro")
STATUSES = ("published", "draft", "hidden")
VALIDITY = ("con-hieu-luc", "het-hieu-luc", "chua-ro")
COMPARATORS = tuple(COMPARATOR_SIGNS)

N, K, B, V, T = "tin-tuc", "ke-hoach", "bao-cao", "van-ban", "trang"
POSTS = (N, K, B)  # news items, plan summaries, reports: the dated posts
ALL = (N, K, B, V, T)
# Where the web editor shows a field, in this order: (group, heading, collapsed). The first
# group has no heading: what staff write. The old portal's fields are folded away at the end.
GROUPS = (
    ("bai", "Bài viết", False),
    ("phan-loai", "Phân loại", False),
    ("them", "Thông tin thêm", False),
    ("cong-cu", "Thông tin từ cổng cũ (do công cụ chuyển bài ghi; thường không cần sửa)", True),
)


@dataclass(frozen=True)
class Field:
    """One front-matter field: the one place its facts are written. The check and the reader
    (validate), `cchc check`'s messages (Problem), the web editor's form (cchc.studio.cmsconfig)
    and the browser's save rules (cms-rules.json, read by cms-rules.js) all read this table.

    kind: how its value is checked (``_check_<kind>``, ``choice:<set>``, a group kind in
    validate()); "body" is the Markdown below the front matter, not a front-matter key.
    group: where the editor shows it (GROUPS); the table's order is the form's order.
    on: the types (TYPES) whose editor offers it; required: the types that must have it;
    unless (field, value): not required when that field has that value; message: what the
    editor says when such a conditional field is missing; help: the editor's hint (the kind's
    hint when empty); at_least_one: the types where a list written empty ([]) does not count as
    there once published (a draft may leave it empty)."""

    name: str
    label: str
    kind: str
    group: str
    on: tuple
    required: tuple = ()
    help: str = ""
    unless: tuple = ()
    message: str = ""
    at_least_one: tuple = ()


TABLE = (
    Field("type", "Loại bài", "choice:type", "bai", ALL, ALL),
    Field("id", "Mã định danh cố định", "id", "bai", (N, K, B, T)),
    Field("title", "Tiêu đề", "text", "bai", ALL, (N, K, B, T), help="Tiêu đề đầy đủ, viết như trong văn bản."),
    Field("date", "Ngày đăng", "date", "bai", POSTS, POSTS,
          help=("Ngày đăng, giờ Việt Nam, ngày viết trước tháng (ví dụ 02/07/2021 15:39). Nếu nguồn không "
                "ghi ngày: để trống và chọn “Không rõ” ở ô độ tin cậy."),
          unless=("date_status", "khong-ro"),
          message=("chưa có “Ngày đăng”: gõ ngày (ngày/tháng/năm), hoặc nếu nguồn không ghi ngày, chọn "
                   "“Không rõ” ở ô “Độ tin cậy của ngày đăng” (nhóm Thông tin thêm) và ghi lý do")),
    Field("summary", "Tóm tắt", "text", "bai", (N, K, B, T), POSTS,
          help="Một hai câu tóm tắt, hiện ở danh sách bài và kết quả tìm kiếm."),
    Field("body", "Nội dung", "body", "bai", ALL, (N, K, B, T), help="Mỗi đoạn cách nhau một dòng trống."),
    Field("status", "Trạng thái", "choice:status", "bai", ALL,
          help="Bật để lưu nháp: bài không được đăng lên cổng."),
    Field("doc_number", "Số ký hiệu", "docnum", "phan-loai", (K, B, V), (V,),
          help=("Số ký hiệu đúng như trên văn bản: 179/KH-UBND, 93/2007/QĐ-TTg, văn bản của Đảng "
                "16-NQ/TU. Nguồn không nêu thì để trống và ghi lý do ở ô bên dưới; không tự đặt số.")),
    Field("doc_number_note", "Ghi chú về số ký hiệu", "text", "phan-loai", (K, B),
          help="Bắt buộc khi để trống số ký hiệu: vì sao chưa có số."),
    Field("doc_type", "Loại văn bản", "choice:doc_type", "phan-loai", (K, V), (K, V),
          help="Loại văn bản của kế hoạch."),
    Field("issuer", "Cơ quan ban hành", "text", "phan-loai", (K, V), (K,),
          help="Tên cơ quan ban hành tại thời điểm ban hành, ví dụ: UBND huyện Tam Dương."),
    Field("issue_date", "Ngày ban hành", "date", "phan-loai", (K, B, V),
          help="Ngày ban hành, ngày viết trước tháng (ví dụ 03/11/2021)."),
    Field("issue_date_note", "Ghi chú về ngày ban hành", "text", "phan-loai", (K, B),
          help="Khi nguồn không nêu ngày ban hành: ghi lý do."),
    Field("period", "Giai đoạn", "period", "phan-loai", (K,), (K,),
          help="Một năm (2024) hoặc một giai đoạn (2021-2025)."),
    Field("lead_unit", "Đơn vị chủ trì", "text", "phan-loai", (K,),
          help="Đơn vị chủ trì thực hiện, ví dụ: Phòng Nội vụ huyện Tam Dương."),
    Field("reporting_unit", "Đơn vị báo cáo", "text", "phan-loai", (B,), (B,)),
    Field("report_period", "Kỳ báo cáo", "report_period", "phan-loai", (B,), (B,)),
    Field("results", "Kết quả", "results", "phan-loai", (B,)),
    Field("legal_bases", "Căn cứ pháp lý", "legal_bases", "phan-loai", (K,),
          help="Các văn bản làm căn cứ: số ký hiệu, hoặc cách dẫn nguyên văn khi văn bản không có số."),
    Field("targets", "Chỉ tiêu", "targets", "phan-loai", (K,),
          help="Chỉ tiêu định lượng, kèm câu trích nguyên văn từ nguồn."),
    Field("validity", "Hiệu lực của văn bản", "choice:validity", "phan-loai", (K, V),
          help="Văn bản còn hiệu lực, hết hiệu lực hay chưa rõ (chỉ chọn khi đã tra văn bản gốc)."),
    Field("effective_date", "Ngày có hiệu lực", "date", "phan-loai", (K, V),
          help=("Ngày văn bản bắt đầu có hiệu lực, theo văn bản gốc. Chưa biết thì để trống "
                "(trang ghi “Chưa rõ”).")),
    Field("replaced_by", "Bị thay thế bởi", "relations", "phan-loai", (K, V),
          help="Văn bản thay thế văn bản này và ngày thay thế có hiệu lực."),
    Field("repealed_by", "Bị bãi bỏ bởi", "relations", "phan-loai", (K, V),
          help="Văn bản bãi bỏ văn bản này và ngày bãi bỏ có hiệu lực."),
    Field("amended_by", "Được sửa đổi, bổ sung bởi", "relations", "phan-loai", (K, V),
          help="Văn bản sửa đổi, bổ sung văn bản này và ngày có hiệu lực."),
    Field("official_url", "Nguồn chính thức (địa chỉ văn bản trên cổng của cơ quan ban hành)", "url", "phan-loai",
          (K, V),
          help=("Địa chỉ văn bản trên cổng của cơ quan ban hành hoặc cơ sở dữ liệu văn bản chính thức; "
                "chỉ ghi địa chỉ đã mở được, không đoán.")),
    Field("checked", "Ngày kiểm tra thông tin", "date", "phan-loai", (K, V), (V,),
          help="Ngày cán bộ đối chiếu các thông tin này với văn bản gốc lần gần nhất."),
    Field("attachment", "Tệp đính kèm", "attachment", "phan-loai", (N, K, B, V),
          help="Tệp gốc (PDF) của văn bản, nếu có."),
    Field("history_note", "Ghi chú lịch sử", "text", "phan-loai", (K,),
          help="Ví dụ: Huyện Tam Dương không còn là đơn vị hành chính cấp huyện từ 01/7/2025."),
    Field("areas", "Lĩnh vực CCHC", "areas", "phan-loai", POSTS, POSTS,
          help="Chọn ít nhất một lĩnh vực cải cách hành chính."),
    Field("locality", "Địa phương", "unit", "phan-loai", POSTS, POSTS,
          help=("Đơn vị hành chính lúc đăng bài (bài năm 2021: Quận Tây Hồ; từ 01/07/2025: Phường Tây "
                "Hồ). Gõ tên cũ hay mới, có dấu hay không dấu, rồi chọn trong danh sách.")),
    Field("province", "Tỉnh, thành phố", "province", "phan-loai", POSTS,
          help="Tỉnh, thành phố lúc đăng bài, khi tên địa phương trùng ở nhiều tỉnh, ví dụ: Thành phố Hà Nội."),
    Field("locality_code", "Mã đơn vị hành chính của địa phương", "unit_code", "phan-loai", POSTS),
    Field("plans", "Kế hoạch liên quan", "slugs", "phan-loai", (N, B), (B,),
          help="Các kế hoạch mà tin này nói đến (chọn từ các kế hoạch đã có).",
          at_least_one=(B,)),  # a report is results against a plan: `plans: []` says nothing
    Field("news", "Tin bài về kế hoạch", "slugs", "phan-loai", (K,), (K,),
          help="Các tin bài về kế hoạch này (chọn từ các tin đã có; cần ít nhất một)."),
    Field("tags", "Từ khóa", "list", "phan-loai", POSTS, help="Từ khóa, mỗi từ khóa cách nhau bằng dấu phẩy."),
    Field("lang", "Ngôn ngữ", "choice:lang", "phan-loai", (T,), help="Trang tiếng Anh có đường dẫn /en/<slug>/."),
    Field("template", "Mẫu trang", "slug", "phan-loai", (T,), help="Để trống; trang liên hệ dùng contact."),
    Field("order", "Thứ tự", "int", "phan-loai", (T,), help="Thứ tự trong trình đơn (số nguyên)."),
    Field("date_status", "Độ tin cậy của ngày đăng", "choice:date_status", "them", POSTS,
          help="Để trống nếu chắc chắn. Nghi vấn hoặc Không rõ thì phải ghi lý do ở ô bên dưới."),
    Field("date_note", "Ghi chú về ngày đăng", "text", "them", POSTS,
          help="Lý do ngày đăng nghi vấn hoặc không rõ, ví dụ: Trang gốc không ghi ngày đăng."),
    Field("modified", "Ngày cập nhật", "date", "them", (N, K, B, T),
          help="Ngày cập nhật bài (nếu có sửa đổi nội dung sau khi đăng)."),
    Field("changes", "Lịch sử cập nhật", "changes", "them", ALL,
          help="Mỗi lần sửa nội dung sau khi đăng: ngày và nội dung thay đổi, mới nhất trước."),
    Field("slug", "Đường dẫn (slug)", "slug", "them", (N, K, B, T), (T,),
          help="Tùy chọn. Mặc định lấy từ tiêu đề, không dấu, ví dụ day-manh-cai-cach."),
    Field("author", "Tác giả", "text", "them", POSTS,
          help="Người viết, ví dụ: Trần Trung Kiên - Trưởng phòng CCHC."),
    Field("source_unit", "Đơn vị nguồn tin", "text", "them", POSTS,
          help="Đơn vị đưa tin, ví dụ: Trung tâm VH-TT&TT Tây Hồ."),
    Field("source_ref", "Nguồn", "text", "them", POSTS, help="Dòng “Nguồn: …” của bài, nếu có."),
    Field("image", "Ảnh chia sẻ", "image", "them", POSTS,
          help="Ảnh hiện khi chia sẻ bài lên mạng xã hội, kèm mô tả ảnh."),
    Field("counterpart", "Trang tương ứng ở ngôn ngữ kia", "slug", "them", (N, K, B, T),
          help="Đường dẫn (slug) của trang cùng nội dung ở ngôn ngữ kia."),
    Field("source_section", "Chuyên mục trên cổng cũ", "text", "cong-cu", POSTS,
          help="Chuyên mục trên cổng cũ (do công cụ chuyển bài ghi)."),
    Field("source_url", "Địa chỉ trên cổng cũ", "url", "cong-cu", POSTS,
          help="Địa chỉ bài trên cổng cũ (do công cụ chuyển bài ghi)."),
    Field("old_paths", "Đường dẫn cũ", "paths", "cong-cu", POSTS,
          help="Đường dẫn trên cổng cũ (do công cụ chuyển bài ghi); thường không cần sửa."),
    Field("plone_uid", "Mã UID trên Plone", "id", "cong-cu", POSTS,
          help="Mã trên Plone (do công cụ chuyển bài ghi); không sửa."),
)
# name → (Vietnamese label, kind) of every front-matter key (the body is no key). A one-value kind
# is checked by _check_<kind> (choice:<set> by _check_choice); the groups (legal_bases, targets,
# changes, image, attachment) in validate().
FIELDS = {f.name: (f.label, f.kind) for f in TABLE if f.kind != "body"}
CHOICES = {
    "type": tuple(TYPES),
    "date_status": DATE_STATUSES,
    "status": STATUSES,
    "doc_type": DOC_TYPES,
    "lang": ("vi", "en"),
    "validity": VALIDITY,
}
# How the editor names the values of some choices (the value itself otherwise).
CHOICE_LABELS = {
    "date_status": {"chac-chan": "Chắc chắn", "nghi-van": "Nghi vấn", "khong-ro": "Không rõ"},
    "lang": {"vi": "Tiếng Việt", "en": "Tiếng Anh (English)"},
    "validity": {"con-hieu-luc": "Còn hiệu lực", "het-hieu-luc": "Hết hiệu lực", "chua-ro": "Chưa rõ"},
}
# type → the front-matter fields it must have (a field with `unless` only when that does not hold).
REQUIRED = {t: tuple(f.name for f in TABLE if t in f.required and f.kind != "body") for t in TYPES}
# name → (other field, value): required unless the other field has that value.
REQUIRED_UNLESS = {f.name: f.unless for f in TABLE if f.unless}
# type → the list fields that need at least one item once published (a plan's `news: []` may wait
# for its first news item; a report's `plans: []` may not).
AT_LEAST_ONE = {t: tuple(f.name for f in TABLE if t in f.at_least_one) for t in TYPES}
# Kinds of posts whose body must not be empty (a page may be short, e.g. a contact page built
# from settings, but not empty either): published with metadata only, the post says nothing.
BODY_REQUIRED = next(f.required for f in TABLE if f.kind == "body")
# The editor's hint of a field whose row says none, by kind (the part before ":").
KIND_HELP = {
    "date": "Ngày viết trước tháng: ngày/tháng/năm, ví dụ 25/11/2021.",
    "slug": "Chữ thường không dấu, số và dấu gạch ngang.",
    "slugs": "Chọn từ các bài đã có.",
    "list": "Mỗi mục cách nhau bằng dấu phẩy.",
    "paths": "Đường dẫn bắt đầu bằng /.",
    "url": "Địa chỉ đầy đủ, bắt đầu bằng https://.",
    "int": "Số nguyên.",
    "docnum": "Số ký hiệu, ví dụ 179/KH-UBND.",
    "period": "Một năm hoặc một giai đoạn.",
    "id": "Chữ, số và - _ : . (ít nhất 6 ký tự).",
    "text": "",
    "choice": "",
}
# Hints of sub-fields of the groups (legal_bases, targets, changes, relations, image, attachment).
SUB_HELP = {
    "note": "Nội dung thay đổi, hoặc ghi chú.",
    "alt": "Mô tả ngắn nội dung ảnh cho người không xem được ảnh.",
    "number": "Ví dụ 76/NQ-CP.",
    "reference": "Khi văn bản không có số ký hiệu: cách dẫn nguyên văn.",
    "date": "Ngày ban hành, ngày viết trước tháng.",
    "value": "Một số, ví dụ 95 hoặc 96,6.",
    "quote": "Câu trích nguyên văn từ nguồn.",
    "path": "Tải tệp lên (PDF, Word…); tệp nằm trong content/files/.",
}
# The entries of the group kinds: kind → {sub-field: (label, kind, required in each entry)}. The
# check's converters below (_legal_basis, _target, _result, _change, _relation, _file_ref) and the
# editor's list rows and groups (cchc.studio.cmsconfig) read them. "number", "year", "indicator",
# "comparator" are checked inside _target/_result; "file"/"image" are paths under content/.
SUB_FIELDS = {
    "legal_bases": {
        "number": ("Số ký hiệu", "docnum", False), "reference": ("Cách dẫn khi không có số ký hiệu", "text", False),
        "doc_type": ("Loại văn bản", "choice:doc_type", False), "title": ("Trích yếu", "text", False),
        "issuer": ("Cơ quan ban hành", "text", False), "date": ("Ngày ban hành", "date", False),
    },
    "targets": {
        "indicator": ("Mã chỉ tiêu (danh mục chỉ tiêu)", "indicator", False),
        "measure": ("Nội dung đo", "text", True), "comparator": ("So sánh", "comparator", False),
        "value": ("Giá trị", "number", True), "unit": ("Đơn vị", "text", False), "year": ("Năm", "year", False),
        "note": ("Ghi chú", "text", False), "quote": ("Trích nguyên văn", "text", False),
    },
    "results": {
        "indicator": ("Mã chỉ tiêu (danh mục chỉ tiêu)", "indicator", True), "value": ("Giá trị", "number", True),
        "unit": ("Đơn vị", "text", False), "as_of": ("Tính đến (ngày hoặc kỳ)", "text", False),
        "quote": ("Trích nguyên văn", "text", True), "evidence": ("Tài liệu kiểm chứng", "text", False),
    },
    "changes": {"date": ("Ngày cập nhật", "date", True), "note": ("Nội dung thay đổi", "text", True)},
    # replaced_by / repealed_by / amended_by: which document, from which day (cchc.core.validity).
    "relations": {"number": ("Số ký hiệu của văn bản kia", "docnum", True), "date": ("Từ ngày", "date", True),
                  "note": ("Ghi chú", "text", False)},
    # `size` of an attachment is the build's (describe_attachment), never written by staff.
    "attachment": {"path": ("Đường dẫn tệp", "file", True), "title": ("Tên tệp", "text", True),
                   "size": ("Dung lượng", "text", False)},
    "image": {"path": ("Đường dẫn ảnh", "image", True), "alt": ("Mô tả ảnh", "text", True)},
}


def _labels(kind):
    return {k: v[0] for k, v in SUB_FIELDS[kind].items()}


def sub_required(kind):
    """The sub-fields each entry of group *kind* must give."""
    return tuple(k for k, (_label, _kind, req) in SUB_FIELDS[kind].items() if req)


RESULT_FIELDS = _labels("results")
LEGAL_BASIS_FIELDS = _labels("legal_bases")
TARGET_FIELDS = _labels("targets")
ATTACHMENT_FIELDS = _labels("attachment")
CHANGE_FIELDS = _labels("changes")
RELATION_FIELDS = _labels("relations")
IMAGE_FIELDS = _labels("image")
# Kinds that name a file under content/ → the fields each one must give.
FILE_REFS = {"image": sub_required("image"), "attachment": sub_required("attachment")}
# The body sentences `cchc new` writes: a post still holding one is not written yet.
PLACEHOLDER_BODIES = ("Viết nội dung tin ở đây.", "Tóm tắt nội dung chính của kế hoạch ở đây.",
                      "Tóm tắt nội dung chính của báo cáo ở đây.")
# A summary is the page's meta description and the text of its listing card. Search engines show
# about 150-160 characters of a description; 300 (two short Vietnamese sentences) leaves room for
# the seeds' real summaries (at most 243) while refusing a pasted paragraph (issue 31).
SUMMARY_LIMIT = 300
# What staff are told to run to convert text to NFC (a make target: `cchc` is not on their PATH).
FIX_NFC_COMMAND = "make fix-nfc"


@dataclass
class Problem:
    """One thing wrong in one file, said in Vietnamese."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.field:
            base = self.field.split("[", 1)[0].split(".", 1)[0]
            label = FIELDS.get(base, (None,))[0]
            name = f"trường “{self.field}”" + (f" ({label})" if label else "")
            return f"{where}: {name}: {self.message}"
        return f"{where}: {self.message}"


class ContentError(ValueError):
    """A post that breaks the schema; str() lists every problem, one per line."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Document:
    """A checked post: typed metadata, body text and where the body starts."""

    path: str
    meta: dict
    body: str
    body_line: int
    lines: dict = field(default_factory=dict)
    body_findings: list = field(default_factory=list)  # sanitize.Finding, set by check_tree
    rewritten: list = field(default_factory=list)  # Problem: values published otherwise than written
    # What the checks derive from this post alone (derived()): kept with it between builds.
    derived_values: dict = field(default_factory=dict, repr=False, compare=False)


def derived(doc, name, compute):
    """compute(*doc*), kept on the Document under *name*: for what depends on the post and the
    code alone. A build keeps its Documents for the next (keep_documents, save_documents, under a
    key of the code), so each post's value is computed once per version of the post: the scans
    of every body for document numbers were ~0.5 s of CPU in each build's check at 2,000 posts."""
    try:
        return doc.derived_values[name]
    except KeyError:
        value = doc.derived_values[name] = compute(doc)
        return value


def _is_nfc(value):
    return nfc(value) == value


def _text(value):
    if not isinstance(value, str):
        raise ValueError("phải là một dòng chữ, không phải danh sách hay nhóm trường")
    if not value.strip():
        raise ValueError("đang để trống")
    if not _is_nfc(value):
        raise ValueError("chữ chưa ở dạng Unicode dựng sẵn (NFC); hãy gõ lại bằng bộ gõ Unicode "
                         f"dựng sẵn hoặc chạy `{FIX_NFC_COMMAND}`")
    return value.strip()


def _list(value):
    if isinstance(value, str):
        value = [v for v in (x.strip() for x in value.split(",")) if v]
    if not isinstance(value, list):
        raise ValueError("phải là một danh sách, ví dụ: [muc-mot, muc-hai]")
    return [_text(v) for v in value]


def _check(kind, value):
    """*value* of a field of *kind* checked and typed by ``_check_<kind>``; ``choice:<set>``
    goes to _check_choice with the set's name. Raises ValueError with the Vietnamese message."""
    kind, _, choice = kind.partition(":")
    check = globals()[f"_check_{kind}"]
    return check(value, choice) if choice else check(value)


def _check_text(value):
    return _text(value)


def _check_unit(value):
    """A locality: text here; which administrative unit it names is locality_problems' work."""
    return _text(value)


def _check_province(value):
    return _text(value)


def _check_choice(value, name):
    choices = CHOICES[name]
    text = _text(value)
    if text not in choices:
        raise ValueError(f"“{text}” không hợp lệ; chọn một trong: {', '.join(choices)}")
    return text


def _check_date(value):
    try:
        return parse_vi_date(_text(value))
    except DateError as exc:
        raise ValueError(str(exc)) from None


# Value grammars of some field kinds and what is said when a value breaks one: the check below
# and the web editor's generated config (cchc.studio.cmsconfig: pattern and message of each
# form field) read these, so the form refuses what the check would, in the same words.
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9:._-]{5,}"
URL_PATTERN = r"https?://[^\s/?#]+[^\s]*"
PERIOD_PATTERN = r"((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?"
YEAR_PATTERN = r"(?:19|20)\d\d"
NUMBER_PATTERN = r"-?\d+(?:[.,]\d+)?"  # a target's or result's value: 95, 96,6, -2.5
KIND_MESSAGES = {
    "slug": "phải chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ day-manh-cai-cach",
    "id": "mã định danh chỉ gồm chữ, số và - _ : . (ít nhất 6 ký tự)",
    "url": "phải là địa chỉ web đầy đủ, bắt đầu bằng http:// hoặc https://",
    "docnum": "không đúng dạng số ký hiệu, ví dụ 179/KH-UBND, 93/2007/QĐ-TTg hoặc (văn bản của Đảng) 16-NQ/TU",
    "period": "phải là một năm (2024) hoặc một giai đoạn (2021-2025)",
    "number": "phải là một số, ví dụ 95 hoặc 96,6",
    "year": "phải là một năm, ví dụ 2025",
}


def _check_slug(value):
    text = _text(value)
    if not re.fullmatch(SLUG_PATTERN, text):
        raise ValueError(f"“{text}” {KIND_MESSAGES['slug']}")
    if len(text) > MAX_SLUG:
        raise ValueError(f"“{text[:40]}…” dài {len(text)} ký tự, quá giới hạn {MAX_SLUG} ký tự của một đường "
                         "dẫn (tên thư mục trên máy chủ có giới hạn): hãy viết ngắn hơn; nếu đây là đường dẫn "
                         "tự tạo từ một tiêu đề dài thì đường dẫn của bài đó đã được rút gọn thành "
                         f"“{short_slug(text)}”")
    return text


def _check_slugs(value):
    return [_check_slug(v) for v in _list(value)]


def _check_id(value):
    text = _text(value)
    if not re.fullmatch(ID_PATTERN, text):
        raise ValueError(KIND_MESSAGES["id"])
    return text


def _check_list(value):
    return _list(value)


def _check_url(value):
    text = _text(value)
    if not re.fullmatch(URL_PATTERN, text):
        raise ValueError(f"“{text}” {KIND_MESSAGES['url']}")
    return text


def old_path_error(text):
    """Why *text* cannot be an old path (Vietnamese), or None. Old paths are written into the
    nginx and Apache redirect maps: nothing that could end a directive, written plainly or
    percent-encoded (%0A, %20, %22). (What it may not take over: cchc.core.sitepaths.)"""
    from urllib.parse import unquote

    if not isinstance(text, str):
        return "phải là một đường dẫn (chuỗi chữ)"
    if not re.fullmatch(r"/[^\s#]*", text) or "/../" in f"{text}/":
        return (f"“{printable(text)}” phải là đường dẫn bắt đầu bằng '/', không có khoảng trắng, "
                "ví dụ /tin-tuc/bai-cu hoặc /Lists/TinTuc/View_Detail.aspx?ItemID=70")
    # Any Unicode white space too (NBSP, U+2028…): some servers' argument parsers take it for one.
    bad = re.search(r"[\x00-\x20\x7f-\x9f\"'<>\\`{}|^;]|\s", unquote(text) + text)
    if bad:
        return (f"“{printable(text)}” có ký tự không được dùng trong đường dẫn cũ "
                f"(U+{ord(bad.group()):04X}, kể cả viết dạng %xx như %0A, %20, %22); "
                "hãy bỏ đường dẫn này hoặc viết lại không có ký tự đó")
    # Its redirect page is a file at that path: each part a folder or file name.
    longest = max(len(part.encode("utf-8")) for part in unquote(text).split("/"))
    if longest > MAX_SLUG:
        return (f"“{printable(text[:60])}…” có một phần (giữa hai dấu /) dài {longest} byte, quá giới hạn "
                f"{MAX_SLUG} của một tên thư mục hay tệp: trang chuyển hướng của nó không ghi được; "
                "hãy bỏ đường dẫn này")
    return None


def _check_paths(value):
    paths = _list(value) if not isinstance(value, str) else [_text(value)]
    for text in paths:
        error = old_path_error(text)
        if error:
            raise ValueError(error)
    return paths


def _check_unit_code(value):
    text = _text(value)
    if not re.fullmatch(r"\d{2}|\d{3}|\d{5}", text):
        raise ValueError(f"“{text}” phải là mã đơn vị hành chính: 2 chữ số (tỉnh), 3 (huyện, trước "
                         "01/07/2025) hoặc 5 (xã, phường, đặc khu), giữ cả số 0 ở đầu, ví dụ 00103")
    return text


def _check_int(value):
    text = _text(value)
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(f"“{text}” phải là số nguyên")
    return int(text)


def _check_areas(value):
    codes = _list(value)
    if not codes:
        raise ValueError("cần ít nhất một lĩnh vực")
    bad = [c for c in codes if c not in AREAS]
    if bad:
        raise ValueError(f"mã lĩnh vực không có: {', '.join(bad)}; các mã hợp lệ: "
                         + ", ".join(AREAS))
    return codes


def _check_docnum(value):
    text = _text(value)
    doc = parse_doc_number(text)
    if not doc:
        from .docnum import suggest_doc_number

        found = suggest_doc_number(text)
        if found and found[1] == "dash":
            raise ValueError(f"“{text}” có dấu gạch dài hoặc dấu gạch chéo lạ (thường do chép từ Word hay PDF); "
                             f"số ký hiệu dùng dấu gạch nối - và dấu gạch chéo /: viết {found[0].text}")
        if found:
            raise ValueError(f"“{text}”: ký hiệu viết chữ hoa như trên văn bản gốc, có phải {found[0].text}? "
                             "(giữ chữ thường nếu văn bản gốc có, ví dụ QĐ-TTg, Ctr)")
        raise ValueError(f"“{text}” {KIND_MESSAGES['docnum']}")
    return doc.text


def _check_period(value):
    text = _text(value)
    m = re.fullmatch(PERIOD_PATTERN, text)
    if not m or (m.group(2) and m.group(2) < m.group(1)):
        raise ValueError(f"“{text}” {KIND_MESSAGES['period']}")
    return f"{m.group(1)}-{m.group(2)}" if m.group(2) else m.group(1)


def _check_items(name, value, fields, lines, problems, path, convert):
    if isinstance(value, str) and not value.strip():
        return []
    if not isinstance(value, list):
        problems.append(Problem(path, lines.get(name), name, "phải là một danh sách các mục bắt đầu bằng '- '"))
        return []
    out = []
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        if isinstance(item, dict) and all(isinstance(v, str) and not v.strip() for v in item.values()):
            # An untouched template row would publish an empty entry.
            problems.append(Problem(path, lines.get(where), where,
                                    "mục này còn để trống (dòng mẫu chưa điền): điền các trường "
                                    f"({', '.join(item)}) hoặc xóa cả mục"))
            continue
        if not isinstance(item, dict):
            problems.append(Problem(path, lines.get(where), where,
                                    "mỗi mục phải gồm các trường: " + ", ".join(fields)))
            continue
        unknown = [k for k in item if k not in fields]
        for k in unknown:
            problems.append(Problem(path, lines.get(f"{where}.{k}"), f"{where}.{k}",
                                    "trường không có trong mẫu; các trường hợp lệ: " + ", ".join(fields)))
        try:
            out.append(convert(item, where))
        except _ItemError as exc:
            problems.append(Problem(path, lines.get(exc.key, lines.get(where)), exc.key, exc.message))
    return out


class _ItemError(Exception):
    def __init__(self, key, message):
        super().__init__(message)
        self.key, self.message = key, message


def _item_field(item, where, key, kind, required=False):
    if key not in item or (isinstance(item[key], str) and not item[key].strip()):
        if required:
            raise _ItemError(f"{where}.{key}", "bắt buộc phải có")
        return None
    try:
        return _check(kind, item[key])
    except ValueError as exc:
        raise _ItemError(f"{where}.{key}", str(exc)) from None


def _entry(item, where, group):
    """Each one-value sub-field of an entry of *group*, checked by its kind and its required flag."""
    return {k: _item_field(item, where, k, kind, required=req)
            for k, (_label, kind, req) in SUB_FIELDS[group].items()}


def _legal_basis(item, where):
    basis = _entry(item, where, "legal_bases")
    if not basis["number"] and not basis["reference"]:
        raise _ItemError(where, "cần số ký hiệu (number) hoặc, khi văn bản không có số ký hiệu, "
                                "cách dẫn nguyên văn (reference)")
    return basis


def _req(group, key):
    return SUB_FIELDS[group][key][2]


def _target(item, where):
    if all(not str(item.get(k) or "").strip() for k in ("measure", "value", "year", "quote")):
        raise _ItemError(where, "chỉ tiêu này còn để trống (dòng mẫu chưa điền): điền measure, value, "
                                "year hoặc xóa cả mục")
    code = _item_field(item, where, "indicator", "text")
    if code and code not in indicators.BY_CODE:
        raise _ItemError(f"{where}.indicator", indicators.unknown_code_message(code))
    target = {
        "indicator": code,
        "measure": _item_field(item, where, "measure", "text", required=_req("targets", "measure")),
        "comparator": _item_field(item, where, "comparator", "text") or ">=",
        "unit": _item_field(item, where, "unit", "text") or "",
        "note": _item_field(item, where, "note", "text"),
        "quote": _item_field(item, where, "quote", "text"),
    }
    if target["comparator"] not in COMPARATORS:
        raise _ItemError(f"{where}.comparator", "phải là một trong: " + " ".join(COMPARATORS))
    raw = _item_field(item, where, "value", "text", required=_req("targets", "value"))
    try:
        if not re.fullmatch(NUMBER_PATTERN, raw):
            raise ValueError(raw)
        target["value"] = float(raw.replace(",", "."))
    except ValueError:
        raise _ItemError(f"{where}.value", f"“{raw}” {KIND_MESSAGES['number']}") from None
    year = _item_field(item, where, "year", "text")
    if year and not re.fullmatch(YEAR_PATTERN, year):
        raise _ItemError(f"{where}.year", f"“{year}” {KIND_MESSAGES['year']}")
    target["year"] = int(year) if year else None
    ind = indicators.BY_CODE.get(code)
    if ind and ind.percent and not 0 <= target["value"] <= 100:
        raise _ItemError(f"{where}.value", f"{raw}% không phải một tỷ lệ phần trăm (phải từ 0 đến 100)")
    return target


def _result(item, where):
    """One achieved value of a report: indicator code, value (a % within 0..100), unit (the
    indicator's), as_of (a day or a period; the report's period when left out), the verbatim
    quote, an optional evidence link (a file under content/files/ or an official http(s) URL)."""
    code = _item_field(item, where, "indicator", "text", required=_req("results", "indicator"))
    ind = indicators.BY_CODE.get(code)
    if ind is None:
        raise _ItemError(f"{where}.indicator", indicators.unknown_code_message(code))
    raw = _item_field(item, where, "value", "text", required=_req("results", "value"))
    try:
        if not re.fullmatch(NUMBER_PATTERN, raw):
            raise ValueError(raw)
        value = float(raw.replace(",", "."))
    except ValueError:
        raise _ItemError(f"{where}.value", f"“{raw}” {KIND_MESSAGES['number']}") from None
    if ind.percent and not 0 <= value <= 100:
        raise _ItemError(f"{where}.value", f"{raw}% không phải một tỷ lệ phần trăm (phải từ 0 đến 100)")
    unit = _item_field(item, where, "unit", "text") or ind.unit
    if unit != ind.unit:
        raise _ItemError(f"{where}.unit", f"chỉ tiêu {code} tính bằng “{ind.unit}”, không phải “{unit}”: "
                                          f"sửa thành unit: \"{ind.unit}\" (hoặc bỏ dòng unit)")
    result = {"indicator": code, "value": value, "unit": unit, "as_of": None, "as_of_label": None,
              "quote": _item_field(item, where, "quote", "text", required=_req("results", "quote")),
              "evidence": _item_field(item, where, "evidence", "text")}
    as_of = _item_field(item, where, "as_of", "text")
    if as_of:
        try:
            day = parse_vi_date(as_of)
            result["as_of"], result["as_of_label"] = day.date(), f"{day:%d/%m/%Y}"
        except DateError:
            try:
                period = results_rules.parse_period(as_of)
            except results_rules.PeriodError:
                raise _ItemError(f"{where}.as_of", f"“{as_of}” không phải một ngày (dd/mm/yyyy) hay một kỳ "
                                 f"báo cáo; viết như 31/12/2025 hoặc {results_rules.PERIOD_EXAMPLES}") from None
            result["as_of"], result["as_of_label"] = period.end, period.label
    evidence = result["evidence"]
    if evidence and not (re.match(r"https?://[^\s/]+\.[^\s]+$", evidence)
                         or re.fullmatch(r"/?files/[^\s]+", evidence)):
        raise _ItemError(f"{where}.evidence", f"“{evidence}” phải là tệp trong content/files/ (files/bao-cao.pdf) "
                                              "hoặc địa chỉ chính thức bắt đầu bằng https://")
    if evidence:
        result["evidence"] = evidence.lstrip("/") if evidence.lstrip("/").startswith("files/") else evidence
    return result


def _check_results(value, lines, problems, path, meta):
    """results: each entry checked alone, then as a whole: not after the build day, never twice."""
    from .dates import build_now

    out = _check_items("results", value, RESULT_FIELDS, lines, problems, path, _result)
    period = meta.get("report_period")
    today = build_now().date()
    seen = {}
    for i, res in enumerate(out):
        where = f"results[{i}]"
        if res["as_of"] is None and period:
            res["as_of"] = results_rules.parse_period(period["label"]).end
            res["as_of_label"] = period["label"]
        line = lines.get(f"{where}.as_of", lines.get(where))
        if res["as_of"] and res["as_of"] > today:
            problems.append(Problem(path, line, f"{where}.as_of", (
                f"kết quả tính đến {res['as_of']:%d/%m/%Y}, sau ngày hôm nay ({today:%d/%m/%Y}): chưa thể có số "
                "liệu này; sửa ngày hoặc kỳ (as_of) cho đúng")))
        key = (res["indicator"], res["as_of"])
        if key in seen:
            problems.append(Problem(path, lines.get(where), where, (
                f"kết quả chỉ tiêu {res['indicator']} tính đến {res['as_of_label'] or ''} đã ghi ở results[{seen[key]}]"
                "; xóa mục trùng")))
        else:
            seen[key] = i
    return out


def _check_report_period(value):
    """'quý I/2025' → {kind, year, label, start, end} (cchc.core.results)."""
    try:
        return results_rules.parse_period(_text(value)).as_dict()
    except results_rules.PeriodError as exc:
        raise ValueError(str(exc)) from None


def _change(item, where):
    return _entry(item, where, "changes")


def _relation(item, where):
    return _entry(item, where, "relations")


def _check_changes(value, lines, problems, path):
    """changes: [{date, note}], newest first like GOV.UK's page history."""
    changes = _check_items("changes", value, CHANGE_FIELDS, lines, problems, path, _change)
    for i in range(1, len(changes)):
        if changes[i]["date"] > changes[i - 1]["date"]:
            problems.append(Problem(path, lines.get(f"changes[{i}]", lines.get("changes")), f"changes[{i}]",
                                    "các lần cập nhật phải xếp mới nhất trước; hãy chuyển mục này lên trên"))
            break
    return changes


def _missing(name, end_line):
    where = f" trước dòng --- (dòng {end_line})" if end_line else ""
    return f"bắt buộc phải có nhưng chưa khai báo; thêm dòng “{name}: …”{where}"


def _file_ref(name, value, required, line, lines, problems, path):
    """A file named in front matter ({path, title} or {path, alt}) → dict, or None with a problem."""
    if not isinstance(value, dict):
        problems.append(Problem(path, line, name, "phải gồm các trường " + " và ".join(required)))
        return None
    try:
        ref = {k: _item_field(value, name, k, "text", required=True) for k in required}
    except _ItemError as exc:
        problems.append(Problem(path, lines.get(exc.key, line), exc.key, exc.message))
        return None
    ref["path"] = ref["path"].lstrip("/")
    return ref


def excused(name, meta):
    """Whether required field *name* may be missing because of another field's value (its row's
    ``unless``: no date when date_status is khong-ro). The browser's save rule is the same
    (cms-rules.js, parity-tested in tests/unit/test_editor_rules.py)."""
    other, value = REQUIRED_UNLESS.get(name, (None, None))
    return other is not None and meta.get(other) == value


def validate(data, lines, path, end_line=None):
    """Check front matter *data* → (typed metadata, problems).

    *end_line*: the line of the closing '---', where a missing field is to be added."""
    problems = []
    meta = {}
    kind = data.get("type")
    if kind is None:
        problems.append(Problem(path, end_line, "type",
                                _missing("type", end_line) + "; chọn một trong: " + ", ".join(TYPES)))
    for name, value in data.items():
        line = lines.get(name)
        if name not in FIELDS:
            problems.append(Problem(path, line, name,
                                    "trường không có trong mẫu; kiểm tra chính tả (các trường hợp lệ "
                                    "xem docs/staff-guide.md, mục Viết bài)"))
            continue
        label_kind = FIELDS[name][1]
        if label_kind == "legal_bases":
            meta[name] = _check_items(name, value, LEGAL_BASIS_FIELDS, lines, problems, path, _legal_basis)
            continue
        if label_kind == "targets":
            meta[name] = _check_items(name, value, TARGET_FIELDS, lines, problems, path, _target)
            continue
        if label_kind == "changes":
            meta[name] = _check_changes(value, lines, problems, path)
            continue
        if label_kind == "results":
            continue  # after the loop: needs report_period
        if label_kind == "relations":
            meta[name] = _check_items(name, value, RELATION_FIELDS, lines, problems, path, _relation)
            continue
        if label_kind in FILE_REFS:
            # "/files/x.pdf" and "files/x.pdf" both mean content/files/x.pdf
            ref = _file_ref(name, value, FILE_REFS[label_kind], line, lines, problems, path)
            if ref is not None:
                meta[name] = ref
            continue
        if isinstance(value, str) and not value.strip():
            continue  # left empty: fine when optional, a required one is reported once below
        try:
            meta[name] = _check(label_kind, value)
        except ValueError as exc:
            problems.append(Problem(path, line, name, str(exc)))
    if "results" in data:
        meta["results"] = _check_results(data["results"], lines, problems, path, meta)
    unknown_date = meta.get("date_status") == "khong-ro"
    if unknown_date and "date" in meta:
        problems.append(Problem(path, lines.get("date"), "date",
                                "date_status là khong-ro (không rõ ngày) thì để trống trường date"))
    if kind in REQUIRED:
        reported = {p.field for p in problems}
        for name in REQUIRED[kind]:
            if name in reported or excused(name, meta):
                continue
            if name not in data or (isinstance(data[name], str) and not data[name].strip()):
                if name in data:
                    problems.append(Problem(path, lines.get(name), name, "bắt buộc phải có, đang để trống"))
                else:
                    problems.append(Problem(path, end_line, name, _missing(name, end_line)))
        for name in AT_LEAST_ONE[kind]:
            if data.get(name) == [] and meta.get("status") != "draft" and name not in reported:
                problems.append(Problem(path, lines.get(name), name, (
                    f"cần ít nhất một mục ({FIELDS[name][0].lower()}), đang để trống; ghi slug của bài đó, "
                    f"ví dụ “{name}: [slug-cua-bai]”, hoặc lưu nháp (status: draft) khi chưa biết")))
    if "locality" in meta:
        problems += locality_problems(meta, lines, path)
    written_number = str(data.get("doc_number") or "").strip()  # a wrong one is reported above
    if kind in ("ke-hoach", "bao-cao") and not written_number and "doc_number_note" not in meta:
        problems.append(Problem(path, lines.get("doc_number"), "doc_number",
                                "chưa có số ký hiệu: điền số ký hiệu, hoặc nếu nguồn không nêu thì "
                                "ghi lý do ở trường doc_number_note (không tự đặt số)"))
    status = meta.get("date_status", "chac-chan")
    if status != "chac-chan" and "date_note" not in meta:
        problems.append(Problem(path, lines.get("date_status"), "date_note",
                                "ngày đăng được đánh dấu nghi vấn hoặc không rõ: hãy ghi lý do ở date_note"))
    tags = meta.get("tags") or []
    if len(tags) > MAX_TAGS:
        problems.append(Problem(path, lines.get("tags"), "tags", (
            f"có {len(tags)} từ khóa; mỗi bài tối đa {MAX_TAGS} từ khóa (mỗi từ khóa là một trang "
            "riêng): giữ những từ khóa chính, bỏ bớt phần còn lại")))
    for i, tag in enumerate(tags):
        if not slugify(tag):
            problems.append(Problem(path, lines.get(f"tags[{i}]", lines.get("tags")), f"tags[{i}]",
                                    f"từ khóa “{tag}” không có chữ hay số nào để làm đường dẫn; hãy sửa hoặc bỏ"))
    if kind == "trang" and meta.get("slug") in RESERVED_SLUGS:
        problems.append(Problem(path, lines.get("slug"), "slug", sitepaths.reserved_slug_message(meta["slug"])))
    return meta, problems


def _unit_list(reg, found, with_codes=True):
    return "; ".join(reg.full_name(u) + (f" (mã {u.code})" if with_codes else "") for u in found)


def _day_text(day):
    return f" vào ngày đăng bài ({day:%d/%m/%Y})" if day else ""


def locality_problems(meta, lines, path):
    """``locality`` (and ``province``, ``locality_code``) resolved to one administrative unit as of
    the post's date; sets meta["locality_unit"] (cchc.core.units). The name stays as written."""
    from . import units

    try:
        reg = units.registry()
    except units.UnitsUnavailable as exc:
        return [Problem(path, lines.get("locality"), "locality", str(exc))]
    if meta.get("locality") == units.UNRESOLVED:
        return []  # the importer's "not known yet": no unit, the import report asks staff to fix it
    day = meta["date"].date() if meta.get("date") else None
    province = None
    if "province" in meta:
        res = reg.resolve(meta["province"], day, level=units.PROVINCE)
        if res.unit is None:
            return [Problem(path, lines.get("province"), "province", unit_message(reg, res, day, province=True))]
        province = res.unit
    res = reg.resolve(meta["locality"], day, province, meta.get("locality_code"))
    if res.unit is None:
        name = "locality_code" if res.error.startswith("code") else "locality"
        return [Problem(path, lines.get(name), name, unit_message(reg, res, day, code=meta.get("locality_code")))]
    meta["locality_unit"] = res.unit.uid
    return []


def unit_message(reg, res, day, province=False, code=None):
    """What went wrong resolving a locality, in Vietnamese, with the fix."""
    written = res.written
    what = "tỉnh, thành phố" if province else "đơn vị hành chính"
    if res.error == "unknown":
        near = f"; tên gần nhất: {'; '.join(res.candidates)}" if res.candidates else ""
        return (f"không tìm thấy {what} “{written}”{_day_text(day)} trong danh mục ({reg.version}){near}. "
                "Ghi đúng tên, ví dụ “Quận Tây Hồ” (bài trước 01/07/2025) hoặc “Phường Tây Hồ”")
    if res.error == "ambiguous":
        return (f"“{written}” là tên của {len(res.candidates)} {what}{_day_text(day)}: "
                f"{_unit_list(reg, res.candidates[:8])}{' và các đơn vị khác' if len(res.candidates) > 8 else ''}. "
                "Ghi thêm trường province (tỉnh, thành phố của đơn vị), hoặc locality_code với mã của đơn vị")
    if res.error == "province":
        return (f"“{written}” không thuộc tỉnh, thành phố ghi ở trường province{_day_text(day)}; "
                f"“{written}” là: {_unit_list(reg, res.candidates, with_codes=False)}. Sửa trường province "
                "(ghi tỉnh, thành phố lúc đăng bài) hoặc locality")
    if res.error == "code-unknown":
        return f"mã “{code}” không có trong danh mục đơn vị hành chính ({reg.version}); kiểm tra lại mã"
    if res.error == "code-date":
        unit = res.candidates[0]
        when = (f"chỉ có từ {unit.since:%d/%m/%Y}" if unit.since else f"chỉ có đến hết {unit.until:%d/%m/%Y}")
        gone = ", chưa có" if unit.since else ", đã không còn"
        return (f"mã “{code}” là của {reg.full_name(unit)}, đơn vị {when}{gone}"
                f"{_day_text(day)}; bỏ trường locality_code hoặc ghi mã của đơn vị lúc đăng bài")
    unit = res.candidates[0]
    return (f"mã “{code}”{_day_text(day)} là của {reg.full_name(unit)}, không phải “{written}”; "
            "sửa locality hoặc locality_code cho khớp nhau")


# Sizes of a post's source file. Above SIZE_WARN (about 25,000 words) a page is long to load and
# read on a phone on a mobile connection; above SIZE_LIMIT the build refuses it (its page, search
# record and open-data record would each be as large).
SIZE_WARN = 200 * 1024
SIZE_LIMIT = 1024 * 1024
_DATA_URL = re.compile(r"""(?:\]\(\s*<?|src\s*=\s*["']?|^\s*\[[^\]]+\]:\s*)data:[a-z]+/[\w.+-]+[;,]""",
                       re.IGNORECASE)


def human_size(size):
    """"244 KB", "5,2 MB" (Vietnamese decimal comma)."""
    if size >= 1024 * 1024:
        return f"{vi_number(size / (1024 * 1024), '.1f')} MB"
    return f"{max(1, round(size / 1024))} KB"


def body_problems(path, text, body, body_line):
    """Template sentences left in, pasted data: images, a source too large to publish."""
    problems = []
    size = len(text.encode("utf-8"))
    if size > SIZE_LIMIT:
        problems.append(Problem(path, None, None, f"tệp dài {human_size(size)}, quá giới hạn "
                                f"{human_size(SIZE_LIMIT)} của một bài: chia thành nhiều bài, hoặc đưa phần "
                                "dài (bảng, phụ lục, văn bản gốc) vào tệp đính kèm (attachment)"))
    samples = [t for t in PLACEHOLDER_BODIES if t in body]
    pasted = "data:" in body
    if not samples and not pasted:
        return problems
    for n, line in enumerate(body.splitlines(), start=body_line):
        for sample in samples:
            if sample in line:
                problems.append(Problem(path, n, None, f"nội dung vẫn là câu mẫu “{sample}”: thay bằng "
                                        "nội dung của bài"))
        if pasted and _DATA_URL.search(line):
            problems.append(Problem(path, n, None, "ảnh (hoặc tệp) được dán thẳng vào bài dưới dạng "
                                    "“data:…”, làm trang rất nặng: lưu ảnh thành tệp trong content/images/ "
                                    "rồi chèn ![mô tả ảnh](/images/ten-anh.jpg)"))
    return problems


# Control characters a page must never carry: NUL breaks the publish step's HTML parser,
# U+000B is Word's manual line break. Tab, newline and carriage return are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_NAMES = {"\x00": "NUL", "\x0b": "ngắt dòng của Word", "\x0c": "ngắt trang"}
MAX_TAGS = 20  # tags per post: each tag is a page of its own
# First path segments a page (type: trang) may not take as its slug: the URL map (cchc.core.sitepaths).
RESERVED_SLUGS = sitepaths.RESERVED_SLUGS


def control_problems(path, text):
    """One error per line holding control characters (NUL, U+000B, …), with the column."""
    problems = []
    for n, line in enumerate(text.split("\n"), start=1):
        found = _CONTROL.search(line)
        if found:
            char = found.group()
            name = _CONTROL_NAMES.get(char, "ký tự điều khiển")
            problems.append(Problem(path, n, None, (
                f"có ký tự ẩn U+{ord(char):04X} ({name}) ở cột {found.start() + 1}; hãy xóa nó "
                "(thường do chép từ Word hay PDF: gõ lại chỗ đó, hoặc xuống dòng bằng Enter)")))
    return problems


# Each post is validated once per `cchc build` (issue 32). The build reads every post with
# ``read_all`` before it forks Pelican (cchc.cli.build.run_pelican): ``keep_documents`` has
# turned this memo on, so the staff check beside the build and Pelican's reader (the fork
# starts with this process's memory) get the Document of the same (path, text) from here
# instead of validating it again. Off (None) unless a build turns it on: other callers
# validate every time. A post with errors is never kept (the check reports it, the build stops).
_kept = None
# Documents of earlier builds, by (path, digest of the text) (keep_documents with a store): a
# rebuild validates only the posts whose bytes changed. _store_key: store_key() when the memo was
# turned on with a store, the key the kept Documents are saved under (a build past midnight
# validated them on the day it started).
_stored = {}
_store_key = None


def _text_digest(text):
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def store_key():
    """What a post's validation depends on besides its path and text: the code (cchc.core's
    buildkey: the project's code, library versions, unit data) and the day (a result dated
    after today is an error)."""
    from .buildkey import code_digest
    from .dates import build_now

    return f"{code_digest()}/{build_now().date().isoformat()}/{sys.version}"


def keep_documents(store=None):
    """Turn the memo of ``read_document`` on for this process (and the forks it makes). With
    *store* (a file ``save_documents`` wrote), the Documents an earlier build kept are taken
    too, if its key (``store_key``) is today's."""
    global _kept, _stored, _store_key
    if _kept is None:
        _kept = {}
    if store:
        _store_key = store_key()
        try:
            key, docs = pickle.loads(Path(store).read_bytes())
        except Exception:  # missing, cut short, or naming a class an older version had: validate all
            return
        if key == _store_key:
            _stored = docs


def save_documents(store):
    """Keep the Documents of this process's memo in *store* for the next build (whole or not
    at all; a failure only means the next build validates every post)."""
    from .files import write_whole

    if _kept is None or _store_key is None:
        return
    docs = {(path, _text_digest(text)): doc for (path, text), doc in _kept.items()}
    with contextlib.suppress(OSError):
        write_whole(store, pickle.dumps((_store_key, docs), protocol=pickle.HIGHEST_PROTOCOL))


def read_all(content_dir, changed_since=None, every_time=()):
    """Validate the posts under *content_dir*, keeping each valid Document (see _kept); what is
    wrong is left for the check to report. *changed_since* (ns since the epoch): only the posts
    modified since then (Pelican's content cache has the others, its reader will not read them)
    and those in the folders *every_time* (under *content_dir*: read on every build)."""
    from .files import SourceRefused, read_source

    always = tuple(os.path.join(content_dir, folder, "") for folder in every_time)
    for source in content_files(content_dir):
        try:
            if (changed_since is not None and not str(source).startswith(always)
                    and os.stat(source).st_mtime_ns < changed_since):
                continue
            read_document(str(source), read_source(content_dir, source))
        except (SourceRefused, UnicodeDecodeError, ContentError, OSError):
            continue


def read_document(path, text):
    """Split, parse and check a post's source → Document; raises ContentError."""
    if _kept is not None:
        doc = _kept.get((path, text))
        if doc is None:
            doc = _stored.get((path, _text_digest(text))) if _stored else None
            doc = _kept[path, text] = doc or _read_document(path, text)
        return doc
    return _read_document(path, text)


def _read_document(path, text):
    if _CONTROL.search(text):
        raise ContentError(control_problems(path, text))
    try:
        head, body, body_line = split(text)
        data, lines = load(head)
    except FrontMatterError as exc:
        raise ContentError([Problem(path, exc.line, None, str(exc))]) from None
    meta, problems = validate(data, lines, path, end_line=head.count("\n") + 2)
    if not _is_nfc(body):
        for n, line in enumerate(body.splitlines(), start=body_line):
            if not _is_nfc(line):
                problems.append(Problem(path, n, None, "nội dung có chữ chưa ở dạng Unicode dựng sẵn "
                                        f"(NFC); chạy `{FIX_NFC_COMMAND}` để sửa"))
                break
    problems += body_problems(path, text, body, body_line)
    problems += length_problems(path, meta, lines, body, body_line)
    problems += markdown_problems(path, body, body_line)
    if problems:
        raise ContentError(problems)
    return Document(path=path, meta=meta, body=body, body_line=body_line, lines=lines,
                    rewritten=docnum_rewrites(path, data, lines))


# Groups whose items carry a document number (``number``) beside the top-level doc_number.
_NUMBERED_GROUPS = ("legal_bases", "replaced_by", "repealed_by", "amended_by")


def docnum_rewrites(path, data, lines):
    """A document number written otherwise than it will be published ("179/KH - UBND" is shown,
    searched and linked as 179/KH-UBND): one warning each, with the published form (issue 31:
    normalised without a word). *data*: the front matter as written; only valid numbers."""
    from .docnum import rewrite_reasons

    places = [("doc_number", data.get("doc_number"))]
    for group in _NUMBERED_GROUPS:
        items = data.get(group)
        if isinstance(items, list):
            places += [(f"{group}[{i}].number", item.get("number")) for i, item in enumerate(items)
                       if isinstance(item, dict)]
    out = []
    for name, written in places:
        if not isinstance(written, str) or not written.strip():
            continue
        doc = parse_doc_number(written)
        why = rewrite_reasons(written, doc) if doc else ""
        if why:
            line = lines.get(name, lines.get(name.split("[", 1)[0]))
            out.append(Problem(path, line, name, (
                f"“{written.strip()}” sẽ được đăng là “{doc.text}” ({why}): sửa trong tệp thành {doc.text} "
                "để tệp ghi đúng như trang, tìm kiếm và trang văn bản sẽ hiện")))
    return out


def length_problems(path, meta, lines, body, body_line):
    """An empty body of a news item, plan or page about to be published; a summary longer than
    SUMMARY_LIMIT (issue 31: both were published silently)."""
    problems = []
    kind = meta.get("type")
    # A draft is work in progress (`cchc import` keeps an old page that had no text as one).
    if not body.strip() and kind in BODY_REQUIRED and meta.get("status") != "draft":
        what = "trang" if kind == "trang" else "bài"
        problems.append(Problem(path, body_line, None, (
            f"{what} chưa có nội dung: viết nội dung bên dưới dòng “---” thứ hai (mỗi đoạn cách một dòng "
            "trống); chỉ có phần khai báo thì trang đăng lên sẽ trống")))
    summary = meta.get("summary") or ""
    if len(summary) > SUMMARY_LIMIT:
        problems.append(Problem(path, lines.get("summary"), "summary", (
            f"tóm tắt dài {len(summary)} ký tự, quá giới hạn {SUMMARY_LIMIT} ký tự: tóm tắt là dòng mô tả "
            "trang trên máy tìm kiếm và trên danh sách tin; viết lại trong một hai câu, phần còn lại đưa "
            "vào nội dung")))
    return problems


_FILE_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel",
               ".odt": "ODT", ".ods": "ODS", ".zip": "ZIP"}


def describe_attachment(content_dir, attachment):
    """Type and size of an attached file under content/ → {"kind", "size", "label"}.

    Raises ValueError (Vietnamese) when the file is missing or outside content/.
    """
    from pathlib import Path

    root = Path(content_dir).resolve()
    path = (root / attachment["path"]).resolve()
    if root not in path.parents or not path.is_file():
        raise ValueError(f"không có tệp “{attachment['path']}” trong thư mục {os.path.relpath(root)}/ "
                         "(đặt tệp vào content/files/ và ghi path: files/ten-tep.pdf)")
    size = path.stat().st_size
    kind = _FILE_KINDS.get(path.suffix.lower(), path.suffix.lstrip(".").upper() or "tệp")
    return {"kind": kind, "size": size, "label": f"{kind}, {human_size(size)}"}


def check_attachment(doc, content_dir):
    """Add the attached file's type and size to ``doc.meta["attachment"]``; the Problem when
    the file is missing (None when it is there or the post has no attachment)."""
    if "attachment" not in doc.meta:
        return None
    try:
        doc.meta["attachment"].update(describe_attachment(content_dir, doc.meta["attachment"]))
    except ValueError as exc:
        return Problem(doc.path, doc.lines.get("attachment.path"), "attachment.path", str(exc))
    return None


def failed_post_keys(path, text):
    """(type, slug) a post that failed its checks would have had: references to it are not
    reported as well (one mistake, one message). *path* is content/<type>/<slug>.md."""
    from pathlib import Path

    keys = {(Path(path).parent.name, Path(path).stem)}
    try:
        data, _lines = load(split(text)[0])
        keys.add((data.get("type"), post_slug(data)))
    except (FrontMatterError, AttributeError):
        pass
    return keys


def post_slug(meta):
    """The slug a post is published under: a document record's number slug; its ``slug`` field,
    else its title made ASCII (a title's slug longer than MAX_SLUG shortened by ``text.short_slug``)."""
    if meta.get("type", meta.get("kind")) == "van-ban":  # a document record: its number's slug
        number = parse_doc_number(str(meta.get("doc_number") or ""))
        if number:
            return number.slug
    return meta.get("slug") or short_slug(slugify(str(meta.get("title", ""))))


# Front-matter fields that name other posts by slug → the type of post they name.
LINK_FIELDS = {"news": "tin-tuc", "plans": "ke-hoach"}


def post_links(meta):
    """Every plan ↔ news reference of a post: (field, index, type of the post named, slug)."""
    for name, kind in LINK_FIELDS.items():
        for i, slug in enumerate(meta.get(name) or []):
            yield name, i, kind, slug


def missing_post(path, lines, name, index, kind, slug, known=()):
    """The Problem of a plan ↔ news reference to a post that does not exist; *known*: the
    (type, slug) pairs that do, to offer the nearest slug."""
    import difflib

    near = difflib.get_close_matches(slug, sorted(s for k, s in known if k == kind), n=1, cutoff=0.6)
    hint = f"; có phải “{near[0]}”?" if near else ""
    return Problem(path, lines.get(f"{name}[{index}]", lines.get(name)), name,
                   f"không tìm thấy bài “{slug}” loại {TYPES[kind]} trong content/{hint}")


def content_files(content_dir):
    """Every Markdown source under *content_dir*, sorted: regular files, never a link out of it
    nor a FIFO or device (``files.walk`` refuses those; ``tree_problems`` says why)."""
    from pathlib import Path

    from .files import walk

    files, _refused = walk(content_dir)
    return [Path(content_dir) / rel for rel in files if rel.suffix == ".md"]


# What staff run to give a copied post a fresh id (cchc new-id).
NEW_ID_COMMAND = "make new-id FILE={path}"


def _duplicate_ids(groups):
    """Each file of a group sharing one id is told which file keeps it and how to renew the other.

    The one to keep is the published one: the file git added first (cchc.core.ages; without a
    commit, or without git, the one modified first). The others are copies: they get a fresh id
    (`make new-id FILE=…`)."""
    from .ages import how_known, oldest_first

    problems = []
    for group in groups:
        (keep, *copies), found = oldest_first(group, lambda d: d.path)
        for copy in copies:
            why, state = how_known(found[keep.path], found[copy.path])
            fix = NEW_ID_COMMAND.format(path=copy.path)
            problems.append(Problem(copy.path, copy.lines.get("id"), "id",
                                    f"mã định danh trùng với {keep.path}:{keep.lines.get('id')} (tệp đó {why}); "
                                    f"tệp này {state}, là bản sao: đổi mã của tệp này bằng lệnh {fix}"))
            problems.append(Problem(keep.path, keep.lines.get("id"), "id",
                                    f"mã định danh trùng với {copy.path}:{copy.lines.get('id')}; giữ nguyên mã "
                                    f"của tệp này ({why}), đổi mã của tệp kia bằng lệnh {fix}"))
    return problems


def _duplicate_slugs(groups, taken):
    """One problem on each newer file of a group of posts of one type published under one
    slug, naming the published one (the file git added first: cchc.core.ages), whose address
    stays: the newcomer gets another slug (*taken*: every slug in use, for the example)."""
    from .ages import how_known, oldest_first

    problems = []
    for group in groups:
        (keep, *others), found = oldest_first(group, lambda d: d.path)
        slug = post_slug(keep.meta)
        free = next(f"{slug}-{n}" for n in range(2, 10_000) if f"{slug}-{n}" not in taken)
        taken.add(free)
        for doc in others:
            why, state = how_known(found[keep.path], found[doc.path])
            line = keep.lines.get("slug") or keep.lines.get("title")
            where = f"{keep.path}:{line}" if line else keep.path
            live = ", địa chỉ này đã được đăng" if found[keep.path].committed else ""
            fix = (f"đổi dòng slug thành “slug: {free}”" if "slug" in doc.meta
                   else f"thêm dòng “slug: {free}” (đường dẫn đang lấy từ tiêu đề)")
            problems.append(Problem(doc.path, doc.lines.get("slug") or doc.lines.get("title"), "slug", (
                f"đường dẫn “{slug}” trùng với {where} (tệp đó {why}{live}; tệp này {state}): giữ nguyên đường "
                f"dẫn của tệp đó, đặt đường dẫn khác cho tệp này, ví dụ {fix}")))
    return problems


def record_clashes(docs):
    """Two records describing one document number (issue 31: the page silently took the first):
    two plan summaries (published or scheduled), two document records (content/van-ban/), or a
    plan and a document record. One problem on the newer file (cchc.core.ages), naming the other
    with its line and the fix; a document record beside a plan is always the one to go (the plan
    is the record of its own document). Used by `cchc check` and by the build (cchc_documents)."""
    from .ages import how_known, oldest_first

    groups = {}
    for doc in docs:
        kind, number = doc.meta.get("type"), parse_doc_number(str(doc.meta.get("doc_number") or ""))
        if number is None or not (kind == "van-ban" or (kind == "ke-hoach" and _in_registry(doc.meta))):
            continue
        groups.setdefault(number.key, []).append(doc)
    problems = []
    for group in groups.values():
        if len(group) < 2:
            continue
        (first, *later), found = oldest_first(group, lambda d: d.path)
        plans = [d for d in [first, *later] if d.meta["type"] == "ke-hoach"]
        keep = plans[0] if plans else first
        number = keep.meta["doc_number"]
        there = f"{keep.path}:{keep.lines.get('doc_number')}"
        for doc in [first, *later]:
            if doc is keep:
                continue
            line = doc.lines.get("doc_number")
            if doc.meta["type"] == "van-ban" and keep.meta["type"] == "ke-hoach":
                message = (f"văn bản {number} đã có bản tóm tắt kế hoạch {there}, là bản ghi của chính văn bản đó: "
                           "ghi hiệu lực, nguồn chính thức vào tệp kế hoạch và xóa tệp này")
            else:
                why, state = how_known(found[keep.path], found[doc.path])
                what = "bản tóm tắt kế hoạch" if keep.meta["type"] == "ke-hoach" else "bản ghi văn bản"
                page = parse_doc_number(number).slug
                message = (f"văn bản {number} đã có {what} {there} (tệp đó {why}; tệp này {state}): mỗi số ký hiệu "
                           f"chỉ có một bản ghi và một trang /van-ban/{page}/; nếu hai tệp nói "
                           f"về cùng một văn bản, chuyển phần còn thiếu vào {keep.path} rồi xóa tệp này; nếu là văn "
                           "bản khác, sửa số ký hiệu cho đúng văn bản gốc")
            problems.append(Problem(doc.path, line, "doc_number", message))
    return problems


def check_tree(content_dir):
    """Check every post and the links between them → (documents, problems).

    Per-file schema problems plus cross-file ones: duplicate slugs or ids, and plan ↔ news
    references to posts that do not exist.
    """

    docs, problems = [], []
    broken = set()  # (type, slug) of posts with errors: known to exist, so no follow-on errors
    from .files import SourceRefused, read_source

    for source in content_files(content_dir):
        rel = str(source)
        try:
            text = read_source(content_dir, source)
            docs.append(read_document(rel, text))
        except SourceRefused as exc:  # replaced by a link or a FIFO since the walk: said as the walk would
            problems.append(Problem(rel, None, None, str(exc)))
        except UnicodeDecodeError:
            problems.append(Problem(rel, None, None, "tệp không phải văn bản UTF-8; hãy lưu lại với mã UTF-8"))
        except ContentError as exc:
            problems.extend(exc.problems)
            broken |= failed_post_keys(rel, text)
    from .files import tree_problems

    problems += tree_problems(content_dir)
    by_slug = {}  # (type, slug, lang) → the first post met
    slugs = {}  # (type, slug, lang) → every post published there
    ids = {}
    for doc in docs:
        doc.body_findings = sanitize.body_findings(doc.body, doc.body_line)
        problems += [Problem(doc.path, f.line, None, f.message) for f in doc.body_findings if f.error]
        problem = check_attachment(doc, content_dir)
        if problem:
            problems.append(problem)
        kind = doc.meta["type"]
        slug = post_slug(doc.meta)
        key = (kind, slug, doc.meta.get("lang", "vi"))
        slugs.setdefault(key, []).append(doc)
        by_slug.setdefault(key, doc)
        if "id" in doc.meta:
            ids.setdefault(doc.meta["id"], []).append(doc)
    # Two document records of one number share a slug too: that is record_clashes' to say.
    problems += _duplicate_slugs([g for k, g in slugs.items() if len(g) > 1 and k[0] != "van-ban"],
                                 {k[1] for k in slugs})
    problems += _duplicate_ids([group for group in ids.values() if len(group) > 1])
    problems += number_clashes([(doc.path, line, number) for doc in docs if _in_registry(doc.meta)
                                for number, line in derived(doc, "number_places", lambda d: list(number_places(d)))])
    known = {(k[0], k[1]) for k in by_slug} | broken
    problems += record_clashes(docs)  # one record per document number
    for doc in docs:
        for name, i, kind, slug in post_links(doc.meta):
            if (kind, slug) not in known:
                problems.append(missing_post(doc.path, doc.lines, name, i, kind, slug, known))
        _check_links_out(doc, content_dir, by_slug, problems)
    return docs, problems


def _in_registry(meta):
    """Whether the documents registry (cchc_documents) reads this post's numbers: a published
    news item or plan; a post for later counts too (it will be published)."""
    return meta.get("type") in ("tin-tuc", "ke-hoach") and meta.get("status", "published") == "published"


def number_places(doc):
    """(DocNumber, line) of every document number the documents registry takes from *doc*: a
    plan's doc_number, each legal basis's number, numbers in the summary, source_ref and body."""
    from .docnum import find_doc_number_spans

    meta, lines = doc.meta, doc.lines
    if meta.get("type") == "ke-hoach" and meta.get("doc_number"):
        yield parse_doc_number(meta["doc_number"]), lines.get("doc_number")
    for i, basis in enumerate(meta.get("legal_bases") or []):
        if basis.get("number"):
            yield parse_doc_number(basis["number"]), lines.get(f"legal_bases[{i}].number", lines.get("legal_bases"))
    for name in ("summary", "source_ref"):
        for _start, _end, number in find_doc_number_spans(meta.get(name) or ""):
            yield number, lines.get(name)
    for n, line in enumerate(doc.body.split("\n"), start=doc.body_line):
        for _start, _end, number in find_doc_number_spans(line):
            yield number, n


def number_clashes(places):
    """Document numbers written differently that would share one page (/van-ban/<slug>/:
    "16-NQ/TU" and "16/NQ-TU", "45/QĐ-KH&ĐT" and "45/QĐ-KH-ĐT"): one problem in each file,
    naming the other. *places*: (path, line, DocNumber), in file order."""
    first = {}  # slug → {key: (path, line, number)} where each spelling is first met
    for path, line, number in places:
        first.setdefault(number.slug, {}).setdefault(number.key, (path, line, number))
    problems = []
    for slug, spellings in first.items():
        if len(spellings) < 2:
            continue
        (path0, line0, number0), *others = spellings.values()
        for path, line, number in others:
            for here, there in (((path, line, number), (path0, line0, number0)),
                                ((path0, line0, number0), (path, line, number))):
                where = f"{there[0]}:{there[1]}" if there[1] else there[0]
                problems.append(Problem(here[0], here[1], None, (
                    f"số ký hiệu “{here[2].text}” và “{there[2].text}” ({where}) viết khác nhau nhưng sẽ có "
                    f"cùng một trang văn bản /van-ban/{slug}/: nếu là một văn bản, hãy viết số ký hiệu giống "
                "nhau ở cả hai nơi; nếu là hai văn bản, một trong hai số đã viết sai (dấu / hay -, & hay -)")))
    return problems


def _check_links_out(doc, content_dir, by_slug, problems):
    """``image:`` is a published file; ``counterpart:`` is a page in the other language."""
    from pathlib import Path

    image = doc.meta.get("image")
    if image and (image["path"].split("/", 1)[0] not in ("images", "files")
                  or not (Path(content_dir) / image["path"]).is_file()):
        import difflib

        folder = Path(content_dir) / "images"
        have = sorted(p.relative_to(content_dir).as_posix() for p in folder.rglob("*") if p.is_file()) \
            if folder.is_dir() else []
        near = difflib.get_close_matches(image["path"], have, n=1, cutoff=0.6)
        hint = f"; có phải path: {near[0]}?" if near else ""
        problems.append(Problem(doc.path, doc.lines.get("image.path", doc.lines.get("image")), "image.path",
                                f"không có ảnh “{image['path']}” trong {content_dir}/images/ (đặt ảnh PNG hoặc "
                                f"JPEG vào content/images/ và ghi path: images/ten-anh.png){hint}"))
    slug = doc.meta.get("counterpart")
    other = "vi" if doc.meta.get("lang", "vi") == "en" else "en"
    if slug and ("trang", slug, other) not in by_slug:
        problems.append(Problem(doc.path, doc.lines.get("counterpart"), "counterpart",
                                f"không có trang {'tiếng Việt' if other == 'vi' else 'tiếng Anh'} nào có "
                                f"slug “{slug}”; ghi slug của trang tương ứng ở ngôn ngữ kia"))
