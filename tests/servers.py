"""Real nginx and Apache on loopback, each from its own temporary configuration (no system service,
nothing installed; `.ci/run` installs Debian's nginx and apache2 when missing). Used by
tests/site/test_redirect_servers.py (the redirect maps) and tests/site/test_deploy_headers.py (the
deploy samples' headers).
"""

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import IN_CI

APACHE_MODULES = Path("/usr/lib/apache2/modules")


def binary(name):
    """The server's program, or skip (fail in CI, where it must be installed)."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not path:
        if IN_CI:
            pytest.fail(f"{name} is required in CI; .ci/run installs it")
        pytest.skip(f"{name} not installed")
    return path


def _start(argv_test, argv_run):
    test = subprocess.run(argv_test, capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    return subprocess.Popen(argv_run, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _stop(proc):
    proc.terminate()
    proc.wait(timeout=10)


@contextmanager
def nginx(prefix, http):
    """nginx running in the foreground with *http* (lines of its http block: includes, server
    blocks with their own ``listen 127.0.0.1:<port>``), its files under the folder *prefix*."""
    program = binary("nginx")
    temp = {k: prefix / k for k in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    conf = prefix / "nginx-test.conf"
    conf.write_text(f"""
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp['body']}; proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']}; uwsgi_temp_path {temp['uwsgi']}; scgi_temp_path {temp['scgi']};
{http}
}}
""")
    proc = _start([program, "-t", "-p", str(prefix), "-c", str(conf)], [program, "-p", str(prefix), "-c", str(conf)])
    try:
        yield
    finally:
        _stop(proc)


@contextmanager
def apache(root, port, modules):
    """Apache (apache2) serving the folder *root* on 127.0.0.1:*port* with its ``.htaccess`` files
    read (``AllowOverride All``), the modules *modules* loaded (``mpm_event``, ``rewrite``…). A
    failed assertion inside the block carries Apache's error log; after it, the log must not name
    ``.htaccess`` (the file parsed: no "Invalid command", no syntax error)."""
    program = binary("apache2")
    missing = [m for m in modules if not (APACHE_MODULES / f"mod_{m}.so").is_file()]
    if missing:
        pytest.fail(f"apache2 modules missing: {missing} (Debian package apache2)")
    run = Path(tempfile.mkdtemp(prefix="cchc-apache-"))
    os.chmod(run, 0o755)
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    loads = "\n".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in modules)
    if "mime" in modules:
        loads += "\nTypesConfig /etc/mime.types"
    conf = run / "httpd.conf"
    conf.write_text(f"""
ServerRoot {run}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {run}/httpd.pid
ErrorLog {run}/error.log
LogLevel warn
Mutex file:{run} default
DefaultRuntimeDir {run}
{user}{loads}
DocumentRoot {root}
<Directory {root}>
    AllowOverride All
    Require all granted
</Directory>
""")
    try:
        proc = _start([program, "-t", "-f", str(conf)], [program, "-f", str(conf), "-DFOREGROUND"])
        try:
            try:
                yield
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{(run / 'error.log').read_text(errors='replace')}") from None
            errors = (run / "error.log").read_text(errors="replace")
            assert ".htaccess" not in errors, errors
        finally:
            _stop(proc)
    finally:
        shutil.rmtree(run, ignore_errors=True)
