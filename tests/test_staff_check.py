"""Issue 13: `make check` catches what `make publish` would, on the right line, in plain Vietnamese, once.

Rule tables: each case is a content fixture with the exact message, line and exit code staff see.
"""

import subprocess

import pytest

from conftest import ROOT, build, make_project, publish_build, run_cchc

REAL_SITEURL = "https://cchc.tayho.gov.vn"
REAL_ORGANISATION = '''
ORGANISATION = {
    "is_example": False,
    "name": "Ủy ban nhân dân quận Tây Hồ",
    "managing_unit": "Phòng Nội vụ quận Tây Hồ",
    "address": "657 Lạc Long Quân, phường Phú Thượng",
    "phone": "",
    "email": "noivu@tayho.gov.vn",
}
'''
ONE_POST = """---
type: tin-tuc
id: 3f1c2b1e-0000-4000-8000-0000000000aa
title: "Một tin"
date: 25/11/2021 08:30
locality: Quận Tây Hồ
summary: "Tóm tắt."
areas: [the-che]
---

Nội dung.
"""


def snapshot(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def errors(proc):
    return [l for l in proc.stderr.splitlines() if l.startswith("LỖI ")]


# --- 9. publishing placeholders --------------------------------------------------------------

@pytest.fixture(scope="module")
def small_project(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("placeholders"), makefile=True)
    (proj / "content" / "tin-tuc").mkdir(parents=True)
    (proj / "content" / "tin-tuc" / "mot-tin.md").write_text(ONE_POST, encoding="utf-8")
    assert build(proj).returncode == 0
    return proj


SAMPLE_URL = ("LỖI publishconf.py: SITEURL đang là địa chỉ mẫu “https://cchc.example.gov.vn” (chưa đặt địa "
              "chỉ thật); chạy lại với địa chỉ thật của cổng: make publish SITEURL=https://địa-chỉ-của-cổng.gov.vn")
SAMPLE_ORG = ("LỖI publishconf.py: ORGANISATION trong pelicanconf.py vẫn là thông tin mẫu (còn giá trị mẫu ở: "
              "name, name_en, managing_unit, managing_unit_en, address, address_en, email); điền tên cơ quan, "
              "địa chỉ, thư điện tử… thật rồi đặt \"is_example\": False, nếu không mọi trang sẽ hiện dòng "
              "“Thông tin mẫu”")


@pytest.mark.parametrize("siteurl, expected", [
    (None, [SAMPLE_URL, SAMPLE_ORG]),                      # publishconf.py's own sample address
    ("", [SAMPLE_URL.replace("SITEURL đang là địa chỉ mẫu “https://cchc.example.gov.vn” (chưa đặt địa chỉ thật)",
                             "chưa đặt SITEURL (địa chỉ công khai của cổng)"), SAMPLE_ORG]),
    ("cchc.tayho.gov.vn", [SAMPLE_URL.replace("đang là địa chỉ mẫu “https://cchc.example.gov.vn” (chưa đặt địa chỉ thật)",
                                              "“cchc.tayho.gov.vn” phải là địa chỉ đầy đủ bắt đầu bằng https://"),
                           SAMPLE_ORG]),
    (REAL_SITEURL, [SAMPLE_ORG]),
], ids=["no-siteurl", "empty-siteurl", "no-scheme", "sample-organisation"])
def test_publish_stops_on_placeholders_and_keeps_output(small_project, monkeypatch, siteurl, expected):
    proj = small_project
    before = snapshot(proj / "output")
    if siteurl is None:
        monkeypatch.delenv("SITEURL", raising=False)
        proc = build(proj, "--settings", "publishconf.py", allow_example=False)
    else:
        proc = publish_build(proj, siteurl, allow_example=False)
    assert proc.returncode == 1
    assert errors(proc) == expected, proc.stderr
    assert "make publish ALLOW_EXAMPLE=1 SITEURL=https://…" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(proj / "output") == before


def test_make_publish_passes_allow_example_only_when_asked(small_project):
    def dry(*args):
        return subprocess.run(["make", "-n", "publish", *args], cwd=small_project, capture_output=True,
                              text=True, check=True).stdout
    assert "--allow-example" not in dry()
    assert "--allow-example" not in dry("ALLOW_EXAMPLE=0")
    assert "--allow-example" in dry("ALLOW_EXAMPLE=1")


def test_real_values_publish_without_the_flag(tmp_path):
    proj = make_project(tmp_path)
    (proj / "content" / "tin-tuc").mkdir(parents=True)
    (proj / "content" / "tin-tuc" / "mot-tin.md").write_text(ONE_POST, encoding="utf-8")
    with open(proj / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write(REAL_ORGANISATION)
    proc = publish_build(proj, REAL_SITEURL, allow_example=False)
    assert proc.returncode == 0, proc.stderr
    page = (proj / "output" / "index.html").read_text(encoding="utf-8")
    assert "Thông tin mẫu" not in page and f'href="{REAL_SITEURL}/"' in page


# --- 10. busy port; `make regenerate` rebuilds without a server, beside `make serve` ----------

def _listening_socket():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s, s.getsockname()[1]


@pytest.mark.parametrize("target", ["serve", "devserver"])
def test_busy_port_is_one_line_with_the_port_to_use(small_project, target):
    sock, port = _listening_socket()
    try:
        proc = subprocess.run(["make", "-s", target, f"PORT={port}"], cwd=small_project,
                              capture_output=True, text=True, timeout=60)
    finally:
        sock.close()
    assert proc.returncode != 0
    ours = [l for l in proc.stderr.splitlines() if not l.startswith("make")]
    assert len(ours) == 1, proc.stderr
    assert ours[0].startswith(f"LỖI cổng {port} đang được một chương trình khác dùng"), proc.stderr
    import re

    suggested = int(re.fullmatch(rf".*: make {target} PORT=(\d+)", ours[0]).group(1))
    assert suggested != port
    assert "Traceback" not in proc.stderr and "Errno" not in proc.stderr


def test_regenerate_rebuilds_without_a_server_beside_serve(tmp_path):
    import os
    import signal
    import sys
    import time
    import urllib.request

    proj = make_project(tmp_path)
    post = proj / "content" / "tin-tuc" / "mot-tin.md"
    post.parent.mkdir(parents=True)
    post.write_text(ONE_POST, encoding="utf-8")
    sock, port = _listening_socket()
    sock.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"))
    procs = [subprocess.Popen([sys.executable, "-m", "cchc_cli.cli", *args], cwd=proj, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
             for args in (["regenerate"], ["serve", "--port", str(port)])]

    def page(seconds=60):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/tin-tuc/mot-tin/", timeout=2) as r:
                    yield r.read().decode("utf-8")
            except OSError:
                pass
            time.sleep(0.3)

    try:
        assert any("Nội dung." in text for text in page()), "regenerate's first build not served"
        post.write_text(ONE_POST.replace("Nội dung.", "Nội dung đã sửa."), encoding="utf-8")
        assert any("Nội dung đã sửa." in text for text in page()), "regenerate did not rebuild"
        assert procs[0].poll() is None and procs[1].poll() is None, "both must keep running side by side"
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        outs = [p.communicate(timeout=20)[0] for p in procs]
    assert "Đang theo dõi thay đổi" in outs[0] and "Xem trước tại" not in outs[0], outs[0]
