"""Non-failing advice for `cchc check`: things an editor may complete, not errors."""

from dataclasses import dataclass

from cchc.core import doctypes, find_bare_references


@dataclass
class Notice:
    """One suggestion in one file."""

    path: str
    line: int | None
    message: str
    topic: str = "văn bản được dẫn không kèm ký hiệu"  # what the one-line summary counts

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def _example(ref):
    """The shapes the full number may take: " (dạng 1578/QĐ-…, hoặc văn bản của Đảng 1578-QĐ/…)"."""
    kind = doctypes.BY_NAME[ref.doc_type]
    if not kind.code:
        return ""
    forms = ([f"{ref.number}/{kind.code}-…"] if kind.state else []) + (
        [f"văn bản của Đảng {ref.number}-{kind.code}/…"] if kind.party else [])
    return " (dạng " + ", hoặc ".join(forms) + ")"


def _advice(ref, field=None):
    example = _example(ref)
    where = (f"điền trường number của căn cứ này{example}" if field
             else f"viết đủ số ký hiệu{example}")
    return (f"“{ref.text}” chưa có ký hiệu nên không có trang văn bản và không được gắn liên kết; "
            f"khi tra được văn bản gốc, hãy {where}")


def bare_reference_notices(docs):
    """Every "Quyết định số 1578"-style citation in bodies, summaries and legal bases."""
    notices = []
    for doc in docs:
        for i, basis in enumerate(doc.meta.get("legal_bases", [])):
            if basis.get("number") or not basis.get("reference"):
                continue
            line = doc.lines.get(f"legal_bases[{i}].reference", doc.lines.get(f"legal_bases[{i}]"))
            for ref in find_bare_references(basis["reference"]):
                notices.append(Notice(doc.path, line, _advice(ref, field="number")))
        for ref in find_bare_references(doc.meta.get("summary", "")):
            notices.append(Notice(doc.path, doc.lines.get("summary"), _advice(ref)))
        for n, text in enumerate(doc.body.splitlines(), start=doc.body_line):
            for ref in find_bare_references(text):
                notices.append(Notice(doc.path, n, _advice(ref)))
    return notices


def size_notices(docs):
    """Posts long enough to be slow to load and read on a phone (not refused: see SIZE_LIMIT)."""
    from cchc.core.schema import SIZE_LIMIT, SIZE_WARN, human_size

    notices = []
    for doc in docs:
        size = len(doc.body.encode("utf-8"))
        if SIZE_WARN < size <= SIZE_LIMIT:
            notices.append(Notice(doc.path, None, f"bài dài {human_size(size)}, khó đọc trên điện thoại: nên "
                                  "chia thành nhiều bài, hoặc đưa phần dài (bảng, phụ lục) vào tệp đính kèm",
                                  topic="bài dài"))
    return notices


def content_notices(docs):
    """Every suggestion `cchc check` makes about the checked posts."""
    return size_notices(docs) + bare_reference_notices(docs)
