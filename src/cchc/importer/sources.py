"""Step 1, dispatch: every source file, its bytes decoded, its format recognised from the content."""

import json
import re
from pathlib import Path

from .html_page import parse_html_page
from .plone import parse_json
from .encodings import UnreadableBytes, decode
from .record import Record
from .text_page import parse_text

SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__"}

def iter_sources(paths):
    """Every file under the given files/folders, sorted, hidden files and tool folders left out."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                rel = sub.relative_to(path).parts
                if sub.is_file() and not any(p.startswith(".") or p in SKIP_DIRS for p in rel):
                    yield sub
        else:
            yield path


BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".ico", ".tif", ".tiff",
                   ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".zip",
                   ".rar", ".7z", ".gz", ".mp3", ".mp4", ".avi", ".mov", ".wmv", ".flv"}


def detect(text):
    """Format of a source from its content: http-json, json, html or text."""
    head = text.lstrip()[:2000].lower()
    if re.match(r"http/\d(\.\d)? \d{3}", head):
        return "http-json"
    if head.startswith(("{", "[")):
        return "json"
    if re.search(r"<(!doctype html|html|body|head|article|div|p|h1|table)[\s>]", head):
        return "html"
    return "text"


def parse_file(path):
    """Read one source file → list of Records (a JSON export may hold many items)."""
    source = str(path)
    if Path(path).suffix.lower() in BINARY_SUFFIXES:
        return [Record(source=source, skip="tệp ảnh hay tài liệu đính kèm, không phải bài viết; nếu cần, "
                                           "hãy chép vào content/images/ hoặc content/files/ bằng tay")]
    try:
        data = Path(path).read_bytes()
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return [Record(source=source, skip="tệp nhị phân, không phải bài viết")]
        text, notes = decode(data)
    except OSError as exc:
        return [Record(source=source, failed=f"không mở được tệp ({exc.strerror})")]
    except UnreadableBytes as exc:
        return [Record(source=source, failed=str(exc))]
    if Path(path).suffix.lower() in (".md", ".markdown") and text.lstrip("\ufeff").startswith("---"):
        return [Record(source=source, skip="đã là bài Markdown của cổng mới (có phần khai báo ---); "
                                           "không chuyển lại")]
    records = _parse_text_of(text, source)
    for rec in records:
        for note in notes:
            rec.warn(note, review=True)
    return records


def _parse_text_of(text, source):
    kind = detect(text)
    try:
        if kind == "http-json":
            head, _, body = text.replace("\r\n", "\n").partition("\n\n")
            status = head.split("\n", 1)[0]
            if not re.match(r"HTTP/\S+ 2\d\d", status):
                return [Record(source=source, failed=f"phản hồi HTTP không thành công: “{status.strip()}”")]
            return parse_json(json.loads(body), source)
        if kind == "json":
            return parse_json(json.loads(text), source)
    except json.JSONDecodeError as exc:
        return [Record(source=source, failed=f"tệp JSON bị lỗi ở dòng {exc.lineno}, cột {exc.colno}")]
    if kind == "html":
        return [parse_html_page(text, source)]
    return [parse_text(text, source)]
