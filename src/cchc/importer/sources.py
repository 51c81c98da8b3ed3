"""Step 1, dispatch: every source file, its bytes decoded, its format recognised from the content."""

import json
import os
import re
import stat
from pathlib import Path

from cchc.core.files import os_error_text
from cchc.core.text import printable

from .encodings import UnreadableBytes, decode
from .html_page import parse_html_page
from .plone import parse_json
from .record import Record
from .text_page import parse_text

SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__"}
_SPECIAL = ((stat.S_ISFIFO, "một ống dẫn (FIFO)"), (stat.S_ISSOCK, "một socket"),
            (stat.S_ISCHR, "một thiết bị"), (stat.S_ISBLK, "một thiết bị"))


def iter_sources(paths):
    """What to read under the given files/folders, sorted, hidden files and tool folders left out:
    a Path for each file, and a Record (skipped, with the reason) for each entry that is not read.

    Inside a folder a symbolic link is never followed: one pointing out of it would bring the
    host's files (/etc/passwd, a key) into posts, and one pointing inside it names a file or
    folder that is read through its own path anyway (followed, it would be imported twice). A
    FIFO, socket or device is not read either (reading one blocks or never ends). A file or
    folder named on the command line is taken as named, a link included (staff chose it)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, path.resolve())
            continue
        why = _not_a_file(path, os.stat)
        yield Record(source=str(path), skip=why) if why else path


def _walk(folder, root):
    """Depth first, in name order (as sorted paths), without recursion: any depth of folders."""
    stack = [iter([folder])]
    while stack:
        for path in stack[-1]:  # noqa: B007 - the next entry, used after the loop (for/else: none left)
            break
        else:
            stack.pop()
            continue
        if path is not folder:
            if path.name.startswith(".") or path.name in SKIP_DIRS:
                continue
            if path.is_symlink():
                yield Record(source=str(path), skip=_link_reason(path, root))
                continue
            if not path.is_dir():
                why = _not_a_file(path, os.lstat)
                yield Record(source=str(path), skip=why) if why else path
                continue
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            yield Record(source=str(path), failed=f"không mở được thư mục ({os_error_text(exc)})")
            continue
        stack.append(iter([Path(e.path) for e in entries]))


def _not_a_file(path, stat_of):
    """Why *path* is not read as a source (a FIFO, socket or device), or None."""
    try:
        return _special(stat_of(path).st_mode)
    except OSError:
        return None  # reading it says why, as a failed item


def _special(mode):
    for test, what in _SPECIAL:
        if test(mode):
            return (f"không phải tệp thường mà là {what}: không đọc (đọc nó có thể làm lệnh treo mãi); "
                    "chỉ chuyển tệp bài viết thật")
    return None


def _link_reason(path, root):
    """The report's reason for a symbolic link inside a source folder (never followed)."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "liên kết tượng trưng (symlink) bị hỏng hoặc trỏ vòng: bỏ qua"
    if target != root and root not in target.parents:
        return (f"liên kết tượng trưng (symlink) trỏ ra ngoài thư mục nguồn (tới {printable(str(target))}): "
                "không đọc, để không đưa tệp của máy (mật khẩu, khóa…) vào bài; nếu đúng là cần chuyển tệp "
                "đó, hãy chép nó vào thư mục nguồn")
    return (f"liên kết tượng trưng (symlink) tới {printable(str(target.relative_to(root)))} trong chính thư mục "
            "nguồn: không đọc qua liên kết (tệp đó được chuyển theo đường dẫn thật của nó, không thành hai bài)")


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


class _NotAFile(Exception):
    """The path became a link or a special file after it was listed."""


def _read_file(path, follow_links):
    """The bytes of a regular file; without *follow_links* a path that is (now) a symbolic link
    is refused by the system (O_NOFOLLOW), and a FIFO or device is never read (O_NONBLOCK, then
    checked on the open file)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow_links and os.path.islink(path):
            raise _NotAFile(_link_reason(Path(path), Path(path).parent.resolve())) from None
        raise exc from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _NotAFile(_special(mode) or "không phải tệp thường: không đọc")
        return fh.read()


def parse_file(path, follow_links=True):
    """Read one source file → list of Records (a JSON export may hold many items).

    *follow_links*: False for a file found inside a source folder (see iter_sources)."""
    source = str(path)
    if Path(path).suffix.lower() in BINARY_SUFFIXES:
        return [Record(source=source, skip="tệp ảnh hay tài liệu đính kèm, không phải bài viết; nếu cần, "
                                           "hãy chép vào content/images/ hoặc content/files/ bằng tay")]
    try:
        data = _read_file(path, follow_links)
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return [Record(source=source, skip="tệp nhị phân, không phải bài viết")]
        text, notes = decode(data)
    except _NotAFile as exc:
        return [Record(source=source, skip=str(exc))]
    except OSError as exc:
        return [Record(source=source, failed=f"không mở được tệp ({os_error_text(exc)})")]
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
