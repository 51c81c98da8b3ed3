"""Step 3: cross-item work over the whole batch: ids, resolveuid links, redirect chains, old-path conflicts."""

import re
import uuid
from pathlib import Path

from cchc.core.schema import old_path_error
from cchc.core.text import printable

from .record import TYPE_DIRS


def _uid_to_uuid(uid):
    try:
        return str(uuid.UUID(hex=uid))
    except (ValueError, TypeError):
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"plone-uid:{uid}"))


_RESOLVEUID = re.compile(r"(?:[^\s()]*/)?resolve[uU]id/([0-9A-Za-z-]{8,})(?:/[^\s()]*)?")


def link(records, existing=None, site=None, into="content"):
    """Cross-item work: ids, resolveuid links, redirect chains and old-path conflicts.

    *site* (cchc.core.sitepaths.SitePaths, its posts named by their files under *into*): an old
    path that would take over an address of the site is not kept, as `make check` would refuse
    it; the post is written without it and says so."""
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
    # redirects.json: old → new Plone path; follow chains to an imported item's path. Entries
    # refused when read (control characters, no leading "/", a hostile target) take no part.
    by_path = {r.plone_path: r for r in posts if r.plone_path}
    redirects = [r for r in records if r.redirect and not r.failed]
    chain = {r.redirect[0]: r.redirect[1] for r in redirects}
    for rec in redirects:
        old, new = rec.redirect
        seen = {old}
        while new in chain and new not in seen and new not in by_path:
            seen.add(new)
            new = chain[new]
        target = by_path.get(new)
        if target is None:
            rec.warn(f"chuyển hướng cũ {old} → {rec.redirect[1]}: đích không có trong nội dung được "
                     "chuyển; hãy thêm đường dẫn này vào old_paths của bài tương ứng", review=True)
            continue
        taken = _taken(site, old, target, into)
        if taken:
            rec.skip = f"không giữ chuyển hướng này: {taken}"
            continue
        target.old_paths.append(old)
        rec.title, rec.target = target.title, target
    for rec in posts:
        kept = []
        for path in dict.fromkeys(rec.old_paths):
            why = old_path_error(path) or _taken(site, path, rec, into)
            if why:
                rec.warn(f"bỏ đường dẫn cũ “{printable(path)}” (không ghi vào old_paths): {why}")
                continue
            kept.append(path)
        rec.old_paths = kept
        for path in rec.old_paths:
            mine = f"{rec.kind}/{rec.slug}"
            owner = path_owner.setdefault(path, mine)
            if owner != mine:
                rec.warn(f"xung đột chuyển hướng: đường dẫn cũ {path} đã trỏ tới {owner}", review=True)
    return records


def _taken(site, old, rec, into):
    """What of the new site the old path *old* of the post *rec* would take over (as `make check`
    says it), or None. *site* names its posts by their files under *into*."""
    what = site.taken_by(old, str(Path(into) / TYPE_DIRS[rec.kind] / f"{rec.slug}.md")) if site else None
    return f"“{printable(old)}” là đường dẫn của chính cổng mới: {what}" if what else None
