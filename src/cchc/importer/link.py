"""Step 3: cross-item work over the whole batch: ids, resolveuid links, redirect chains, old-path conflicts."""

import re
import uuid

from .record import TYPE_DIRS


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
            rec.title = target.title
    for rec in posts:
        rec.old_paths = list(dict.fromkeys(rec.old_paths))
        for path in rec.old_paths:
            mine = f"{rec.kind}/{rec.slug}"
            owner = path_owner.setdefault(path, mine)
            if owner != mine:
                rec.warn(f"xung đột chuyển hướng: đường dẫn cũ {path} đã trỏ tới {owner}", review=True)
    return records
