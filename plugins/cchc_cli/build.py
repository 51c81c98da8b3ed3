"""Build the site into a fresh directory and swap it into place only on success.

A failed build (bad post, template error) leaves the previous ``output/`` untouched,
so `make html` and `make publish` never leave a half-written site behind.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


class BuildFailed(RuntimeError):
    """Pelican exited non-zero; the old output was kept."""


def run_pelican(content, settings, output, extra_args=()):
    """Run Pelican in a child process (fresh plugin imports, fatal on errors)."""
    cmd = [
        sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output),
        "--fatal", "errors", "--ignore-cache", *extra_args,
    ]
    env = dict(os.environ)
    # Plugins import cchc_core; make sure it resolves even without an editable install.
    plugins = str(Path("plugins").resolve())
    env["PYTHONPATH"] = plugins + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("COLUMNS", "120")
    return subprocess.run(cmd, env=env, check=False).returncode


def build(content="content", settings="pelicanconf.py", output="output", extra_args=()):
    """Build into a temporary sibling of *output*, then replace *output* with it."""
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        code = run_pelican(content, settings, tmp, extra_args)
        if code != 0:
            raise BuildFailed(
                f"Xây dựng trang thất bại (mã lỗi {code}); thư mục {output.name}/ của lần "
                "xây dựng trước được giữ nguyên."
            )
        old = output.with_name(f".{output.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if output.exists():
            output.rename(old)
        tmp.rename(output)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return output
