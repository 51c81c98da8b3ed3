"""The whole import as one call (`run`) and the `cchc import` entry point (`main`).

One bad item never stops the batch: any error while reading, cleaning or writing one item
makes that item `failed` (with the reason in Vietnamese) and the import goes on. The report
is written whatever happens, also when the user presses Ctrl-C (with what was done so far).
"""

import sys
import time
import traceback
from pathlib import Path

from .clean import clean
from .link import link
from .record import Record
from .report import report_text, save_report, summary_lines
from .reports import resolve_plans
from .sources import iter_sources, parse_file
from .write import assign_slugs, existing_content, target_path, write

INTERRUPTED = "chưa xử lý: lệnh bị dừng (Ctrl-C) trước khi tới mục này; chạy lại để chuyển tiếp"


def _unexpected(exc, step):
    """Vietnamese reason for an error nobody foresaw (the traceback only with --debug)."""
    return (f"lỗi không lường trước khi {step} ({type(exc).__name__}: {exc}); mục này được bỏ qua, "
            "các mục khác vẫn được chuyển. Hãy gửi tệp này cho nhóm kỹ thuật")


def _guard(rec, step, func, debug=False):
    try:
        func()
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # one bad item never stops the batch
        if debug:
            traceback.print_exc()
        rec.failed = rec.failed or _unexpected(exc, step)
        rec.outcome = "failed"


def run(sources, into="content", dry_run=False, locality=None, progress=None, records=None,
        debug=False):
    """The whole import → list of Records (nothing written when *dry_run*).

    *records* (a list) is filled as the import goes, so a caller still has what was done when
    the run is interrupted. *progress(step, items)* wraps an iterable to show progress.
    """
    records = [] if records is None else records
    show = progress or (lambda _step, items: items)
    missing = [s for s in sources if not Path(s).exists()]
    found = list(iter_sources([s for s in sources if Path(s).exists()]))
    records.extend(Record(source=str(s), failed="không tìm thấy tệp hay thư mục này") for s in missing)
    records.extend(r for r in found if isinstance(r, Record))  # links and special files: not read
    files = [p for p in found if not isinstance(p, Record)]
    named = {str(Path(s)) for s in sources}  # named on the command line: taken as named
    pending = {str(p) for p in files}
    try:
        for path in show("Đang đọc", files):
            found = []
            holder = Record(source=str(path))

            def read(path=path, found=found):
                found.extend(parse_file(path, follow_links=str(path) in named))

            _guard(holder, "đọc tệp", read, debug)
            found = found if not holder.failed else [holder]
            for rec in found:
                _guard(rec, "làm sạch nội dung", lambda rec=rec: clean(rec, locality=locality), debug)
            records.extend(found)
            pending.discard(str(path))
        existing = existing_content(into)
        resolve_plans(records, existing)
        assign_slugs(records)
        try:
            site = _site(records, existing, into)
        except Exception:
            if debug:
                traceback.print_exc()
            site = None
        try:
            link(records, existing, site, into)
        except Exception as exc:  # links are a convenience: the posts are still written
            if debug:
                traceback.print_exc()
            for rec in records:
                if not (rec.failed or rec.skip):
                    rec.warn("chưa nối được liên kết resolveuid và chuyển hướng giữa các bài ("
                             f"{type(exc).__name__}); hãy kiểm tra liên kết trong bài", review=True)
        taken = dict(existing["slugs"])
        # Posts first: a redirects.json entry is reported by what happened to the post it joins.
        for rec in show("Đang ghi", sorted((r for r in records if r.outcome is None), key=lambda r: bool(r.redirect))):
            _guard(rec, "ghi bài", lambda rec=rec: write(rec, into, dry_run=dry_run, taken=taken), debug)
    except KeyboardInterrupt:
        for rec in records:
            if rec.outcome is None:
                rec.failed, rec.outcome, rec.output = INTERRUPTED, "failed", None
        records.extend(Record(source=p, failed=INTERRUPTED, outcome="failed") for p in sorted(pending))
        raise
    return records


def _site(records, existing, into):
    """The addresses of the site the posts go to (cchc.core.sitepaths), from the project's
    settings (pelicanconf.py here, if any), the posts already in *into* and this batch's."""
    from cchc.core.schema import TYPES
    from cchc.core.sitepaths import post_url, project_settings, site_paths

    try:
        settings = project_settings()
    except Exception:
        settings = {}
    posts = [(post_url(meta, settings), path) for meta, path in existing["posts"] if meta["type"] in TYPES]
    posts += [(post_url({"type": r.kind, "slug": r.slug}, settings), str(target_path(r, into))) for r in records
              if r.title and r.slug and not (r.failed or r.skip or r.redirect)]
    return site_paths(settings, posts)


def _progress_bar():
    """A rich progress bar on the terminal (none when output goes to a file or a pipe)."""
    if not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)

    def progress(step, items):
        items = list(items)
        task = bar.add_task(step, total=len(items))
        for item in items:
            yield item
            bar.advance(task)

    return bar, progress


def main(args):
    """Entry point of `cchc import` (arguments parsed by cchc.cli.cli)."""
    bar, progress = _progress_bar()
    records, interrupted, started = [], False, time.monotonic()
    try:
        if bar:
            bar.start()
        run(args.sources, into=args.into, dry_run=args.dry_run, locality=getattr(args, "locality", None),
            progress=progress, records=records, debug=getattr(args, "debug", False))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if bar:
            bar.stop()
    where = None
    if args.report:  # always: also after Ctrl-C, with what was done
        while True:
            try:
                where, problem = save_report(records, args.report)
                break
            except KeyboardInterrupt:  # a second Ctrl-C: the report is still written (once)
                interrupted = True
        if problem:
            print(f"LỖI không ghi được báo cáo vào {args.report}: {problem}.", file=sys.stderr)
            if where:
                print(f"Báo cáo được ghi vào chỗ khác: {where}", file=sys.stderr)
            else:
                print("Không ghi được báo cáo vào đâu cả; nội dung báo cáo (JSON) in ngay dưới đây:",
                      file=sys.stderr)
                sys.stdout.write(report_text(records))
    for line in summary_lines(records, dry_run=args.dry_run, seconds=time.monotonic() - started):
        print(line)
    if where:
        print(f"Báo cáo chi tiết: {where}")
    if interrupted:
        written = 0 if args.dry_run else sum(1 for r in records if r.output and r.outcome in ("imported",
                                                                                           "needs_review"))
        left = sum(1 for r in records if r.failed == INTERRUPTED)
        report = f"báo cáo ở {where}" if where else "không có báo cáo (thêm --report TỆP để có)"
        print(f"DỪNG theo yêu cầu (Ctrl-C): đã ghi {written} bài trước khi dừng (giữ nguyên, không có tệp "
              f"dở dang), {left} mục chưa xử lý; {report}. Chạy lại lệnh để chuyển tiếp (bài đã có sẽ được "
              "bỏ qua).", file=sys.stderr)
        return 130
    failed = sum(1 for r in records if r.outcome == "failed")
    if failed:
        print(f"LỖI {failed} mục không chuyển được; xem báo cáo.", file=sys.stderr)
    return 1 if failed or (args.report and where != args.report) else 0
