"""Step 5: the JSON report (one object per item) and the Vietnamese terminal summary."""

import json
import os

from cchc.core import VN_TZ
from cchc.core.files import os_error_text, write_whole


def iso_date(value):
    """ISO 8601 with the offset it carries (+07:00 when it had none); None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value.isoformat()

def report_entry(rec):
    """One item of the JSON report."""
    warnings = list(rec.warnings)
    if rec.failed:
        warnings.insert(0, rec.failed)
    return {
        "source": rec.source,
        "type": rec.kind if rec.title and not (rec.skip or rec.redirect) else None,
        "output": rec.output,
        "title": rec.title,
        "date": iso_date(rec.date),
        "author": rec.author,
        "source_unit": rec.source_unit,
        "doc_numbers": rec.doc_numbers,
        **({"report": {"doc_number": rec.doc_number, "report_period": rec.report_period,
                       "issue_date": rec.issue_date.date().isoformat() if rec.issue_date else None,
                       "reporting_unit": rec.reporting_unit, "plans": rec.plans}} if rec.kind == "bao-cao" else {}),
        "old_paths": [rec.redirect[0]] if rec.redirect else rec.old_paths,
        "status": rec.outcome,
        "locality": locality_entry(rec),
        "warnings": [w[0].upper() + w[1:] if w else w for w in warnings],
    }


def locality_entry(rec):
    """The locality given or read in the page and the administrative unit it named on the page's
    date (name with its province, official code), or why it named none (the post then says
    “Chưa xác định”); None for a page or an item that is not a post."""
    if not rec.locality:
        return None
    unit = rec.locality_unit
    if unit is None:
        return {"written": rec.locality_written, "unit": None, "code": None, "problem": rec.locality_problem}
    from cchc.core import units

    return {"written": rec.locality_written, "unit": units.registry().full_name(unit), "code": unit.code,
            "problem": None}


STATUS_LABELS = {"imported": "đã chuyển", "needs_review": "cần xem lại", "skipped": "bỏ qua",
                 "failed": "lỗi"}


STATUS_HINTS = {"imported": "đọc cảnh báo (gợi ý địa phương, lĩnh vực, tóm tắt)",
                "needs_review": "sửa theo cảnh báo rồi bỏ dòng status: draft",
                "skipped": "không cần làm gì (đã có, hoặc không phải bài)",
                "failed": "sửa tệp nguồn theo lý do rồi chạy lại"}


def summary_table(records):
    """The final table: one row per status with its count and what to do."""
    counts = {k: 0 for k in STATUS_LABELS}
    for rec in records:
        counts[rec.outcome] = counts.get(rec.outcome, 0) + 1
    rows = [("Trạng thái", "Số mục", "Việc cần làm")]
    rows += [(STATUS_LABELS.get(k, str(k)), str(n), STATUS_HINTS.get(k, "")) for k, n in counts.items()]
    rows.append(("Tổng", str(len(records)), ""))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    line = "  +" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line]
    for i, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].ljust(widths[2])]
        out.append("  | " + " | ".join(cells) + " |")
        if i in (0, len(rows) - 2):
            out.append(line)
    out.append(line)
    return out


def summary_lines(records, dry_run=False, seconds=None):
    """The readable terminal summary, in Vietnamese: the items needing a look, then the table."""
    counts = {k: 0 for k in STATUS_LABELS}
    for rec in records:
        counts[rec.outcome] = counts.get(rec.outcome, 0) + 1
    out = []
    for rec in records:
        if rec.outcome in ("needs_review", "failed"):
            label = STATUS_LABELS[rec.outcome].upper()
            first = rec.failed or (rec.warnings[0] if rec.warnings else "")
            out.append(f"  [{label}] {rec.source}" + (f" → {rec.output}" if rec.output else "")
                       + (f": {first}" if first else ""))
    unresolved = [r for r in records if r.locality_problem and r.outcome in ("imported", "needs_review")]
    if unresolved:
        named = [f"“{r.locality_written}”" for r in unresolved if r.locality_written]
        out.append(f"  {len(unresolved)} bài chưa xác định được địa phương (đơn vị hành chính), ghi tạm "
                   f"“{unresolved[0].locality}”" + (": " + "; ".join(named[:5]) + (" …" if len(named) > 5 else "")
                                                   if named else "") + " (xem mục locality trong báo cáo)")
    took = f" trong {seconds:.1f} giây".replace(".", ",") if seconds is not None else ""
    out.append(("Chạy thử (không ghi tệp nào). " if dry_run else "")
               + f"Tổng {len(records)} mục{took}: "
               + ", ".join(f"{n} {STATUS_LABELS.get(k, k)}" for k, n in counts.items()))
    out += summary_table(records)
    return out


def report_text(records):
    return json.dumps([report_entry(r) for r in records], ensure_ascii=False, indent=2) + "\n"


def write_report(records, path):
    """The JSON report, replaced whole (it is ours to replace; posts never are)."""
    write_whole(path, report_text(records))


def save_report(records, path):
    """Write the report to *path*, or, when that fails (disk full, read-only or locked folder),
    to a new file in the system's temporary folder (often another disk) → (where it is, or None
    when it could be written nowhere, and the Vietnamese reason *path* failed, or None)."""
    import tempfile

    try:
        write_report(records, path)
        return path, None
    except OSError as exc:
        problem = os_error_text(exc)
    other = None
    try:
        fd, other = tempfile.mkstemp(prefix="cchc-import-report-", suffix=".json")
        os.close(fd)
        write_report(records, other)
        return other, problem
    except OSError:
        if other and os.path.exists(other):
            os.unlink(other)
        return None, problem
