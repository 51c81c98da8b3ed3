"""The whole import as one call (`run`) and the `cchc import` entry point (`main`)."""

import sys
from pathlib import Path

from .clean import clean
from .link import link
from .record import Record
from .report import summary_lines, write_report
from .sources import iter_sources, parse_file
from .write import existing_content, write


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
        write_report(records, args.report)
    for line in summary_lines(records, dry_run=args.dry_run):
        print(line)
    if args.report:
        print(f"Báo cáo chi tiết: {args.report}")
    failed = sum(1 for r in records if r.outcome == "failed")
    if failed:
        print(f"LỖI {failed} mục không chuyển được; xem báo cáo.", file=sys.stderr)
        return 1
    return 0
