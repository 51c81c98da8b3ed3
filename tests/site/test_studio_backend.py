"""`make studio`: the editor's backend serves only the editor (issue 33), over plain HTTP.

A real `cchc studio` (file-system mode, then REVIEW=1 git mode) in a throwaway project with
secrets beside content/ (a fake .git/config, secret.txt). Each request below would have
written, deleted or read something through decap-server before; each must be refused, the
repository must be byte-identical afterwards and no answer may carry a secret. Control
requests with everything right go through, so a refusal is the one thing missing. The same
attacks from pages in Chromium are in tests/browser/test_studio_security.py.
"""

import hashlib
import http.client
import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from test_studio import NEWS, _git_project, need_studio, running_studio, studio_project

SECRET = "BI-MAT-KHONG-DUOC-LO-7f3a"
TOKEN_RE = re.compile(r'<meta name="cchc-api-token" content="([^"]+)">')
NEW_POST = "---\ntype: tin-tuc\ntitle: Tin độc\n---\n\nĐã bị ghi.\n"


def snapshot(proj):
    """{relative path: sha256} of every file of the project (not following the links to the
    checkout's theme/plugins/node_modules; what the preview's builds write and the log left out)."""
    out = {}
    for dirpath, dirs, files in os.walk(proj):
        rel_dir = Path(dirpath).relative_to(proj)
        dirs[:] = [d for d in dirs if d != "__pycache__"
                   and not (rel_dir == Path(".") and d.startswith(("output", ".output", ".cache", ".cchc-")))]
        for name in files:
            path = Path(dirpath, name)
            if rel_dir == Path(".") and (path.is_symlink() or name == "studio.log" or name.startswith(".output")):
                continue
            rel = str(rel_dir / name)
            try:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                out[rel] = "?"
    return out


def request(host_port, method, path, body=None, headers=None):
    """→ (status, text) of one raw HTTP request (any Host header, as a hostile page sends)."""
    conn = http.client.HTTPConnection(*host_port, timeout=30)
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode("utf-8")
    try:
        conn.request(method, path, body=data, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


class Client:
    """Requests to a running studio's editor, with the right Host, Origin and token by default."""

    def __init__(self, running):
        self.running = running
        self.origin = running["editor"]
        self.addr = ("127.0.0.1", running["backend_port"])
        self.host = f"127.0.0.1:{running['backend_port']}"
        status, page = request(self.addr, "GET", "/admin/", headers={"Host": self.host})
        assert status == 200, page
        self.token = TOKEN_RE.search(page).group(1)

    def api(self, body, **override):
        headers = {"Host": self.host, "Origin": self.origin, "Content-Type": "application/json",
                   "X-CCHC-Token": self.token, "Sec-Fetch-Site": "same-origin"}
        for key, value in override.items():
            key = key.replace("_", "-")
            if value is None:
                headers.pop(key, None)
            else:
                headers[key] = value
        return request(self.addr, "POST", "/api/v1", body, headers)


def _plant_secrets(proj):
    (proj / ".git").mkdir(exist_ok=True)
    (proj / ".git" / "config").write_text(f"[core]\n\t# {SECRET}\n", encoding="utf-8")
    (proj / "secret.txt").write_text(SECRET, encoding="utf-8")
    (proj / "README.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    outside = proj.parent / "ngoai"
    outside.mkdir()
    (outside / "x.md").write_text(SECRET, encoding="utf-8")
    (proj / "content" / "images").mkdir()


def _plant_links(proj):
    """Links someone left in content folders (made once the preview is up: `cchc check`
    refuses them, the preview keeps its last good build): never followed by the editor."""
    (proj / "content" / "tin-tuc" / "lien-ket.md").symlink_to("../../secret.txt")
    (proj / "content" / "images" / "ngoai").symlink_to(proj.parent / "ngoai")


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_studio()
    proj = studio_project(tmp_path_factory.mktemp("backend"))
    _plant_secrets(proj)
    with running_studio(proj, proj / "studio.log") as running:
        _plant_links(proj)
        yield running


def persist(path, raw=NEW_POST, slug="tin-doc", **extra):
    return {"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"slug": slug, "path": path, "raw": raw, **extra}], "assets": [],
        "options": {"collectionName": "tin-tuc", "commitMessage": "x", "useWorkflow": False,
                    "status": "draft"}}}


def media(path, content=b"\x89PNG\r\n"):
    import base64

    return {"action": "persistMedia", "params": {
        "branch": "main", "asset": {"path": path, "content": base64.b64encode(content).decode(),
                                    "encoding": "base64"},
        "options": {"commitMessage": "x"}}}


def get_entry(path):
    return {"action": "getEntry", "params": {"branch": "main", "path": path}}


def delete(path):
    return {"action": "deleteFile", "params": {"branch": "main", "path": path, "options": {"commitMessage": "x"}}}


def test_the_token_is_only_in_the_editor_page_served_to_its_own_host(studio):
    client = Client(studio)
    proj = studio["proj"]
    assert len(client.token) >= 40
    built = (proj / "output" / "admin" / "index.html").read_text(encoding="utf-8")
    assert client.token not in built and 'name="cchc-api-token"' not in built  # never in a file
    # A DNS-rebinding page reaches the same server under its own name: no page, no token.
    for host in (f"rebind.example:{studio['backend_port']}", "127.0.0.1", "evil.test"):
        status, page = request(client.addr, "GET", "/admin/", headers={"Host": host})
        assert status == 403 and client.token not in page and "từ chối" in page, (host, status, page)
    # The preview's origin (what staff write and upload is served there) has no token either.
    preview = ("127.0.0.1", int(studio["base"].rsplit(":", 1)[1]))
    status, page = request(preview, "GET", "/admin/", headers={"Host": f"127.0.0.1:{preview[1]}"})
    assert status == 302 and client.token not in page


def test_requests_not_from_the_editor_are_refused(studio):
    """Missing or wrong token, another origin, a foreign Host (DNS rebinding), a form's content
    type: each refused, nothing written or deleted; the same request from the editor works."""
    client, proj = Client(studio), studio["proj"]
    port, preview_port = studio["backend_port"], studio["base"].rsplit(":", 1)[1]
    target = "content/tin-tuc/tin-doc.md"
    wrong = client.token[:-4] + ("AAAA" if not client.token.endswith("AAAA") else "BBBB")
    cases = {
        "no token": {"X-CCHC-Token": None},
        "wrong token": {"X-CCHC-Token": wrong},
        "empty token": {"X-CCHC-Token": ""},
        "another loopback port": {"Origin": "http://127.0.0.1:9999"},
        "localhost page": {"Origin": "http://localhost:3000"},
        "the preview's origin": {"Origin": f"http://127.0.0.1:{preview_port}"},
        "localhost, same port": {"Origin": f"http://localhost:{port}"},
        "opaque origin (sandboxed SVG, file:)": {"Origin": "null"},
        "no origin": {"Origin": None},
        "cross-site fetch metadata": {"Sec-Fetch-Site": "cross-site"},
        "DNS rebinding": {"Host": f"rebind.example:{port}", "Origin": f"http://rebind.example:{port}"},
        "form post": {"Content-Type": "text/plain"},
    }
    before = snapshot(proj)
    for name, headers in cases.items():
        for body in (persist(target), delete("content/tin-tuc/tin-co-san.md"), get_entry("content/tin-tuc/tin-co-san.md")):
            status, text = client.api(body, **{k.replace("-", "_"): v for k, v in headers.items()})
            assert status in (403, 415), (name, body["action"], status, text)
            assert "Tin có sẵn" not in text and client.token not in text, (name, text)
    assert snapshot(proj) == before
    # Everything right: the same write goes through (the refusals above were the one header).
    status, text = client.api(persist(target))
    assert status == 200, text
    assert (proj / target).read_text(encoding="utf-8") == NEW_POST
    (proj / target).unlink()


HOSTILE_REQUESTS = [
    get_entry("studioconf.py"), get_entry(".git/config"), get_entry("README.md"), get_entry("secret.txt"),
    get_entry("../ngoai/x.md"), get_entry("/etc/passwd"), get_entry("content/../secret.txt"),
    get_entry("content/tin-tuc/../../studioconf.py"), get_entry("content/tin-tuc/lien-ket.md"),
    get_entry("content/images/ngoai/x.md"), get_entry("./content/tin-tuc/tin-co-san.md"),
    get_entry("content\\tin-tuc\\..\\..\\secret.txt"), get_entry("content/tin-tuc/.htaccess"),
    {"action": "entriesByFiles", "params": {"branch": "main", "files": [{"path": "studioconf.py"}]}},
    {"action": "getMediaFile", "params": {"branch": "main", "path": ".git/config"}},
    {"action": "entriesByFolder", "params": {"branch": "main", "folder": ".", "extension": "py", "depth": 1}},
    {"action": "entriesByFolder", "params": {"branch": "main", "folder": ".git", "extension": "", "depth": 1}},
    {"action": "entriesByFolder", "params": {"branch": "main", "folder": "content", "extension": "md", "depth": 5}},
    {"action": "getMedia", "params": {"branch": "main", "mediaFolder": "content/images/ngoai"}},
    {"action": "getMedia", "params": {"branch": "main", "mediaFolder": "content/../"}},
    persist("studioconf.py", raw="import os\nos.system('touch /tmp/pwned')\n"),
    persist("content/tin-tuc/x.py", raw="print(1)\n"), persist("content/tin-tuc/../../plugins-x.md"),
    persist("content/tin-tuc/tin-co-san.md", newPath="content/pages/tin-co-san.md"),
    persist("content/tin-tuc/tin-co-san.md", slug="--orphan"),
    media("plugins/x.py"), media("content/images/x.html"), media("content/images/ngoai/x.png"),
    media("content/files/.htaccess"), media("studioconf.py"),
    delete("README.md"), delete("studioconf.py"), delete(".git/config"), delete("content/tin-tuc/lien-ket.md"),
    {"action": "deleteFiles", "params": {"branch": "main", "paths": ["content/tin-tuc/tin-co-san.md", "studioconf.py"],
                                         "options": {"commitMessage": "x"}}},
    {"action": "getEntry", "params": {"branch": "--orphan=x", "path": "content/tin-tuc/tin-co-san.md"}},
    {"action": "runShell", "params": {"branch": "main"}},
]


def test_paths_outside_the_content_folders_are_refused(studio):
    """With the right token, origin and host: settings, code, .git/, the repository root, `..`,
    absolute paths, hidden names, links out of a content folder, types `cchc check` refuses."""
    client, proj = Client(studio), studio["proj"]
    before = snapshot(proj)
    for body in HOSTILE_REQUESTS:
        status, text = client.api(body)
        assert status == 403, (body, status, text)
        assert "từ chối" in json.loads(text)["error"], text
        assert SECRET not in text and "CCHC_STUDIO" not in text, (body, text)
    assert snapshot(proj) == before
    assert not Path("/tmp/pwned").exists()
    # What the editor does do still works, and a listing leaves out the link to secret.txt.
    status, text = client.api({"action": "entriesByFolder", "params": {
        "branch": "main", "folder": "content/tin-tuc", "extension": "md", "depth": 1}})
    assert status == 200, text
    assert [e["file"]["path"] for e in json.loads(text)] == ["content/tin-tuc/tin-co-san.md"]
    assert SECRET not in text
    status, text = client.api(media("content/images/anh.png"))
    assert status == 200, text
    assert (proj / "content" / "images" / "anh.png").read_bytes() == b"\x89PNG\r\n"


def _listening_tcp_inodes():
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    return inodes


def test_decap_server_listens_on_no_port(studio):
    """decap-server (node) has no TCP socket a page could reach: a Unix socket in a folder
    only this user may open, removed when the studio stops."""
    from test_studio import descendants

    node = [p for p in descendants(studio["proc"].pid)
            if "backend.js" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")]
    assert len(node) == 1, node
    sockets = {os.readlink(f"/proc/{node[0]}/fd/{fd}") for fd in os.listdir(f"/proc/{node[0]}/fd")}
    inodes = {s[len("socket:["):-1] for s in sockets if s.startswith("socket:[")}
    assert inodes and not inodes & _listening_tcp_inodes()
    argv = Path(f"/proc/{node[0]}/cmdline").read_bytes().decode().split("\0")
    sock = Path(argv[argv.index(next(a for a in argv if a.endswith("backend.js"))) + 2])
    assert stat.S_ISSOCK(sock.stat().st_mode)
    assert stat.S_IMODE(sock.parent.stat().st_mode) == 0o700 and sock.parent.stat().st_uid == os.getuid()
    studio["proc"].send_signal(2)  # Ctrl-C
    assert studio["proc"].wait(timeout=20) == 0
    assert not sock.parent.exists()


@pytest.fixture(scope="module")
def review_studio(tmp_path_factory):
    need_studio(git=True)
    tmp = tmp_path_factory.mktemp("review-backend")
    with running_studio(_git_project(tmp), tmp / "studio.log", "--review") as running:
        yield running


def _git(proj, *args):
    return subprocess.run(["git", *args], cwd=proj, capture_output=True, text=True, check=False).stdout


def test_review_mode_refuses_other_branches_names_and_paths(review_studio):
    """REVIEW=1 (decap-server's git mode): only the branch it was started on, known collections,
    slugs that make a plain branch name cms/<collection>/<slug>, known states; no path out."""
    client, proj = Client(review_studio), review_studio["proj"]
    def git_state():
        return (_git(proj, "for-each-ref"), _git(proj, "config", "--local", "--list"),
                _git(proj, "status", "--porcelain"), _git(proj, "symbolic-ref", "HEAD"))

    before, files = git_state(), snapshot(proj)
    hostile = [
        {"action": "entriesByFolder", "params": {"branch": "--orphan=x", "folder": "content/tin-tuc",
                                                 "extension": "md", "depth": 1}},
        {"action": "entriesByFolder", "params": {"branch": "cms/x", "folder": "content/tin-tuc",
                                                 "extension": "md", "depth": 1}},
        {"action": "unpublishedEntry", "params": {"branch": "main", "id": "tin-tuc/../../x"}},
        {"action": "unpublishedEntry", "params": {"branch": "main", "collection": "core", "slug": "x"}},
        {"action": "updateUnpublishedEntryStatus", "params": {
            "branch": "main", "collection": "tin-tuc", "slug": "tin-co-san", "newStatus": "draft\n[core]\nx=1"}},
        {"action": "updateUnpublishedEntryStatus", "params": {
            "branch": "main", "collection": "tin-tuc", "slug": "x.y.core.hooksPath", "newStatus": "draft",
            "cmsLabelPrefix": "/tmp/"}},
        {"action": "deleteUnpublishedEntry", "params": {"branch": "main", "collection": "tin-tuc", "slug": "-D"}},
        {"action": "publishUnpublishedEntry", "params": {"branch": "main", "collection": "../x", "slug": "y"}},
        {"action": "unpublishedEntryDataFile", "params": {
            "branch": "main", "collection": "tin-tuc", "slug": "tin-co-san", "id": "x", "path": ".git/config"}},
        persist("studioconf.py", raw="import os\n"),
        dict(persist("content/tin-tuc/tin-moi.md"), params={
            **persist("content/tin-tuc/tin-moi.md")["params"],
            "options": {"collectionName": "tin-tuc", "commitMessage": "x", "useWorkflow": True,
                        "status": "published\n"}}),
    ]
    for body in hostile:
        status, text = client.api(body)
        assert status == 403, (body, status, text)
    assert git_state() == before and snapshot(proj) == files
    status, text = client.api({"action": "entriesByFolder", "params": {
        "branch": "main", "folder": "content/tin-tuc", "extension": "md", "depth": 1}})
    assert status == 200, text
    assert [e["data"] for e in json.loads(text)] == [NEWS]
