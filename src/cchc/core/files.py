"""What under content/ may become a file of the site: nothing from outside it, only safe types.

Pelican walks content/ following symbolic links, so ``content/images/etc → /etc`` would
publish the host's files and ``content/files/vong → ..`` dozens of nested copies of the
sources. ``walk`` visits each real folder once, never leaves the content tree and says
why it refused a link; ``tree_problems`` turns that, and attachments or images of a type a
browser would run (.js, .html, an SVG that is more than a drawing: ``cchc.core.svg``) or whose
name would break the HTML of a link to them, into Vietnamese errors for ``cchc check``;
the cchc_security plugin drops the same files from Pelican's static copying.
"""

import contextlib
import os
import re
import signal
import stat
import tempfile
import threading
from pathlib import Path

from . import sitepaths

# Files staff may publish under content/files/ and content/images/ (lower-case suffixes).
ALLOWED_SUFFIXES = frozenset({
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
    ".txt", ".csv", ".zip", ".7z", ".rar", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif",
    ".svg", ".mp3", ".mp4", ".webm",
})
# The STATIC_PATHS of pelicanconf.py, for `cchc check` (which reads no settings): the URL map's.
STATIC_DIRS = sitepaths.STATIC_DIRS
# Characters that would end an attribute or start a tag: Pelican writes a linked file's name as is.
_UNSAFE_IN_NAME = re.compile(r"[\"'<>`\\\x00-\x1f\x7f]")


# Why a link or an entry under content/ is refused (walk, read_source).
BROKEN_LINK = ("liên kết tượng trưng (symlink) bị hỏng hoặc trỏ vòng; hãy xóa nó và chép tệp thật "
               "vào đây")
SPECIAL_FILE = ("không phải tệp thường mà là một ống (FIFO), socket hay thiết bị: mở nó, lần xây dựng "
                "sẽ chờ mãi; hãy xóa nó (rm) và đặt vào đây một tệp văn bản thật")


def _outside(target):
    return (f"liên kết tượng trưng (symlink) trỏ ra ngoài thư mục nội dung (tới {target}); không được "
            "đăng tệp ngoài content/, hãy xóa liên kết và chép tệp cần đăng vào đây")


def walk(root):
    """(files, refusals) under *root*: files as paths relative to *root* (through allowed
    links), refusals as (relative path, Vietnamese reason) for links out of the tree, loops,
    broken links and special files (a FIFO, socket or device: opening one can block for ever).
    Each real folder is visited once."""
    root = Path(root)
    real_root = root.resolve()
    files, refusals = [], []
    seen = {real_root}
    stack = [Path()]
    while stack:
        rel = stack.pop()
        try:
            entries = sorted(os.scandir(root / rel), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = rel / entry.name
            if entry.is_symlink():
                try:
                    target = (root / path).resolve(strict=True)
                except (OSError, RuntimeError):
                    refusals.append((path, BROKEN_LINK))
                    continue
                if target != real_root and real_root not in target.parents:
                    refusals.append((path, _outside(target)))
                    continue
                if target.is_dir():
                    if target in seen or target in (root / rel).resolve().parents or target == real_root:
                        refusals.append((path, "liên kết tượng trưng (symlink) trỏ vòng về thư mục chứa nó "
                                               "hoặc một thư mục đã có; hãy xóa liên kết này"))
                        continue
                    seen.add(target)
                    stack.append(path)
                elif target.is_file():
                    files.append(path)
                else:
                    refusals.append((path, SPECIAL_FILE))
            elif entry.is_dir(follow_symlinks=False):
                real = (root / path).resolve()
                if real in seen:
                    continue
                seen.add(real)
                stack.append(path)
            elif entry.is_file(follow_symlinks=False):
                files.append(path)
            else:
                refusals.append((path, SPECIAL_FILE))
    return sorted(files), refusals


_REAL_ROOTS = {}  # (root as given, device, inode) → its real path with a final separator


def _real_root(root):
    """os.path.realpath(*root*) + "/", resolved once per folder: a stat instead of an lstat per
    part of the path, for each of the 10,000 posts a build asks about. Keyed by the folder's
    device and inode, so a root that now names another folder (a moved link, another working
    folder for a relative root) is resolved again."""
    try:
        st = os.stat(root)
    except OSError:
        return os.path.join(os.path.realpath(root), "")
    key = (os.fspath(root), st.st_dev, st.st_ino)
    real = _REAL_ROOTS.get(key)
    if real is None:
        if len(_REAL_ROOTS) > 64:
            _REAL_ROOTS.clear()
        real = _REAL_ROOTS[key] = os.path.join(os.path.realpath(root), "")
    return real


def source_refusal(root, path):
    """Why the file *path* may not be read as part of the content folder *root* (a link out of
    it, a broken link, a FIFO, socket or device), or None. Never opens it."""
    # On strings, not Path objects: Pelican asks this of every post four times a build (its
    # stamps, see cchc_content.content_cache.guard_stamps), and Path.resolve() with a walk up
    # target.parents cost 2.6 s of profiled CPU at 2,000 posts; the verdicts are the same.
    real_root = _real_root(root)
    try:
        target = os.path.realpath(path, strict=True)
        mode = os.stat(target).st_mode
    except (OSError, RuntimeError):
        return BROKEN_LINK
    if not target.startswith(real_root):
        return _outside(target)
    if not stat.S_ISREG(mode):
        return SPECIAL_FILE
    return None


class SourceRefused(ValueError):
    """A post that may not be read: a link out of content/, a broken link, not a regular file."""


def read_source(root, path):
    """The text of the post *path* under the content folder *root*, never blocking on it.

    Pelican hands the reader every ``*.md`` it walked, links and special files included: a link
    out of *root* is refused (SourceRefused, the message of ``walk``) before anything is read,
    and the file is opened without blocking and refused unless it is a regular file (a FIFO
    named ``x.md`` would otherwise hold the build for ever)."""
    why = source_refusal(root, path)
    if why:
        raise SourceRefused(why)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    with open(fd, encoding="utf-8") as fh:  # text mode, as open(path) read it: "\r\n" → "\n"
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SourceRefused(SPECIAL_FILE)
        return fh.read()


def static_problem(root, rel):
    """(line or None, why) when the static file *rel* (under *root*) may not be published, else None."""
    path = Path(root) / rel
    suffixes = {Path(rel).suffix.lower(), path.resolve().suffix.lower()}
    bad = sorted(s or "(không có đuôi)" for s in suffixes if s not in ALLOWED_SUFFIXES)
    if bad:
        return None, (f"tệp loại {', '.join(bad)} không được đăng (trình duyệt có thể chạy mã trong đó); "
                      "chỉ đăng tài liệu (PDF, Word, Excel, …), ảnh (JPG, PNG, WebP, SVG không có mã) hoặc ZIP")
    char = _UNSAFE_IN_NAME.search(str(rel))
    if char:
        shown = char.group() if char.group().isprintable() else f"U+{ord(char.group()):04X}"
        return None, (f"tên tệp có ký tự “{shown}”: tên tệp được chèn nguyên văn vào liên kết của trang, "
                      "ký tự này có thể thêm mã HTML vào trang; hãy đổi tên tệp (chỉ dùng chữ, số, dấu "
                      "gạch ngang, gạch dưới và dấu chấm) và sửa các liên kết tới nó")
    if ".svg" in suffixes:
        from . import svg

        try:
            data = path.read_bytes()
        except OSError:
            return None, "không đọc được tệp"
        return svg.problem(data)
    return None


def umask():
    """The process's file-creation mask (reading it means setting it: it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def interrupt_deferred():
    """Ctrl-C (SIGINT) during the block takes effect when the block is done: a file being written
    is then whole or not there, and no temporary file is left behind (KeyboardInterrupt between
    mkstemp creating the file and the code that removes it would leave one). Outside the main
    thread, where signals cannot be handled, the block runs as it is."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is None:
        yield  # (None: a handler Python did not install, which it could not put back)
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, caught[0])  # Python's default handler raises KeyboardInterrupt
        elif caught and previous == signal.SIG_DFL:
            os.kill(os.getpid(), signal.SIGINT)


def write_whole(path, text, replace=True, durable=False):
    """Write *text* (UTF-8, "\n" line ends; bytes as they are) to *path* whole or not at all, so a build or an import
    killed at any moment leaves the old file or the new one, never half of one.

    The text goes into a temporary file beside *path* (its name starts with *path*'s, so an
    ignore rule for one covers the other), which then replaces *path* (*replace*) or becomes it
    only if *path* does not exist yet (else FileExistsError: a post someone wrote meanwhile is
    never overwritten). A replaced file keeps its mode; a new one gets the usual mode (0666 less
    the umask; mkstemp makes 0600); a symbolic link stays one, its target is rewritten (as
    writing in place did). *durable*: on disk before the rename (posts). Ctrl-C while it writes
    takes effect once the file is whole (interrupt_deferred)."""
    path = Path(os.path.realpath(path)) if replace else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with interrupt_deferred():
        _write_whole(path, text, replace, durable)


def _write_whole(path, text, replace, durable):
    prefix = path.name if path.name.startswith(".") else f".{path.name}"
    fd, tmp = tempfile.mkstemp(prefix=f"{prefix}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode) if replace else None
        except FileNotFoundError:
            mode = None
        os.fchmod(fd, (0o666 & ~umask()) if mode is None else mode)
        binary = isinstance(text, bytes)  # a cache file (the staff check's Documents store): as given
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            fh.write(text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic, and never replaces an existing file
            except (AttributeError, NotImplementedError, PermissionError):
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# What an OSError means, for staff (never the C library's English). Keyed by errno name: a name
# a platform lacks is left out.
_OS_ERRORS = {
    "ENOSPC": "ổ đĩa đã đầy: giải phóng chỗ trống rồi chạy lại",
    "EDQUOT": "đã dùng hết hạn mức dung lượng của tài khoản trên ổ đĩa: giải phóng chỗ trống rồi chạy lại",
    "EACCES": "không có quyền (quyền của tệp hay thư mục không cho phép): kiểm tra quyền, hoặc chạy bằng "
              "tài khoản sở hữu thư mục",
    "EPERM": "hệ thống không cho phép (tệp hay thư mục bị khóa, ví dụ bằng chattr +i): mở khóa rồi chạy lại",
    "EROFS": "ổ đĩa chỉ cho đọc, không ghi được: chọn thư mục trên ổ đĩa khác",
    "EFBIG": "tệp vượt giới hạn dung lượng cho phép (của hệ thống tệp, hay đặt bằng ulimit -f): giải phóng "
             "chỗ hoặc nới giới hạn rồi chạy lại",
    "ENAMETOOLONG": "tên tệp quá dài",
    "ELOOP": "là liên kết tượng trưng (symlink) hoặc trỏ vòng",
    "ENOENT": "không có tệp hay thư mục này",
    "ENOTDIR": "một phần của đường dẫn không phải thư mục",
    "EEXIST": "đã có một tệp trùng tên ở chỗ cần tạo thư mục",
    "EISDIR": "là một thư mục, không phải tệp",
    "EIO": "lỗi đọc/ghi của ổ đĩa (ổ đĩa hỏng hay bị rút ra?)",
    "EMFILE": "mở quá nhiều tệp cùng lúc",
    "EBUSY": "tệp hay thư mục đang bị chương trình khác dùng",
}


def os_error_text(exc):
    """What the OSError *exc* means, in Vietnamese, with what to do: "ổ đĩa đã đầy: …"."""
    import errno

    name = errno.errorcode.get(getattr(exc, "errno", None) or 0)
    return _OS_ERRORS.get(name) or f"lỗi hệ thống {name or type(exc).__name__}"


def tree_problems(content_dir, static_dirs=STATIC_DIRS):
    """Every refused link under *content_dir* and every static file that may not be published."""
    from .schema import Problem

    files, refusals = walk(content_dir)
    problems = [Problem(str(Path(content_dir) / rel), None, None, why) for rel, why in refusals]
    for rel in files:
        if rel.parts and rel.parts[0] in static_dirs:
            found = static_problem(content_dir, rel)
            if found:
                problems.append(Problem(str(Path(content_dir) / rel), found[0], None, found[1]))
    return problems
