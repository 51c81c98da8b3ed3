"""`cchc …` runs for the tests, each in a new process forked from one that imported the CLI once.

A test that runs `cchc check` wants what staff see: the exit code, stdout and stderr of a process
started in a folder with an environment. Starting Python and importing Pelican, Markdown and the
CLI costs more than most checks themselves (a fifth of a second, some two hundred runs a suite),
so a server process imports them once and forks a child for every run: the child takes the
run's folder, environment and arguments, writes to its own stdout/stderr files, exits with the
command's code and takes whatever the command changed in memory with it. Only what happens at
import time is shared; nothing in cchc.cli or cchc.core reads the environment then. One thing more
is loaded before the forks: the administrative-unit registry of the installed data
(``cchc.core.units``), which every check, build and import of a post with a locality needs and which
costs far more than an import (bench/README.md, Build); a run with ``CCHC_UNITS_DATA`` set loads its
own copy, as the registry is cached per data folder.
"""

import atexit
import json
import os
import subprocess
import sys
import threading
import traceback
from pathlib import Path

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
# What the commands import, loaded once in the server (an ImportError is left to the run).
# `cchc build` runs Pelican in a fork of the run (cchc.cli.build.run_pelican), so every package
# of plugins/ (Pelican's plugins among them) imported here is the one each build uses, as on disk.
PRELOAD = ("cchc.cli.cli", "cchc.cli.build", "cchc.cli.postlinks", "cchc.cli.notices", "cchc.cli.linkcheck",
           "cchc.cli.new", "cchc.cli.placeholders", "pelican", "pelican.settings", "pelican.readers",
           "markdown", "bs4", "lxml.html", "yaml",
           "cchc.core", "cchc.importer",
           *sorted(p.name for p in PLUGINS.iterdir() if (p / "__init__.py").is_file()))


def _child(request):
    """In the forked child: become the run (folder, environment, argv, output files) → exit code."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    for fd, path in ((1, request["out"]), (2, request["err"])):
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    from cchc.cli import cli

    # As `python -m cchc.cli.cli` in that folder: the folder first on sys.path, argv[0] the module.
    sys.path[:] = [request["cwd"]] + [p for p in sys.path if p not in ("", str(Path(__file__).parent))]
    sys.argv = [cli.__file__, *request["argv"]]
    try:
        code = cli.main(request["argv"])
    except SystemExit as exc:
        code = exc.code
    except BaseException:
        traceback.print_exc()
        code = 1
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    return code or 0


def _preload_units():
    """Load the registry of the installed units data (CCHC_UNITS_DATA unset, whatever this process
    was started with), so that every forked run shares it instead of reading it again."""
    from cchc.core import units

    override = os.environ.pop("CCHC_UNITS_DATA", None)
    try:
        units.registry()
    except units.UnitsUnavailable:
        pass  # left to the run, which reports it in Vietnamese
    finally:
        if override is not None:
            os.environ["CCHC_UNITS_DATA"] = override


def serve():
    """The server: one JSON request a line on stdin, one JSON answer (the exit status) on stdout."""
    for name in PRELOAD:
        try:
            __import__(name)
        except ImportError:
            pass
    _preload_units()
    answers = os.fdopen(os.dup(1), "w")
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(request)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        answers.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
        answers.flush()


class Runner:
    """The test side: starts the server on first use, one run at a time."""

    def __init__(self, tmp_dir):
        self.tmp_dir = Path(tmp_dir)
        self.lock = threading.Lock()
        self.proc = None
        self.count = 0

    def _start(self):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PLUGINS.parent / "src"), str(PLUGINS),
                                                           str(Path(__file__).parent)]))
        self.proc = subprocess.Popen([sys.executable, "-c", "import cchc_runner; cchc_runner.serve()"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)

    def run(self, args, cwd, env):
        """`cchc *args*` in *cwd* with exactly *env* → CompletedProcess (text output)."""
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            self.count += 1
            out, err = (self.tmp_dir / f"run{self.count}.{n}" for n in ("out", "err"))
            request = {"argv": list(args), "cwd": str(cwd), "env": env, "out": str(out), "err": str(err)}
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
            if not answer:
                raise RuntimeError("the cchc test runner died; run with CCHC_TEST_SUBPROCESS=1 to see why")
            code = json.loads(answer)["returncode"]
        # Decoded as subprocess.run(text=True) does: the locale's encoding, universal newlines.
        text = [_text(p.read_bytes()) for p in (out, err)]
        for p in (out, err):
            p.unlink()
        return subprocess.CompletedProcess(["cchc", *args], code, *text)

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait()
            self.proc.stdout.close()


def _text(data):
    import locale

    return data.decode(locale.getpreferredencoding(False)).replace("\r\n", "\n").replace("\r", "\n")
