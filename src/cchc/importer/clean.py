"""Step 2: the shared rules applied to one parsed Record; every inferred value gets a warning."""

import re

from cchc.core import AREAS, find_bare_references, find_doc_numbers, slugify, units
from cchc.core.schema import unit_message
from cchc.core.text import collapse_spaces, nfc

from . import reports
from .heuristics import (
    AREA_LIMIT,
    first_sentence,
    infer_locality,
    looks_truncated,
    newest_cited,
    suggest_areas,
)

LOCALITY_PLACEHOLDER = units.UNRESOLVED
FALLBACK_AREA = "tuyen-truyen"

SLUG_LIMIT = 80
PLAIN_FIELDS = ("title", "author", "source_unit", "source_ref", "source_section", "summary")
FIELD_LABELS = {"title": "tiêu đề", "author": "tác giả", "source_unit": "đơn vị", "source_ref": "nguồn",
                "source_section": "chuyên mục cũ", "summary": "tóm tắt"}
# Anything shaped like a tag (<script>, </b>, <img src=…>, <!-- … -->) in a one-line field.
_TAG_LIKE = re.compile(r"<\s*[/!?]?\s*[A-Za-z][^<>]*>|<!--.*?-->", re.S)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value):
    """A one-line field as plain text: NFC, layout spaces squeezed, no markup, no control characters."""
    if not value:
        return None
    text = _CONTROL.sub(" ", nfc(str(value)))
    text = _TAG_LIKE.sub(" ", text).replace("<", "‹").replace(">", "›")
    return collapse_spaces(text) or None


def bounded_slug(text, limit=SLUG_LIMIT):
    """ASCII slug of *text*, at most *limit* characters, cut between words."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    return slug[: limit + 1].rsplit("-", 1)[0].strip("-") or slug[:limit]


def resolve_locality(rec):
    """Why *rec*'s locality names no single administrative unit on the page's date (the check's
    words: the nearest names, or the units and their codes), or None, setting rec.locality_unit.

    The registry of cchc.core.units, as `make check` reads a post's locality: the importer keeps
    only a locality the check will accept and never guesses between candidates."""
    try:
        reg = units.registry()
    except units.UnitsUnavailable as exc:
        rec.locality_problem = str(exc)
        return rec.locality_problem
    day = rec.date.date() if rec.date else None
    res = reg.resolve(rec.locality, day)
    if res.unit is None:
        rec.locality_problem = unit_message(reg, res, day)
        return rec.locality_problem
    rec.locality_unit = res.unit
    if res.other_era:  # as make check suggests: the unit did not exist (yet, or any more) that day
        when = (f"chỉ có từ {units.REFORM_2025:%d/%m/%Y}" if res.unit.current
                else f"chỉ có đến hết {res.unit.until:%d/%m/%Y}")
        rec.warn(f"địa phương “{rec.locality}” là {reg.full_name(res.unit)}, đơn vị {when}, khác thời điểm "
                 f"đăng bài ({day:%d/%m/%Y}); hãy kiểm tra")
    return None


def clean(rec, locality=None):
    """Apply the shared rules to a parsed Record; every inferred value gets a warning."""
    if rec.failed or rec.skip or rec.redirect:
        return rec
    for name in PLAIN_FIELDS:
        value = getattr(rec, name)
        plain = plain_text(value)
        if value and plain != collapse_spaces(nfc(str(value))):
            rec.warn(f"{FIELD_LABELS[name]} có thẻ HTML hoặc ký tự điều khiển: đã bỏ, chỉ giữ chữ "
                     f"(“{plain or ''}”); hãy kiểm tra", review=True)
        setattr(rec, name, plain)
    rec.body = nfc(rec.body)
    if rec.title and not (rec.body or "").strip():
        # Kept (nothing of the old portal is lost) but never published empty: a draft to review.
        rec.warn("trang gốc không có nội dung (chỉ có tiêu đề): bài được giữ ở dạng nháp; viết hoặc chép "
                 "nội dung vào bài rồi bỏ dòng status: draft", review=True)
    rec.doc_numbers = [d.text for d in find_doc_numbers(f"{rec.title or ''}\n{rec.body}")]
    if not rec.title:
        rec.warn("không tìm thấy tiêu đề bài: chưa tạo tệp (cổng không tự đặt tiêu đề); "
                 "hãy tạo bài bằng tay với `make new`", review=True)
        return rec
    text = f"{rec.title}\n{rec.body}"
    if rec.kind == "trang":
        rec.slug = rec.slug or bounded_slug(rec.plone_path.rsplit("/", 1)[-1] if rec.plone_path else rec.title)
        if not rec.body:
            rec.warn("trang không có nội dung", review=True)
        return rec
    rec.slug = rec.slug or bounded_slug(rec.title)
    if not rec.slug:
        rec.warn("tiêu đề không có chữ cái hay chữ số nào để đặt tên tệp: chưa tạo tệp; hãy sửa tiêu đề",
                 review=True)
        rec.title = None
        return rec
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
    refs = list(dict.fromkeys(r.text for r in find_bare_references(rec.body)))
    if refs:
        rec.warn("văn bản được nhắc đến không có số ký hiệu đầy đủ: " + ", ".join(f"“{r}”" for r in refs)
                 + "; hãy bổ sung nếu biết")
    if not rec.summary:
        if rec.body:
            plain = re.sub(r"[\\*_#>`\[\]]|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)", "", rec.body.split("\n\n")[0])
            rec.summary = first_sentence(plain.replace("&lt;", "<")) or None
        if rec.summary:
            rec.warn("tóm tắt (summary) lấy từ câu đầu của bài; hãy viết lại cho gọn")
        elif rec.body:
            rec.summary = rec.title
            rec.warn("câu đầu của bài dài quá 300 ký tự nên không cắt làm tóm tắt (cổng không cắt giữa câu): "
                     "tạm dùng tiêu đề, hãy viết tóm tắt", review=True)
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
            rec.locality = None
    rec.locality_written = rec.locality
    if rec.locality:
        unresolved = resolve_locality(rec)
        if unresolved:
            rec.warn(f"{unresolved}: ghi tạm “{LOCALITY_PLACEHOLDER}”, không đoán; hãy sửa trường locality "
                     "(tên đơn vị lúc đăng bài, có thể thêm province)", review=True)
            rec.locality = LOCALITY_PLACEHOLDER
    else:
        rec.locality = LOCALITY_PLACEHOLDER
        rec.locality_problem = "không tìm thấy tên đơn vị hành chính nào trong bài"
        rec.warn(f"không xác định được địa phương: ghi tạm “{LOCALITY_PLACEHOLDER}”; hãy sửa "
                 "trường locality (hoặc chạy lại với --locality)", review=True)
    suggested = suggest_areas(text)
    if suggested:
        rec.areas = [code for code in AREAS if code in dict(suggested)]
        evidence = "; ".join(
            f"{AREAS[code]} (" + ", ".join(f"“{w}” ×{n}" for w, n in hits.items()) + ")" for code, hits in suggested)
        rec.warn(f"lĩnh vực (areas) được gợi ý theo từ khóa trong bài (tối đa {AREA_LIMIT}, từ khóa viết không "
                 f"dấu): {evidence}; hãy kiểm tra")
    else:
        rec.areas = [FALLBACK_AREA]
        rec.warn(f"không nhận ra lĩnh vực nào: ghi tạm “{AREAS[FALLBACK_AREA]}”; hãy sửa trường areas",
                 review=True)
    return reports.recognise(rec)
