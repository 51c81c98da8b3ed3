"""Step 1 for Plone: plone.restapi responses, collective.exportimport / plone.exportimport JSON,
redirects.json."""

import json
import re
from urllib.parse import quote, urlsplit

from cchc.core.schema import old_path_error
from cchc.core.text import collapse_spaces, nfc, printable

from .html_page import html_to_markdown
from .record import Record, plone_date
from .text_page import text_to_markdown

PLONE_TYPES = {"News Item": "tin-tuc", "Event": "tin-tuc", "Document": "trang"}
PLONE_PUBLISHED = ("published", "external", "internally_published", "visible")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
NOT_CONTENT_JSON = ("tệp JSON không phải nội dung Plone (ví dụ principals.json, relations.json của bản "
                    "xuất): bỏ qua")


def parse_json(data, source):
    """Plone JSON (one object, a list, or a redirects map) → Records."""
    if isinstance(data, dict) and "items" in data and isinstance(data["items"], list) and "@type" not in data:
        data = data["items"]  # a plone.restapi search/listing response
    if isinstance(data, list):
        if not any(isinstance(i, dict) and ("@type" in i or "UID" in i) for i in data):
            return [Record(source=source, skip=NOT_CONTENT_JSON)]
        records = []
        for i, item in enumerate(data):
            if isinstance(item, dict):
                records.extend(parse_json(item, f"{source}#{i}"))
            else:
                records.append(Record(source=f"{source}#{i}", skip=NOT_CONTENT_JSON))
        return records
    if not isinstance(data, dict):
        return [Record(source=source, skip=NOT_CONTENT_JSON)]
    if _is_redirect_map(data):
        return [redirect_record(old, new, source) for old, new in data.items()]
    if "@type" in data or "UID" in data:
        return [parse_plone(data, source)]
    return [Record(source=source, skip=NOT_CONTENT_JSON)]


def _is_redirect_map(data):
    """Plone's redirects.json ({"/old/path": "/new/path", …}): a mapping that is no content item,
    most of whose keys are paths. Not all: one bad entry is reported on its own, never hides the
    map."""
    if not data or "@type" in data or "UID" in data:
        return False
    return 2 * sum(1 for key in data if key.startswith("/")) >= len(data)


def redirect_record(old, new, source):
    """One redirects.json entry → Record; a hostile or broken one is `failed` with its reason
    (it is never written into a post, nor the redirect maps built from posts)."""
    rec = Record(source=f"{source}#{printable(old)}", redirect=(old, new), title=None)
    if _CONTROL.search(old):
        rec.failed = (f"đường dẫn cũ “{printable(old)}” có ký tự điều khiển (xuống dòng, tab…): không chuyển "
                      "mục này (dữ liệu hỏng, hoặc bị sửa để chèn dòng vào cấu hình máy chủ)")
    elif not old.startswith("/"):
        rec.failed = (f"khóa “{printable(old)}” của redirects.json không phải đường dẫn (phải bắt đầu bằng "
                      "“/”): không chuyển mục này; các mục khác vẫn được chuyển")
    elif old_path_error(old):
        rec.failed = f"đường dẫn cũ không dùng được: {old_path_error(old)}"
    elif not isinstance(new, str):
        rec.failed = (f"đích chuyển hướng của “{printable(old)}” phải là một đường dẫn (chuỗi chữ), nhưng bản "
                      f"xuất ghi {_kind(new)}; hãy sửa mục này trong redirects.json")
    elif not new.startswith("/") or new.startswith("//") or old_path_error(new):
        rec.failed = (f"đích chuyển hướng “{printable(new)}” của “{printable(old)}” không phải một đường dẫn "
                      "trên cổng cũ (phải bắt đầu bằng “/”, không có khoảng trắng, ký tự điều khiển hay "
                      "địa chỉ trang khác): không chuyển mục này")
    return rec


def _plone_path(value):
    if not value:
        return None
    path = urlsplit(value).path if "://" in value else value
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    return "/" + path.strip("/") if path.strip("/") else "/"


# The type each field of a Plone item must have (None = the field may be missing or null).
_FIELD_TYPES = {
    "@type": (str,), "@id": (str,), "UID": (str,), "title": (str,), "description": (str,),
    "text": (str, dict), "blocks": (dict,), "subjects": (list, str), "review_state": (str,),
    "effective": (str,), "created": (str,), "modified": (str,), "image": (dict,),
}
_TYPE_NAMES = {str: "chuỗi chữ", list: "danh sách", dict: "đối tượng {…}", int: "số", float: "số",
               bool: "giá trị đúng/sai"}


def _kind(value):
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def wrong_type(data):
    """A Vietnamese reason when a field of a Plone item has the wrong type, else None."""
    for name, types in _FIELD_TYPES.items():
        value = data.get(name)
        if value is None or isinstance(value, types) and not isinstance(value, bool):
            continue
        want = " hoặc ".join(_TYPE_NAMES[t] for t in types)
        shown = json.dumps(value, ensure_ascii=False, default=str)
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        return (f"trường “{name}” của mục Plone phải là {want}, nhưng bản xuất ghi {_kind(value)} "
                f"({shown}); hãy sửa trường này trong bản xuất rồi chuyển lại")
    text = data.get("text")
    if isinstance(text, dict) and not isinstance(text.get("data") or "", str):
        return (f"trường “text.data” của mục Plone phải là chuỗi chữ, nhưng bản xuất ghi "
                f"{_kind(text.get('data'))}; hãy sửa trường này trong bản xuất rồi chuyển lại")
    return None


def parse_plone(data, source):
    """One Plone content object (restapi or exportimport) → Record."""
    rec = Record(source=source)
    reason = wrong_type(data)
    if reason:
        rec.failed = reason
        rec.title = data["title"] if isinstance(data.get("title"), str) else None
        return rec
    ptype = data.get("@type") or ""
    rec.plone_uid = data.get("UID") or None
    rec.plone_path = _plone_path(data.get("@id"))
    if rec.plone_path and rec.plone_path != "/":
        rec.old_paths.append(rec.plone_path)
    if "://" in str(data.get("@id", "")):
        rec.source_url = data["@id"]
    rec.title = collapse_spaces(nfc(data.get("title") or "")) or None
    if ptype not in PLONE_TYPES:
        rec.skip = (f"mục Plone loại “{ptype or 'không rõ'}” không phải tin bài hay trang nội dung; "
                    "không chuyển (đường dẫn cũ cần chuyển hướng thì thêm bằng tay)")
        return rec
    rec.kind = PLONE_TYPES[ptype]
    if ptype == "Event":
        rec.warn("mục Plone loại Event (sự kiện) được chuyển thành tin tức; hãy kiểm tra", review=True)
    rec.summary = collapse_spaces(nfc(data.get("description") or "")) or None
    text = data.get("text")
    html = text.get("data") if isinstance(text, dict) else text if isinstance(text, str) else ""
    # Plone often labels rich text "text/plain" while the data is HTML: look at the data.
    if html and (re.search(r"<[a-zA-Z][^>]*>", html) or isinstance(text, dict)
                 and text.get("content-type") == "text/html"):
        rec.body = html_to_markdown(html)
    elif html:
        rec.body = text_to_markdown(html.splitlines())
    if data.get("blocks") and any(data["blocks"].values()) and not rec.body:
        rec.warn("nội dung dạng khối Volto (blocks) chưa được chuyển; hãy chép nội dung bằng tay",
                 review=True)
    rec.date = plone_date(data.get("effective")) or None
    if rec.date is None and plone_date(data.get("created")):
        rec.date = plone_date(data.get("created"))
        rec.warn("Plone không có ngày hiệu lực (effective): dùng ngày tạo (created) làm ngày đăng")
    rec.modified = plone_date(data.get("modified"))
    state = data.get("review_state")
    rec.status = "published" if state in PLONE_PUBLISHED else "draft"
    if rec.status == "draft":
        rec.warn(f"trên Plone mục này ở trạng thái “{state or 'không rõ'}”: lưu thành bản nháp (draft)")
    subjects = data.get("subjects") or []
    if isinstance(subjects, str):
        subjects = [subjects]  # one keyword written as a string is one tag, not one per letter
    skipped = [s for s in subjects if not isinstance(s, str)]
    if skipped:
        rec.warn(f"bỏ {len(skipped)} từ khóa (subjects) không phải chữ: "
                 + ", ".join(json.dumps(s, ensure_ascii=False, default=str) for s in skipped[:5]))
    rec.tags = list(dict.fromkeys(collapse_spaces(nfc(s)) for s in subjects
                                  if isinstance(s, str) and collapse_spaces(s)))
    image = data.get("image")
    if isinstance(image, dict) and (image.get("filename") or image.get("download")):
        rec.lead_image = image.get("download") or image.get("filename")
        rec.warn(f"ảnh đại diện “{image.get('filename') or rec.lead_image}” chưa được chép sang; "
                 "hãy tải ảnh về content/images/ rồi chèn vào bài")
    return rec
