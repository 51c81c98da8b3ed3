"""`cchc import`: bring the old portal over (Plone exports, saved pages) as checked Markdown.

Three steps, each testable alone:

1. :func:`parse_file` reads one source file into :class:`Record` objects (format detected
   from the content: HTTP response + JSON, plone.restapi / collective.exportimport /
   plone.exportimport JSON, a redirects.json, an HTML page, plain text);
2. :func:`clean` applies the shared rules of ``cchc_core.extract`` (dates, document numbers,
   inferred facts, each flagged in ``warnings``) and :func:`link` resolves Plone
   ``resolveuid`` links and redirect chains across the whole batch;
3. :func:`write` renders front matter + body, checks it with the content schema and writes
   it without ever replacing an existing file.

The report (``--report``) is a JSON list with one object per item.
"""

import datetime as dt
import json
import os
import re
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from bs4 import BeautifulSoup, Comment
from markdownify import markdownify

from cchc_core import AREAS, VN_TZ, find_doc_numbers, slugify
from cchc_core.dates import DateError
from cchc_core.extract import (
    bare_references,
    find_dateline,
    first_sentence,
    infer_areas,
    infer_locality,
    is_blank,
    is_boilerplate,
    is_footer_start,
    iso_date,
    looks_truncated,
    newest_cited,
    parse_byline,
    parse_dateline,
    parse_signature,
)
from cchc_core.frontmatter import FrontMatterError, load, split
from cchc_core.schema import ContentError, content_files, read_document
from cchc_core.text import collapse_spaces, nfc

LOCALITY_PLACEHOLDER = "Chưa xác định"
FALLBACK_AREA = "tuyen-truyen"
TYPE_DIRS = {"tin-tuc": "tin-tuc", "trang": "pages"}
PLONE_TYPES = {"News Item": "tin-tuc", "Event": "tin-tuc", "Document": "trang"}
PLONE_PUBLISHED = ("published", "external", "internally_published", "visible")
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__"}
NOT_CONTENT_JSON = ("tệp JSON không phải nội dung Plone (ví dụ principals.json, relations.json của bản "
                    "xuất): bỏ qua")


class ImportError_(ValueError):
    """A source that cannot be read; the message is Vietnamese, for the report."""


@dataclass
class Record:
    """One item on its way from an old portal to a Markdown post."""

    source: str
    kind: str = "tin-tuc"
    title: str | None = None
    date: dt.datetime | None = None
    date_status: str = "chac-chan"
    date_note: str | None = None
    modified: dt.datetime | None = None
    author: str | None = None
    source_unit: str | None = None
    source_ref: str | None = None
    source_section: str | None = None
    summary: str | None = None
    body: str = ""
    tags: list = field(default_factory=list)
    status: str = "published"
    old_paths: list = field(default_factory=list)
    source_url: str | None = None
    plone_uid: str | None = None
    plone_path: str | None = None
    lead_image: str | None = None
    locality: str | None = None
    areas: list = field(default_factory=list)
    doc_numbers: list = field(default_factory=list)
    slug: str | None = None
    id: str | None = None
    warnings: list = field(default_factory=list)
    review: bool = False
    skip: str | None = None  # why this item is not a post (Plone folder, collection…)
    failed: str | None = None
    redirect: tuple | None = None  # (old, new) for a redirects.json entry
    scraped: bool = False  # a saved page (text may be cut off), not a CMS export
    output: str | None = None
    outcome: str | None = None

    def warn(self, message, review=False):
        """Add a Vietnamese warning; *review* marks the item for a human look."""
        if message not in self.warnings:
            self.warnings.append(message)
        self.review = self.review or review


# --- step 1: parse ------------------------------------------------------------------------

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


def _decode(data, source):
    """Bytes → text: UTF-8 (with or without BOM), UTF-16 with a BOM, or an HTML page's declared charset."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    if m:
        declared = m.group(1).decode("ascii").lower()
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass
    raise ImportError_(f"{source}: không đọc được tệp: không phải văn bản UTF-8 "
                       "(hãy lưu lại trang với mã UTF-8)")


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
        text, charset = _decode(data, source)
    except OSError as exc:
        return [Record(source=source, failed=f"không mở được tệp ({exc.strerror})")]
    except ImportError_ as exc:
        return [Record(source=source, failed=str(exc).split(": ", 1)[1])]
    if Path(path).suffix.lower() in (".md", ".markdown") and text.lstrip("\ufeff").startswith("---"):
        return [Record(source=source, skip="đã là bài Markdown của cổng mới (có phần khai báo ---); "
                                           "không chuyển lại")]
    records = _parse_text_of(text, source)
    if charset:
        for rec in records:
            rec.warn(f"trang được lưu với bảng mã {charset}, đã chuyển sang UTF-8; hãy soát lại dấu tiếng Việt")
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
    if data and all(isinstance(k, str) and k.startswith("/") and isinstance(v, str) for k, v in data.items()):
        return [Record(source=f"{source}#{old}", redirect=(old, new), title=None) for old, new in data.items()]
    if "@type" in data or "UID" in data:
        return [parse_plone(data, source)]
    return [Record(source=source, skip=NOT_CONTENT_JSON)]


def _plone_path(value):
    if not value:
        return None
    path = urlsplit(value).path if "://" in value else value
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    return "/" + path.strip("/") if path.strip("/") else "/"


def _plone_date(value):
    """A Plone ISO date ("2024-02-13T18:14:27", "1995-07-31T13:45:00+00:00") → aware datetime."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.year < 1900:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN_TZ)


def parse_plone(data, source):
    """One Plone content object (restapi or exportimport) → Record."""
    rec = Record(source=source)
    ptype = data.get("@type", "")
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
        rec.body = html_to_markdown(html, rec)
    elif html:
        rec.body = text_to_markdown(html.splitlines())
    if data.get("blocks") and any(data["blocks"].values()) and not rec.body:
        rec.warn("nội dung dạng khối Volto (blocks) chưa được chuyển; hãy chép nội dung bằng tay",
                 review=True)
    rec.date = _plone_date(data.get("effective")) or None
    if rec.date is None and _plone_date(data.get("created")):
        rec.date = _plone_date(data.get("created"))
        rec.warn("Plone không có ngày hiệu lực (effective): dùng ngày tạo (created) làm ngày đăng")
    rec.modified = _plone_date(data.get("modified"))
    state = data.get("review_state")
    rec.status = "published" if state in PLONE_PUBLISHED else "draft"
    if rec.status == "draft":
        rec.warn(f"trên Plone mục này ở trạng thái “{state or 'không rõ'}”: lưu thành bản nháp (draft)")
    rec.tags = [collapse_spaces(nfc(s)) for s in data.get("subjects") or [] if collapse_spaces(s)]
    image = data.get("image")
    if isinstance(image, dict) and (image.get("filename") or image.get("download")):
        rec.lead_image = image.get("download") or image.get("filename")
        rec.warn(f"ảnh đại diện “{image.get('filename') or rec.lead_image}” chưa được chép sang; "
                 "hãy tải ảnh về content/images/ rồi chèn vào bài")
    return rec


def _url_of_page(soup, text):
    for sel, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        tag = soup.select_one(sel)
        if tag and tag.get(attr, "").startswith(("http://", "https://")):
            return tag[attr].strip()
    m = re.search(r"saved from url=\(\d+\)(https?://\S+?)\s*-->", text[:2000])
    return m.group(1) if m else None


def _old_path(url):
    """Path and query of an old URL, percent-encoded as a server sees it in the request line."""
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return path + (f"?{query}" if query else "")


def parse_text(text, source):
    """A page saved as plain text (one block per line) → Record."""
    rec = Record(source=source, scraped=True)
    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # A "URL: …" line (how staff note where a saved page came from) gives the old address.
    for i, line in enumerate(lines):
        m = re.match(r"^\s*(?:url|địa chỉ|link|nguồn|source)\s*:\s*(https?://\S+)\s*$", line, re.I)
        if m:
            rec.source_url = m.group(1)
            lines[i] = ""
            break
    # Everything from the first related-news list / footer marker on is site furniture.
    end = len(lines)
    for i, line in enumerate(lines):
        if i > 0 and is_footer_start(line):
            end = i
            break
    lines = lines[:end]
    date, date_i, rejected = find_dateline(lines)
    for i, raw, reason in rejected:
        rec.warn(f"bỏ qua dòng ngày “{collapse_spaces(raw)}”: {reason}")
        lines[i] = ""
    rec.date = date
    header_end = 0
    # Header: menus and breadcrumbs (padded/bullet lines), boilerplate, the title, the dateline.
    crumbs = []
    title_i = None
    filled = [i for i, line in enumerate(lines) if not is_blank(line)]
    for i in filled:
        line = lines[i]
        if i == date_i or is_boilerplate(line):
            continue
        if line[:1] in ("\u00a0", "\t", "•", "·", "»", ">") and len(collapse_spaces(line)) < 60:
            crumbs.append(collapse_spaces(line).lstrip("•·»> "))
            continue
        title_i = i
        break
    if title_i is not None and date_i is not None and date_i > title_i + 3 and date_i < len(lines) - 8:
        # The dateline sits further down: the title is the line just before it.
        before = [i for i in filled if title_i < i < date_i and not is_boilerplate(lines[i])]
        if before:
            title_i = before[-1]
    if title_i is not None:
        rec.title = collapse_spaces(lines[title_i])
        header_end = title_i + 1
        if date_i is not None and date_i < title_i + 4:
            header_end = max(header_end, date_i + 1)
        # The same headline repeated just below (SharePoint shows it twice): collapse it, and
        # treat the short lines between the two copies as the section label.
        for j in [i for i in filled if header_end <= i < header_end + 6]:
            if collapse_spaces(lines[j]).casefold() == rec.title.casefold():
                between = [collapse_spaces(lines[k]) for k in filled if header_end <= k < j]
                if between and all(len(b) < 80 for b in between):
                    rec.source_section = "; ".join(b for b in between if b)
                header_end = j + 1
                break
        if crumbs and not rec.source_section:
            rec.source_section = crumbs[-1]
    body = lines[header_end:] if title_i is not None else lines
    # Closing block, read from the end: bylines, "Nguồn:", padded signatures, the source unit.
    body = [("" if (i + header_end == date_i) else line) for i, line in enumerate(body)]
    meta = {}
    idx = [i for i, line in enumerate(body) if not is_blank(line)]
    first_tail = True
    while idx:
        i = idx[-1]
        line = body[i]
        found = parse_byline(line) or parse_signature(line, last=first_tail)
        if not found or any(k in meta for k in found):
            if is_boilerplate(line):
                body[i] = ""
                idx.pop()
                continue
            break
        meta.update(found)
        body[i] = ""
        idx.pop()
        first_tail = False
    for key, value in meta.items():
        setattr(rec, key, value)
    body = [line for line in body if not is_boilerplate(line)]
    rec.body = text_to_markdown(body)
    if rec.source_url:
        rec.old_paths.append(_old_path(rec.source_url))
    return rec


_MD_ESCAPE = re.compile(r"([\\`*_\[\]])")


def text_to_markdown(lines):
    """Plain-text lines → Markdown paragraphs, text kept verbatim (only Markdown syntax escaped)."""
    paragraphs = []
    for line in lines:
        text = collapse_spaces(line)
        if not text:
            continue
        text = _MD_ESCAPE.sub(r"\\\1", text).replace("<", "&lt;")
        text = re.sub(r"^([#>+]|-(?=\s)|\d+(?=\.\s))", r"\\\1", text)
        paragraphs.append(text)
    return "\n\n".join(paragraphs)


# --- HTML ---------------------------------------------------------------------------------

DROP_TAGS = ("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
             "input", "button", "select", "textarea", "noscript", "template", "svg", "math", "link",
             "meta", "base", "canvas", "audio", "video", "source", "track", "dialog")
SAFE_SCHEMES = ("http", "https", "mailto", "tel")


def _safe_url(value):
    value = re.sub(r"[\x00-\x20]+", "", value or "")
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", value)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return None
    return value or None


def sanitize(soup):
    """Make parsed HTML inert: no scripts, frames, forms, event handlers or javascript: URLs."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        for attr in list(tag.attrs):
            name = attr.lower()
            if name in ("href", "src"):
                safe = _safe_url(tag[attr])
                if safe is None:
                    del tag[attr]
                else:
                    tag[attr] = safe
            elif name not in ("alt", "title", "colspan", "rowspan", "scope", "headers"):
                del tag[attr]
        if tag.name == "a" and not tag.get("href"):
            tag.unwrap()
        elif tag.name == "img" and not tag.get("src"):
            tag.decompose()
    return soup


def html_to_markdown(html, rec=None):
    """HTML body → Markdown: cleaned with BeautifulSoup, converted with markdownify, inert."""
    soup = sanitize(BeautifulSoup(html, "html.parser"))
    for h1 in soup.find_all("h1"):
        h1.name = "h2"  # the post title is the page's only <h1>
    text = markdownify(str(soup), heading_style="ATX", autolinks=False, escape_misc=True,
                       newline_style="backslash", bullets="-")
    # Python-Markdown does not honour "\<": never let a "<" reach it as markup.
    text = text.replace("\\<", "&lt;").replace("<", "&lt;")
    text = nfc(text).replace("\u00a0", " ")
    lines = [re.sub(r"(?<=\S) {2,}", " ", line).rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _strings(node):
    return [s for s in node.find_all(string=True) if collapse_spaces(s)]


def _drop_string(s):
    """Remove a text node, and its element when the element holds nothing else."""
    parent = s.parent
    s.extract()
    while parent is not None and parent.name not in ("body", "html", "[document]", "article", "main") \
            and not collapse_spaces(parent.get_text()) and not parent.find("img"):
        up = parent.parent
        parent.decompose()
        parent = up


def parse_html_page(html, source):
    """A saved HTML news page (SharePoint, Liferay, ASP.NET…) → Record."""
    rec = Record(source=source, scraped=True)
    soup = BeautifulSoup(html, "html.parser")
    rec.source_url = _url_of_page(soup, html)
    og_title = soup.select_one('meta[property="og:title"]')
    og_title = og_title.get("content") if og_title else None
    page_title = soup.title.get_text() if soup.title else None
    sanitize(soup)
    container = (soup.select_one("article") or soup.select_one('[itemprop="articleBody"]')
                 or soup.select_one("main") or soup.body or soup)
    for tag in container.find_all(["nav", "aside"]):
        tag.decompose()
    h1 = container.find("h1") or soup.find("h1")
    title = collapse_spaces(h1.get_text(" ")) if h1 else ""
    if h1 and container in h1.parents:
        h1.decompose()
    if not title:
        title = collapse_spaces(og_title or "") or collapse_spaces(re.split(r"\s+[|–-]\s+", page_title or "")[0])
        if title:
            rec.warn("tiêu đề lấy từ thẻ <title>/og:title của trang, không phải từ tiêu đề bài; hãy kiểm tra")
    rec.title = nfc(title) or None
    # Footer furniture: from the first related-news/footer marker, drop the rest of the container.
    for s in _strings(container):
        if is_footer_start(s):
            node = s
            while node.parent is not None and node.parent is not container:
                node = node.parent
            for sib in list(node.find_next_siblings()):
                sib.decompose()
            node.decompose()
            break
    strings = _strings(container)
    texts = [collapse_spaces(s) for s in strings]
    time_tag = container.find("time", attrs={"datetime": True})
    date, date_i, rejected = find_dateline(texts)
    for i, raw, reason in rejected:
        rec.warn(f"bỏ qua dòng ngày “{raw}”: {reason}")
        _drop_string(strings[i])
    if date is not None:
        rec.date = date
        _drop_string(strings[date_i])
    elif time_tag is not None:
        try:
            rec.date = parse_dateline(time_tag.get_text()) or _plone_date(time_tag["datetime"])
        except DateError:
            rec.date = None
    for s in _strings(container):
        if is_boilerplate(s) or (rec.title and collapse_spaces(s).casefold() == rec.title.casefold()):
            _drop_string(s)  # furniture, or the headline repeated in the body
    meta, first = {}, True
    for s in reversed(_strings(container)):
        found = parse_byline(s) or parse_signature(s, last=first)
        if not found or any(k in meta for k in found):
            break
        meta.update(found)
        _drop_string(s)
        first = False
    for key, value in meta.items():
        setattr(rec, key, value)
    rec.body = html_to_markdown(str(container) if container is not soup else str(soup), rec)
    if rec.source_url:
        rec.old_paths.append(_old_path(rec.source_url))
    return rec


# --- step 2: clean ------------------------------------------------------------------------

def clean(rec, locality=None):
    """Apply the shared rules to a parsed Record; every inferred value gets a warning."""
    if rec.failed or rec.skip or rec.redirect:
        return rec
    for name in ("title", "author", "source_unit", "source_ref", "source_section", "summary"):
        value = getattr(rec, name)
        setattr(rec, name, collapse_spaces(nfc(value)) or None if value else None)
    rec.body = nfc(rec.body)
    if not rec.title:
        rec.warn("không tìm thấy tiêu đề bài: chưa tạo tệp (cổng không tự đặt tiêu đề); "
                 "hãy tạo bài bằng tay với `make new`", review=True)
        return rec
    text = f"{rec.title}\n{rec.body}"
    rec.doc_numbers = [d.text for d in find_doc_numbers(text)]
    if rec.kind == "trang":
        rec.slug = rec.slug or slugify(rec.plone_path.rsplit("/", 1)[-1] if rec.plone_path else rec.title)
        if not rec.body:
            rec.warn("trang không có nội dung", review=True)
        return rec
    rec.slug = rec.slug or slugify(rec.title)
    if not rec.body:
        rec.warn("bài không có nội dung (bản xuất không có phần text)", review=True)
    elif rec.scraped and looks_truncated(rec.body):
        rec.warn("nội dung dừng giữa chừng (có thể bị cắt ngang khi lưu trang); giữ nguyên, "
                 "hãy đối chiếu với trang gốc", review=True)
    if rec.date is None:
        rec.date_status = "khong-ro"
        rec.date_note = ("Trang gốc không ghi ngày đăng ở đầu hay cuối bài; ngày trong nội dung không "
                         "phải ngày đăng. Cổng không tự đặt ngày.")
        rec.warn("không tìm thấy ngày đăng (dòng ngày ở đầu hoặc cuối bài): đánh dấu date_status: "
                 "khong-ro", review=True)
    else:
        newest = newest_cited(text)
        if newest and newest[1].date() > rec.date.date():
            doc, when = newest
            rec.date_status = "nghi-van"
            rec.date_note = (f"Trang gốc ghi ngày {rec.date:%d/%m/%Y}, nhưng bài viện dẫn văn bản số "
                             f"{doc.text} ngày {when:%d/%m/%Y}, nên ngày đăng trên trang gốc có thể không "
                             "đúng. Cổng giữ nguyên ngày của trang gốc.")
            rec.warn(f"ngày đăng {rec.date:%d/%m/%Y} sớm hơn văn bản được viện dẫn ({doc.text} ngày "
                     f"{when:%d/%m/%Y}): đánh dấu date_status: nghi-van", review=True)
    for alt, src in dict.fromkeys(re.findall(r"!\[([^\]]*)\]\(([^)\s]+)", rec.body)):
        if not alt.strip():
            rec.warn(f"ảnh {src} không có lời mô tả (alt) cho người dùng trình đọc màn hình; hãy thêm",
                     review=True)
        if src.startswith("{filename}") or "resolveuid" in src.lower():
            continue
        if src.startswith(("http://", "https://")):
            rec.warn(f"ảnh {src} vẫn nằm trên máy chủ cũ; hãy chép về content/images/ trước khi tắt cổng cũ")
        else:
            rec.warn(f"ảnh {src} chưa được chép sang; hãy chép vào content/images/ và sửa đường dẫn trong bài",
                     review=True)
    refs = bare_references(rec.body)
    if refs:
        rec.warn("văn bản được nhắc đến không có số ký hiệu đầy đủ: " + ", ".join(f"“{r}”" for r in refs)
                 + "; hãy bổ sung nếu biết")
    if not rec.summary:
        if rec.body:
            plain = re.sub(r"[\\*_#>`\[\]]|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)", "", rec.body.split("\n\n")[0])
            rec.summary = first_sentence(plain.replace("&lt;", "<")) or None
        if rec.summary:
            rec.warn("tóm tắt (summary) lấy từ câu đầu của bài; hãy viết lại cho gọn")
        else:
            rec.summary = rec.title
            rec.warn("không có nội dung để làm tóm tắt: tạm dùng tiêu đề, hãy viết tóm tắt", review=True)
    if locality:
        rec.locality = locality
    else:
        found = infer_locality(rec.title, rec.body)
        if found:
            rec.locality = found
            rec.warn(f"địa phương “{found}” được suy ra từ nội dung; hãy kiểm tra")
        else:
            rec.locality = LOCALITY_PLACEHOLDER
            rec.warn(f"không xác định được địa phương: ghi tạm “{LOCALITY_PLACEHOLDER}”; hãy sửa "
                     "trường locality (hoặc chạy lại với --locality)", review=True)
    areas = infer_areas(text)
    if areas:
        rec.areas = areas
        rec.warn("lĩnh vực (areas) được gợi ý theo từ khóa trong bài: "
                 + ", ".join(AREAS[a] for a in areas) + "; hãy kiểm tra")
    else:
        rec.areas = [FALLBACK_AREA]
        rec.warn(f"không nhận ra lĩnh vực nào: ghi tạm “{AREAS[FALLBACK_AREA]}”; hãy sửa trường areas",
                 review=True)
    return rec


def _uid_to_uuid(uid):
    try:
        return str(uuid.UUID(hex=uid))
    except (ValueError, TypeError):
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"plone-uid:{uid}"))


_RESOLVEUID = re.compile(r"(?:[^\s()]*/)?resolve[uU]id/([0-9A-Za-z-]{8,})(?:/[^\s()]*)?")


def link(records, existing=None):
    """Cross-item work: ids, resolveuid links, redirect chains and old-path conflicts."""
    existing = existing or {}
    uid_target = {uid: target for uid, target in existing.get("uids", {}).items()}
    path_owner = dict(existing.get("paths", {}))  # old path → "kind/slug"
    posts = [r for r in records if r.title and r.slug and not (r.failed or r.skip or r.redirect)]
    drafts = set()
    for rec in posts:
        rec.id = _uid_to_uuid(rec.plone_uid) if rec.plone_uid else str(uuid.uuid4())
        if rec.plone_uid:
            uid_target[rec.plone_uid] = f"{TYPE_DIRS[rec.kind]}/{rec.slug}.md"
            if rec.review or rec.status == "draft":
                drafts.add(rec.plone_uid)
    for rec in posts:
        def repl(m, rec=rec):
            target = uid_target.get(m.group(1))
            if target is None:
                rec.warn(f"liên kết resolveuid/{m.group(1)} trỏ tới mục không được chuyển; hãy sửa liên kết",
                         review=True)
                return m.group(0)
            if m.group(1) in drafts:
                rec.warn(f"liên kết tới {target}, bài này đang là bản nháp: hãy xuất bản bài đó trước")
            return "{filename}/" + target
        rec.body = _RESOLVEUID.sub(repl, rec.body)
    # redirects.json: old → new Plone path; follow chains to an imported item's path.
    by_path = {r.plone_path: r for r in posts if r.plone_path}
    chain = {r.redirect[0]: r.redirect[1] for r in records if r.redirect}
    for rec in (r for r in records if r.redirect):
        old, new = rec.redirect
        seen = {old}
        while new in chain and new not in seen and new not in by_path:
            seen.add(new)
            new = chain[new]
        target = by_path.get(new)
        if target is None:
            rec.warn(f"chuyển hướng cũ {old} → {rec.redirect[1]}: đích không có trong nội dung được "
                     "chuyển; hãy thêm đường dẫn này vào old_paths của bài tương ứng", review=True)
        else:
            target.old_paths.append(old)
            rec.output = None
            rec.title = target.title
    for rec in posts:
        rec.old_paths = list(dict.fromkeys(rec.old_paths))
        for path in rec.old_paths:
            mine = f"{rec.kind}/{rec.slug}"
            owner = path_owner.setdefault(path, mine)
            if owner != mine:
                rec.warn(f"xung đột chuyển hướng: đường dẫn cũ {path} đã trỏ tới {owner}", review=True)
    return records


# --- step 3: write ------------------------------------------------------------------------

def _q(value):
    return json.dumps(value, ensure_ascii=False)


def _fmt_date(value):
    local = value.astimezone(VN_TZ)
    return f"{local:%d/%m/%Y %H:%M:%S}" if (local.hour, local.minute, local.second) != (0, 0, 0) \
        else f"{local:%d/%m/%Y}"


def render(rec):
    """Front matter + body of the post, as it will be written."""
    fm = [("type", rec.kind), ("id", rec.id), ("title", _q(rec.title))]
    if rec.kind == "trang" or rec.slug != slugify(rec.title):
        fm.append(("slug", rec.slug))
    if rec.kind != "trang":
        if rec.date_status != "khong-ro":
            fm.append(("date", _fmt_date(rec.date)))
        if rec.date_status != "chac-chan":
            fm += [("date_status", rec.date_status), ("date_note", _q(rec.date_note))]
    if rec.modified and rec.date and rec.modified > rec.date:
        fm.append(("modified", _fmt_date(rec.modified)))
    if rec.review or rec.status == "draft":
        fm.append(("status", "draft"))
    for name in ("author", "source_unit", "source_ref", "source_section"):
        if getattr(rec, name):
            fm.append((name, _q(getattr(rec, name))))
    if rec.kind != "trang":
        fm.append(("locality", _q(rec.locality)))
    if rec.summary:
        fm.append(("summary", _q(rec.summary)))
    if rec.kind != "trang":
        fm.append(("areas", "[" + ", ".join(rec.areas) + "]"))
    if rec.tags:
        fm.append(("tags", _q(rec.tags)))
    if rec.source_url:
        fm.append(("source_url", _q(rec.source_url)))
    if rec.old_paths:
        fm.append(("old_paths", _q(rec.old_paths)))
    if rec.plone_uid:
        fm.append(("plone_uid", _q(rec.plone_uid)))
    head = "\n".join(f"{k}: {v}" for k, v in fm)
    return nfc(f"---\n{head}\n---\n\n{rec.body.strip()}\n")


def target_path(rec, into):
    """Where the post goes: content/tin-tuc/<slug>.md or content/pages/<slug>.md."""
    return Path(into) / TYPE_DIRS[rec.kind] / f"{rec.slug}.md"


def write(rec, into, dry_run=False, taken=None):
    """Write the post unless its file exists; set rec.output and rec.outcome."""
    if rec.failed:
        rec.outcome = "failed"
        return rec
    if rec.skip:
        rec.warn(rec.skip)
        rec.outcome = "skipped"
        return rec
    if rec.redirect or not rec.title:
        rec.outcome = "needs_review" if rec.review else "imported"
        return rec
    path = target_path(rec, into)
    rel = str(path)
    taken = taken if taken is not None else {}
    if path.exists():
        rec.output = rel
        rec.outcome = "skipped"
        rec.warn(f"đã có tệp {rel}: giữ nguyên, không ghi đè (bài đã được chuyển trước đây?)")
        return rec
    other = taken.get((rec.kind, rec.slug))
    if other and other != rel:
        rec.outcome = "skipped"
        rec.warn(f"đường dẫn “{rec.slug}” trùng với bài {other}; hãy đổi tiêu đề hoặc slug rồi chuyển lại",
                 review=True)
        return rec
    text = render(rec)
    try:
        read_document(rel, text)
    except ContentError as exc:
        rec.outcome = "failed"
        rec.failed = "bài tạo ra không qua được kiểm tra: " + "; ".join(p.message for p in exc.problems)
        return rec
    rec.output = rel
    taken[(rec.kind, rec.slug)] = rel
    if not dry_run:
        try:
            _write_new(path, text)
        except FileExistsError:
            rec.outcome = "skipped"
            rec.warn(f"đã có tệp {rel}: giữ nguyên, không ghi đè")
            return rec
        except OSError as exc:
            rec.outcome, rec.output = "failed", None
            rec.failed = f"không ghi được {rel} ({exc.strerror})"
            return rec
    rec.outcome = "needs_review" if rec.review else "imported"
    return rec


def _write_new(path, text):
    """Write *text* to *path* atomically, failing (FileExistsError) if the file appears meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # atomic and never replaces an existing file
        except (AttributeError, NotImplementedError, PermissionError):
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --- report and command -------------------------------------------------------------------

def report_entry(rec):
    """One item of the JSON report."""
    warnings = list(rec.warnings)
    if rec.failed:
        warnings.insert(0, rec.failed)
    return {
        "source": rec.source,
        "output": rec.output,
        "title": rec.title,
        "date": iso_date(rec.date),
        "author": rec.author,
        "source_unit": rec.source_unit,
        "doc_numbers": rec.doc_numbers,
        "old_paths": [rec.redirect[0]] if rec.redirect else rec.old_paths,
        "status": rec.outcome,
        "warnings": [w[0].upper() + w[1:] if w else w for w in warnings],
    }


def existing_content(into):
    """Old paths, Plone UIDs and slugs already in the content tree (for links and conflicts)."""
    found = {"paths": {}, "uids": {}, "slugs": {}}
    for path in content_files(into) if Path(into).is_dir() else []:
        try:
            head, _body, _line = split(path.read_text(encoding="utf-8"))
            data, _lines = load(head)
        except (OSError, UnicodeDecodeError, FrontMatterError):
            continue
        kind = data.get("type") if isinstance(data.get("type"), str) else None
        title = data.get("title") if isinstance(data.get("title"), str) else ""
        slug = data.get("slug") if isinstance(data.get("slug"), str) else slugify(title)
        if not kind or not slug:
            continue
        rel = path.relative_to(into).as_posix()
        found["slugs"][(kind, slug)] = str(path)
        if isinstance(data.get("plone_uid"), str):
            found["uids"][data["plone_uid"]] = rel
        paths = data.get("old_paths")
        for old in paths if isinstance(paths, list) else [paths] if isinstance(paths, str) else []:
            found["paths"].setdefault(old, f"{kind}/{slug}")
    return found


def run(sources, into="content", dry_run=False, locality=None, progress=None):
    """The whole import → list of Records (nothing written when *dry_run*)."""
    files = list(iter_sources(sources))
    missing = [s for s in sources if not Path(s).exists()]
    records = [Record(source=str(s), failed="không tìm thấy tệp hay thư mục này") for s in missing]
    for path in (progress(files) if progress else files):
        if Path(path).exists():
            records.extend(parse_file(path))
    for rec in records:
        clean(rec, locality=locality)
    existing = existing_content(into)
    link(records, existing)
    taken = dict(existing["slugs"])
    for rec in records:
        write(rec, into, dry_run=dry_run, taken=taken)
    return records


STATUS_LABELS = {"imported": "đã chuyển", "needs_review": "cần xem lại", "skipped": "bỏ qua",
                 "failed": "lỗi"}


def summary_lines(records, dry_run=False):
    """The readable terminal summary, in Vietnamese."""
    counts = {k: 0 for k in STATUS_LABELS}
    for rec in records:
        counts[rec.outcome] = counts.get(rec.outcome, 0) + 1
    out = [("Chạy thử (không ghi tệp nào). " if dry_run else "")
           + f"Tổng {len(records)} mục: " + ", ".join(f"{n} {STATUS_LABELS[k]}" for k, n in counts.items())]
    for rec in records:
        if rec.outcome in ("needs_review", "failed"):
            label = STATUS_LABELS[rec.outcome].upper()
            first = rec.failed or (rec.warnings[0] if rec.warnings else "")
            out.append(f"  [{label}] {rec.source}" + (f" → {rec.output}" if rec.output else "")
                       + (f": {first}" if first else ""))
    return out


def main(args):
    """Entry point of `cchc import` (arguments parsed by cchc_cli.cli)."""
    progress = None
    if sys.stderr.isatty():
        from rich.progress import track

        def progress(files):
            return track(files, description="Đang chuyển…", transient=True) if len(files) > 5 else files
    records = run(args.sources, into=args.into, dry_run=args.dry_run,
                  locality=getattr(args, "locality", None), progress=progress)
    if args.report:
        data = json.dumps([report_entry(r) for r in records], ensure_ascii=False, indent=2) + "\n"
        report = Path(args.report)
        report.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{report.name}.", dir=report.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, report)  # the report is ours to replace; posts never are
    for line in summary_lines(records, dry_run=args.dry_run):
        print(line)
    if args.report:
        print(f"Báo cáo chi tiết: {args.report}")
    failed = sum(1 for r in records if r.outcome == "failed")
    if failed:
        print(f"LỖI {failed} mục không chuyển được; xem báo cáo.", file=sys.stderr)
        return 1
    return 0
