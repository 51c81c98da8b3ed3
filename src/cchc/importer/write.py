"""Step 4: render front matter + body, check it with the content schema, write it without ever
replacing an existing file."""

import json
from pathlib import Path

from cchc.core import VN_TZ
from cchc.core.files import interrupt_deferred, os_error_text, write_whole
from cchc.core.frontmatter import FrontMatterError, load, split
from cchc.core.schema import ContentError, content_files, post_slug, read_document
from cchc.core.text import nfc, printable

from .clean import SLUG_LIMIT
from .record import TYPE_DIRS


def _q(value):
    return json.dumps(value, ensure_ascii=False)


def _fmt_date(value):
    local = value.astimezone(VN_TZ)
    return f"{local:%d/%m/%Y %H:%M:%S}" if (local.hour, local.minute, local.second) != (0, 0, 0) \
        else f"{local:%d/%m/%Y}"


def render(rec):
    """Front matter + body of the post, as it will be written."""
    fm = [("type", rec.kind), ("id", rec.id), ("title", _q(rec.title))]
    if rec.kind == "trang" or rec.slug != post_slug({"title": rec.title}):
        fm.append(("slug", rec.slug))  # only when the site's rule would not give the same slug
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
    if rec.kind == "bao-cao":
        fm += ([("doc_number", rec.doc_number)] if rec.doc_number else [("doc_number_note", _q(rec.doc_number_note))])
        if rec.issue_date:
            fm.append(("issue_date", f"{rec.issue_date:%d/%m/%Y}"))
        fm += [("reporting_unit", _q(rec.reporting_unit)), ("report_period", _q(rec.report_period)),
               ("plans", "[" + ", ".join(rec.plans) + "]")]
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


def assign_slugs(records):
    """Make every post's slug unique within the batch: a later item with the same title gets "-2", "-3"….

    Runs before links are resolved (so resolveuid links name the final file) and gives the same
    names on every run of the same batch (so a second run finds the files and skips them).
    """
    seen = set()
    for rec in records:
        if rec.failed or rec.skip or rec.redirect or not rec.title or not rec.slug:
            continue
        if (rec.kind, rec.slug) in seen:
            base, n, first = rec.slug, 2, f"{TYPE_DIRS[rec.kind]}/{rec.slug}.md"
            while (rec.kind, rec.slug) in seen:
                suffix = f"-{n}"
                rec.slug = base[: SLUG_LIMIT - len(suffix)].rstrip("-") + suffix
                n += 1
            rec.warn(f"tiêu đề trùng với bài {first} trong cùng lần chuyển: đặt đường dẫn “{rec.slug}”; "
                     "hãy kiểm tra xem có phải hai bài khác nhau", review=True)
        seen.add((rec.kind, rec.slug))
    return records


def write(rec, into, dry_run=False, taken=None):
    """Write the post unless its file exists; set rec.output and rec.outcome.

    *taken* maps (kind, slug) to the file already holding it (existing content and this batch).
    """
    if rec.failed:
        rec.outcome = "failed"
        return rec
    if rec.skip:
        rec.warn(rec.skip)
        rec.outcome = "skipped"
        return rec
    if rec.redirect:
        return _redirect_outcome(rec)
    if not rec.title:
        rec.outcome = "needs_review" if rec.review else "imported"
        return rec
    path = target_path(rec, into)
    rel = str(path)
    taken = taken if taken is not None else {}
    other = taken.get((rec.kind, rec.slug))
    if path.exists():
        rec.output = rel
        rec.outcome = "skipped"
        rec.warn(f"đã có tệp {rel}: giữ nguyên, không ghi đè (bài đã được chuyển trước đây?)")
        return rec
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
    # Ctrl-C while the post is written takes effect once the report knows it is there.
    with interrupt_deferred():
        if not dry_run:
            try:
                _write_new(path, text)
            except FileExistsError:
                rec.outcome = "skipped"
                rec.warn(f"đã có tệp {rel}: giữ nguyên, không ghi đè")
                return rec
            except OSError as exc:
                rec.outcome, rec.output = "failed", None
                rec.failed = f"không ghi được {rel}: {os_error_text(exc)}"
                return rec
        rec.outcome = "needs_review" if rec.review else "imported"
    return rec


def _redirect_outcome(rec):
    """A redirects.json entry is `imported` only when the post it joins was written with it
    (written first: run() writes redirects after posts); otherwise the report says why not."""
    target = rec.target
    if target is None or target.outcome in ("imported", "needs_review"):
        rec.outcome = "needs_review" if rec.review else "imported"
        return rec
    old = printable(rec.redirect[0])
    where = target.output or target.source
    if target.outcome == "skipped" and target.output:
        rec.outcome = "skipped"
        rec.warn(f"bài đích {where} đã có từ trước, không được ghi lại: nếu chưa có, hãy thêm {old} vào "
                 "old_paths của bài đó")
        return rec
    why = target.failed or (target.warnings[-1] if target.warnings else "không được ghi")
    rec.outcome = "needs_review"
    rec.warn(f"bài đích {where} không được ghi ({why}); đường dẫn cũ {old} chưa được giữ: chuyển lại bài đó "
             "hoặc thêm đường dẫn này vào old_paths của nó", review=True)
    return rec


def _write_new(path, text):
    """Write *text* to *path* atomically, failing (FileExistsError) if the file appears meanwhile."""
    write_whole(path, text, replace=False, durable=True)


def existing_content(into):
    """Old paths, Plone UIDs and slugs already in the content tree (for links and conflicts)."""
    found = {"paths": {}, "uids": {}, "slugs": {}, "posts": [], "plan_numbers": {}}
    for path in content_files(into) if Path(into).is_dir() else []:
        try:
            head, _body, _line = split(path.read_text(encoding="utf-8"))
            data, _lines = load(head)
        except (OSError, UnicodeDecodeError, FrontMatterError):
            continue
        kind = data.get("type") if isinstance(data.get("type"), str) else None
        title = data.get("title") if isinstance(data.get("title"), str) else ""
        slug = post_slug({"slug": data.get("slug") if isinstance(data.get("slug"), str) else None,
                          "title": title})
        if not kind or not slug:
            continue
        rel = path.relative_to(into).as_posix()
        found["slugs"][(kind, slug)] = str(path)
        if kind == "ke-hoach" and isinstance(data.get("doc_number"), str):  # a report names its plan by number
            from cchc.core import parse_doc_number

            number = parse_doc_number(data["doc_number"])
            if number is not None:
                found["plan_numbers"].setdefault(number.key, slug)
        lang = data.get("lang") if isinstance(data.get("lang"), str) else None
        found["posts"].append(({"type": kind, "slug": slug, **({"lang": lang} if lang else {})}, str(path)))
        if isinstance(data.get("plone_uid"), str):
            found["uids"][data["plone_uid"]] = rel
        paths = data.get("old_paths")
        for old in paths if isinstance(paths, list) else [paths] if isinstance(paths, str) else []:
            found["paths"].setdefault(old, f"{kind}/{slug}")
    return found
