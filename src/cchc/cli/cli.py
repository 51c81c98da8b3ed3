"""`cchc`: the staff command line.

    cchc new tin "Tiêu đề"        write a ready-to-edit news item
    cchc new ke-hoach "Tiêu đề"   write a ready-to-edit plan summary
    cchc check [content/]          check every post, say what is wrong and where
    cchc build [--publish]         check, build into a fresh folder, swap it into output/
    cchc serve / devserver         preview on http://127.0.0.1:8000/
    cchc linkcheck [output/]       every internal link, image, feed and redirect target exists
"""

import argparse
import os
import sys
import time
from pathlib import Path

from cchc.core.files import write_whole
from cchc.core.schema import FIX_NFC_COMMAND, Problem, check_tree, content_files
from cchc.core.text import nfc

from .argparse_vi import Parser, integer, vietnamese


def _unique_sorted(items):
    """One message per problem, in file and line order (a rule may find the same thing twice)."""
    seen = {}
    for item in items:
        seen.setdefault(str(item), item)
    return sorted(seen.values(), key=lambda i: (i.path, i.line or 0))  # stable: same line keeps its order


def _print_problems(problems):
    for p in problems:
        print(f"LỖI {p}", file=sys.stderr, flush=True)


def _print_notices(notices, verbose=False):
    """Suggestions (GỢI Ý) never change the exit code: only LỖI lines do. One summary line
    unless *verbose* (`make check VERBOSE=1`)."""
    if verbose:
        for n in notices:
            print(f"GỢI Ý {n}", flush=True)
    if not notices:
        return
    topics = {}
    for n in notices:
        topics[n.topic] = topics.get(n.topic, 0) + 1
    what = "; ".join(f"{topic} ({count})" for topic, count in topics.items())
    files = len({n.path for n in notices})
    more = "" if verbose else "; xem từng gợi ý: make check VERBOSE=1"
    print(f"Có {len(notices)} gợi ý (không phải lỗi) trong {files} tệp: {what}{more}.", flush=True)


def _print_body_warnings(docs):
    """What will be published otherwise than written, not wrong: CẢNH BÁO. A document number
    normalised ("179/KH - UBND" → 179/KH-UBND); what the sanitiser drops that is not
    dangerous (unknown tags, attributes)."""
    for doc in docs:
        for w in doc.rewritten:
            print(f"CẢNH BÁO {w}", flush=True)
        for f in doc.body_findings:
            if not f.error:
                print(f"CẢNH BÁO {doc.path}:{f.line}: {f.message}", flush=True)


def cmd_check(args):
    from .notices import content_notices

    unwritten = []  # posts fix-nfc could not rewrite: said as problems, the others are still fixed
    if args.fix_nfc:
        from cchc.core.files import os_error_text

        for path in content_files(args.content):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # not UTF-8: the check below says so
            fixed = nfc(text)
            if fixed == text:
                continue
            try:
                write_whole(path, fixed)  # a post is never left half-written
            except OSError as exc:  # locked (chattr +i), read-only, disk full…
                unwritten.append(Problem(str(path), None, None, (
                    f"`{FIX_NFC_COMMAND}` không chuyển được tệp này sang Unicode dựng sẵn (NFC) vì không ghi "
                    f"được nó: {os_error_text(exc)}")))
                continue
            print(f"Đã chuyển {path} sang Unicode dựng sẵn (NFC).")
    docs, problems = check_tree(args.content)
    from cchc.core.indexresults import read_all as read_index_results

    problems += read_index_results(args.content)[1]  # content/chi-so/: PAR Index and SIPAS values
    problems += unwritten
    from cchc.core.sitepaths import old_path_problems, page_slug_problems

    from .postlinks import post_link_problems, settings_for_check

    settings = settings_for_check(getattr(args, "settings", None) or "pelicanconf.py")
    link_problems, link_notices = post_link_problems(docs, args.content, settings)
    pages = [(d.path, d.meta.get("slug"), d.lines.get("slug")) for d in docs if d.meta.get("type") == "trang"]
    problems = _unique_sorted(problems + link_problems + old_path_problems(docs, settings)
                              + page_slug_problems(pages, settings))
    _print_problems(problems)
    _print_body_warnings(docs)
    _print_notices(_unique_sorted(content_notices(docs) + link_notices), getattr(args, "verbose", False))
    if problems:
        files = len({p.path for p in problems})
        print(f"Có {len(problems)} lỗi trong {files} tệp. Sửa các lỗi trên rồi chạy lại `make check`.",
              file=sys.stderr)
        return 1
    print(f"Đã kiểm tra {len(docs)} tệp trong {args.content}/: không có lỗi.")
    return 0


def cmd_new(args):
    from .new import FOLDERS, RECORD_EXAMPLE, NotANumber, TargetExists, new_post

    if args.type not in FOLDERS:
        print(f"LỖI loại bài “{args.type}” không có: dùng TYPE=tin (hoặc tin-tuc) cho tin tức, "
              "TYPE=ke-hoach cho tóm tắt kế hoạch, TYPE=bao-cao cho báo cáo kết quả, "
              f"TYPE=van-ban cho văn bản ({RECORD_EXAMPLE}), "
              "ví dụ: make new TYPE=tin TITLE=\"Tiêu đề bài\"",
              file=sys.stderr)
        return 2
    if not args.title.strip():
        print("LỖI cần tiêu đề bài, ví dụ: make new TYPE=tin TITLE=\"Tiêu đề bài\"", file=sys.stderr)
        return 2
    try:
        path = new_post(args.type, args.title, args.content)
    except (TargetExists, NotANumber) as exc:
        print(f"LỖI {exc}", file=sys.stderr)
        return 1
    if args.type == "van-ban" and 'doc_type: ""' in path.read_text(encoding="utf-8"):
        print(f"Đã tạo {path}. Ký hiệu không cho biết loại văn bản: điền trường doc_type, các thông tin "
              "đã đối chiếu, rồi chạy `make check`.")
        return 0
    print(f"Đã tạo {path}. Mở tệp, điền các trường rồi chạy `make check`.")
    return 0


def cmd_new_id(args):
    """A fresh id for a copied post: the `id:` line is rewritten, nothing else changes."""
    import re
    import uuid

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        print(f"LỖI không mở được tệp {path}; ghi đường dẫn tệp bài, ví dụ: "
              "make new-id FILE=content/tin-tuc/ten-bai.md", file=sys.stderr)
        return 2
    fresh = uuid.uuid4()
    line = re.compile(r"^id:[ \t]*\S.*$", re.MULTILINE)
    if not line.search(text.split("\n---", 1)[0]):
        print(f"LỖI {path} chưa có dòng id: trong phần khai báo; thêm dòng “id: {fresh}” sau dòng type:",
              file=sys.stderr)
        return 1
    write_whole(path, line.sub(f"id: {fresh}", text, count=1))
    print(f"Đã đặt mã định danh mới cho {path}: {fresh}")
    return 0


def cmd_build(args):
    from .build import BuildCancelled, BuildFailed, BuildInterrupted, build

    settings = args.settings or ("publishconf.py" if args.publish else "pelicanconf.py")

    def check_posts():
        # The same check as `make check`, while Pelican builds (on the other core); on an
        # error the build is dropped and only these messages are shown.
        posts_ok = cmd_check(argparse.Namespace(content=args.content, fix_nfc=False,
                                                  verbose=args.verbose, settings=settings)) == 0
        # Every post is validated now: the Documents are kept for the next build while Pelican
        # still works (not after it, when the build would wait for the write).
        schema.save_documents(documents)
        return _placeholders_ok(settings, args.allow_example) and posts_ok

    checks = []
    if args.linkcheck:
        from .linkcheck import siteurl_from_settings

        siteurl = siteurl_from_settings(settings)
        # What each page links to is kept by its bytes' digest beside the content cache: the next
        # publish parses only the pages that changed (every link is still resolved anew).
        links_cache = Path(settings).resolve().parent / ".cache" / "links"
        checks.append(lambda tree: _report_links(tree, siteurl, args.linkcheck_ignore, args.content, links_cache,
                                                 Path(args.output).resolve()))
    name = Path(args.output).name
    from cchc.core import schema

    # Each post validated once: the posts Pelican's reader will read (all of them in a cold build,
    # those modified since the last build with these settings in a warm one: the content cache
    # has the rest) are read here, before Pelican is forked; the reader in the fork and the check
    # beside the build find each Document kept (cchc.core.schema.keep_documents), and the check
    # alone reads the others. A post the cache turns out not to hold is only validated twice.
    stamp = Path(settings).resolve().parent / ".cache" / f"last-build-{Path(settings).stem}"
    started = time.time_ns()
    try:
        since = int(stamp.read_text(encoding="ascii"))
    except (OSError, ValueError):
        since = None
    from cchc.core.sitepaths import RECORDS_DIR

    from .postlinks import settings_for_check

    try:
        records = (settings_for_check(settings).get("CCHC_DOCUMENTS") or {}).get("RECORDS_PATH", RECORDS_DIR)
    except Exception:  # a settings file that does not load: the build says so in its own words below
        records = RECORDS_DIR
    # And the Documents of the last build are taken by the digest of their text (a rebuild
    # validates only the posts whose bytes changed; cchc.core.schema.store_key says when not).
    documents = stamp.parent / "documents.pickle"
    schema.keep_documents(documents)
    from cchc.core import units

    units.keep_registry(stamp.parent / "units.pickle")  # the fork inherits it
    schema.read_all(args.content, changed_since=since, every_time=(records,))  # records: cchc_documents
    try:
        # This process runs one build: Pelican can be a fork of it (run_pelican).
        out = build(args.content, settings, args.output, checks=checks, meanwhile=check_posts, fork=True)
    except BuildCancelled:
        print("Chưa xây dựng trang vì còn lỗi; thư mục output/ cũ được giữ nguyên.", file=sys.stderr)
        return 1
    except BuildFailed as exc:
        print(f"LỖI {exc}", file=sys.stderr)
        return 1
    except BuildInterrupted as exc:
        if exc.swapped:
            print(f"Đã dừng (Ctrl+C) sau khi bản mới đã được đặt vào {name}/: trang đã xây dựng xong.",
                  file=sys.stderr)
        else:
            print(f"Đã dừng xây dựng (Ctrl+C): thư mục {name}/ cũ được giữ nguyên, bản dở dang đã được xóa.",
                  file=sys.stderr)
        return 130
    except OSError as exc:  # the folder of output/ cannot be written: read-only, full, not ours
        from .build import WRITE_ERRNOS

        if args.traceback or exc.errno not in WRITE_ERRNOS:
            raise  # main() says what else went wrong (a settings file missing…)
        from cchc.core.files import os_error_text

        where = exc.filename2 or exc.filename
        where = f" {os.path.relpath(os.fsdecode(where))}" if where else ""
        print(f"LỖI không xây dựng được trang: không ghi được{where}: {os_error_text(exc)}; thư mục {name}/ cũ "
              "được giữ nguyên.", file=sys.stderr)
        return 1
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        write_whole(stamp, str(started))
    except OSError:
        pass  # a read-only checkout: the next build validates before the fork what the reader reads
    print(f"Đã xây dựng trang vào {out}.")
    return 0


def _placeholders_ok(settings, allow_example):
    """A production build stops on sample SITEURL / ORGANISATION values unless allowed."""
    if allow_example:
        return True
    from pelican.settings import read_settings

    from .placeholders import publish_problems

    problems = publish_problems(read_settings(str(settings)))
    for p in problems:
        print(f"LỖI {settings}: {p}", file=sys.stderr)
    if problems:
        print("Bản chính thức chưa được xây dựng. Chỉ để thử hoặc trình diễn: "
              "make publish ALLOW_EXAMPLE=1 SITEURL=https://…", file=sys.stderr)
    return not problems


def _report_links(tree, siteurl, ignore=(), content=None, cache=None, live=None):
    """Print the broken links of a built tree; those written in a post name its .md file and line.
    *cache*: see linkcheck.check_tree; *live*: the output folder *tree* replaces (the files
    linked from there are not read: cchc.core.outputtree)."""
    from cchc.core import outputtree

    from .linkcheck import check_tree
    from .postlinks import source_lines

    known = None
    if cache and live is not None and os.path.isdir(live):
        known = outputtree.PreviousTree(live, tree).known_digest
    broken = check_tree(tree, siteurl, ignore or (), cache, known)
    from_posts = source_lines(broken, content, siteurl) if content and broken else {}
    shown = set()
    for b in broken:
        where = from_posts.get(b)
        if where is None:
            print(f"LỖI liên kết hỏng trong {b}", file=sys.stderr)
        elif where not in shown:
            shown.add(where)
            path, line, written, outputs = where
            print(f"LỖI {path}:{line}: liên kết “{written}” hỏng ({b.reason}; thấy trong {outputs}); sửa liên "
                  "kết trong bài rồi chạy `make check`", file=sys.stderr)
    return broken


def cmd_linkcheck(args):
    from .linkcheck import siteurl_from_output, siteurl_from_settings

    if args.siteurl is not None:
        siteurl = args.siteurl
    elif args.settings:
        siteurl = siteurl_from_settings(args.settings)
    else:
        siteurl = siteurl_from_output(args.output)
    content = args.content if Path(args.content).is_dir() else None  # to name the posts' lines
    broken = _report_links(args.output, siteurl, args.ignore, content)
    where = f" (SITEURL {siteurl})" if siteurl else ""
    if broken:
        print(f"Có {len(broken)} liên kết hỏng trong {args.output}/{where}.", file=sys.stderr)
        return 1
    print(f"Mọi liên kết nội bộ trong {args.output}/{where} đều tới đúng tệp: 0 liên kết hỏng.")
    return 0


def _serving(target, port, run):
    """Run a preview server; a port that is taken or not allowed is one Vietnamese line, not a traceback."""
    import errno

    try:
        return run()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            from .serve import free_port_after

            free = free_port_after(port)
            print(f"LỖI cổng {port} đang được một chương trình khác dùng (có thể là một lệnh make serve "
                  f"hoặc make devserver khác đang chạy): dừng chương trình đó bằng Ctrl+C, hoặc dùng cổng "
                  f"khác: make {target} PORT={free}", file=sys.stderr)
            return 1
        if exc.errno == errno.EACCES:
            print(f"LỖI không được phép dùng cổng {port} (cổng dưới 1024 cần quyền quản trị): "
                  f"make {target} PORT=8000", file=sys.stderr)
            return 1
        raise


def cmd_serve(args):
    from .serve import serve

    return _serving("serve", args.port, lambda: serve(args.output, args.port, reload=False))


def cmd_devserver(args):
    from .serve import serve

    return _serving("devserver", args.port,
                    lambda: serve(args.output, args.port, reload=True, content=args.content,
                                  debug=args.debug))


def cmd_regenerate(args):
    from .serve import serve

    return serve(args.output, None, reload=True, content=args.content, debug=args.debug)


def cmd_studio(args):
    from cchc.studio.studio import run

    return _serving("studio", args.port, lambda: run(args.content, args.output, args.port,
                                                     args.backend_port, args.debug, args.review))


def cmd_import(args):
    from cchc.importer import main as import_main

    return import_main(args)


def _folders(p):
    """--content and --output, as every building or serving command takes them."""
    p.add_argument("--content", default="content", metavar="THƯ_MỤC", help="thư mục bài (mặc định: content)")
    p.add_argument("--output", default="output", metavar="THƯ_MỤC", help="thư mục trang (mặc định: output)")


def parser():
    ap = Parser(prog="cchc", description="Công cụ cho người viết bài cổng CCHC. Thường dùng qua make "
                "(make new, make check, make html…); xem: make help.")
    ap.add_argument("--debug", dest="traceback", action="store_true",
                    help="khi có lỗi không mong đợi, in cả chi tiết kỹ thuật (traceback)")
    sub = ap.add_subparsers(dest="command", required=True, title="lệnh", metavar="LỆNH")

    p = sub.add_parser("new", help="tạo bài mới từ mẫu (không ghi đè)",
                       description="Tạo bài mới từ mẫu trong content/; không bao giờ ghi đè tệp đã có.")
    p.add_argument("type", metavar="LOẠI",
                   help="tin (hoặc tin-tuc) = tin tức; ke-hoach = tóm tắt kế hoạch; bao-cao = báo cáo kết quả; "
                        "van-ban = văn bản (Nghị định, Thông tư…)")
    p.add_argument("title", metavar="TIÊU_ĐỀ", help="tiêu đề bài (đặt trong ngoặc kép); với van-ban: số ký hiệu")
    p.add_argument("--content", default="content", metavar="THƯ_MỤC", help="thư mục bài (mặc định: content)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("new-id", help="đặt mã định danh (id) mới cho một bài chép từ bài khác",
                       description="Đặt mã định danh (id) mới cho một bài chép từ bài khác; chỉ dòng id: "
                                   "được thay.")
    p.add_argument("file", metavar="TỆP", help="tệp bài, ví dụ content/tin-tuc/ten-bai.md")
    p.set_defaults(func=cmd_new_id)

    p = sub.add_parser("check", help="kiểm tra mọi bài, không xây dựng trang",
                       description="Kiểm tra mọi bài; mỗi lỗi nêu tệp, dòng, trường và cách sửa.")
    p.add_argument("content", nargs="?", default="content", metavar="THƯ_MỤC",
                   help="thư mục bài (mặc định: content)")
    p.add_argument("--fix-nfc", action="store_true", help="chuyển chữ sang Unicode dựng sẵn (NFC)")
    p.add_argument("--verbose", action="store_true", help="in từng gợi ý (mặc định: một dòng tóm tắt)")
    p.add_argument("--settings", default="pelicanconf.py", metavar="TỆP",
                   help="tệp cấu hình cho địa chỉ các trang khi kiểm tra liên kết (mặc định: pelicanconf.py)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="kiểm tra rồi xây dựng trang vào output/",
                       description="Kiểm tra mọi bài rồi xây dựng trang vào một thư mục mới; chỉ khi "
                                   "thành công mới thay thư mục output/.")
    _folders(p)
    p.add_argument("--settings", default=None, metavar="TỆP",
                   help="tệp cấu hình Pelican (mặc định: pelicanconf.py)")
    p.add_argument("--publish", action="store_true", help="dùng publishconf.py (bản chính thức)")
    p.add_argument("--linkcheck", action="store_true",
                   help="kiểm tra liên kết của bản mới trước khi thay output/")
    p.add_argument("--linkcheck-ignore", action="append", default=[], metavar="BIỂU_THỨC",
                   help="bỏ qua liên kết khớp biểu thức chính quy này (có thể lặp lại)")
    p.add_argument("--verbose", action="store_true", help="in từng gợi ý (mặc định: một dòng tóm tắt)")
    p.add_argument("--allow-example", action="store_true",
                   help="vẫn xây dựng bản chính thức khi SITEURL hoặc ORGANISATION còn giá trị mẫu "
                        "(chỉ để thử, trình diễn)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("linkcheck", help="kiểm tra mọi liên kết nội bộ trong output/",
                       description="Kiểm tra mọi liên kết, ảnh, nguồn tin và chuyển hướng nội bộ của "
                                   "trang đã xây dựng.")
    p.add_argument("output", nargs="?", default="output", metavar="THƯ_MỤC",
                   help="thư mục trang (mặc định: output)")
    p.add_argument("--settings", default=None, metavar="TỆP", help="lấy SITEURL từ tệp cấu hình này")
    p.add_argument("--siteurl", default=None, metavar="ĐỊA_CHỈ",
                   help="địa chỉ trang, ví dụ https://example.gov.vn/cchc (mặc định: lấy từ "
                        "liên kết canonical của trang chủ đã xây dựng)")
    p.add_argument("--ignore", action="append", default=[], metavar="BIỂU_THỨC",
                   help="bỏ qua liên kết khớp biểu thức này (có thể lặp lại)")
    p.add_argument("--content", default="content", metavar="THƯ_MỤC",
                   help="thư mục bài, để lỗi nêu tệp và dòng của bài có liên kết hỏng (mặc định: content)")
    p.set_defaults(func=cmd_linkcheck)

    for name, func, help_text in (("serve", cmd_serve, "xem trước output/"),
                                  ("devserver", cmd_devserver, "xem trước, tự xây dựng lại khi sửa")):
        p = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] +
                           " tại http://127.0.0.1:CỔNG/.")
        _folders(p)
        p.add_argument("--port", type=integer, default=8000, metavar="CỔNG", help="cổng (mặc định: 8000)")
        p.add_argument("--debug", action="store_true", help="in cả nhật ký của Pelican khi xây dựng lại")
        p.set_defaults(func=func)

    p = sub.add_parser("regenerate", help="tự xây dựng lại khi sửa, không mở máy chủ (chạy make serve bên cạnh)",
                       description="Tự xây dựng lại output/ mỗi khi sửa bài, giao diện hay plugin; không mở "
                                   "máy chủ (chạy make serve bên cạnh).")
    _folders(p)
    p.add_argument("--debug", action="store_true", help="in cả nhật ký của Pelican khi xây dựng lại")
    p.set_defaults(func=cmd_regenerate)

    p = sub.add_parser("studio", help="trình soạn bài trên trình duyệt (/admin/) kèm bản xem trước tự tải lại")
    _folders(p)
    p.add_argument("--port", type=integer, default=8000, metavar="CỔNG",
                   help="cổng của bản xem trước và trình soạn bài")
    p.add_argument("--backend-port", type=integer, default=8081, metavar="CỔNG",
                   help="cổng của trình soạn bài (/admin/ và bộ ghi bài vào content/)")
    p.add_argument("--review", action="store_true",
                   help="duyệt bài trước khi đăng: mỗi bài lưu là một nhánh git cms/…, Nháp → Chờ duyệt → "
                        "Sẵn sàng → Công bố (gộp vào nhánh hiện tại); cần kho git không có thay đổi chưa commit")
    p.add_argument("--debug", action="store_true", help="in cả nhật ký của Pelican và decap-server")
    p.set_defaults(func=cmd_studio)

    p = sub.add_parser("import", help="chuyển bài từ cổng cũ (Plone, trang đã lưu)",
                       description="Chuyển bài từ cổng cũ (bản xuất Plone, trang đã lưu) thành bài Markdown; "
                                   "không bao giờ ghi đè tệp đã có.")
    p.add_argument("sources", nargs="+", metavar="NGUỒN", help="tệp hoặc thư mục cần chuyển")
    p.add_argument("--into", default="content", metavar="THƯ_MỤC", help="thư mục bài (mặc định: content)")
    p.add_argument("--report", default=None, metavar="TỆP", help="ghi báo cáo JSON vào tệp này")
    p.add_argument("--dry-run", action="store_true", help="chạy thử: chỉ ghi báo cáo, không ghi bài")
    p.add_argument("--locality", default=None, metavar="ĐỊA_PHƯƠNG", help="địa phương ghi vào mọi bài được chuyển")
    p.add_argument("--debug", action="store_true", help="in chi tiết lỗi kỹ thuật (traceback) khi một mục bị lỗi")
    p.set_defaults(func=cmd_import)
    return ap


def main(argv=None):
    with vietnamese():
        args, extra = parser().parse_known_args(argv)
        if extra:  # named on the subcommand, whose --help lists what it takes
            Parser(prog=f"cchc {args.command}").error(f"không hiểu: {' '.join(extra)}")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a locked post, a full disk…: what it means, not the C library's English
        if args.traceback or getattr(args, "debug", False):
            raise
        from cchc.core.files import os_error_text

        name = exc.filename2 or exc.filename
        where = f" {os.path.relpath(name) if os.path.isabs(str(name)) else name}" if name else ""
        print(f"LỖI khi chạy “cchc {args.command}”: không ghi hay đọc được{where}: {os_error_text(exc)}.",
              file=sys.stderr)
        return 1
    except Exception as exc:
        if args.traceback or getattr(args, "debug", False):
            raise
        print(f"LỖI không mong đợi khi chạy “cchc {args.command}”: {exc.__class__.__name__}: {exc}. "
              f"Chạy lại với --debug (cchc --debug {args.command} …) để xem chi tiết kỹ thuật, rồi "
              "gửi cho người quản trị.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
