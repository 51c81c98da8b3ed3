"""Lighthouse on the home, article and plan pages of the published site: `make bench-lighthouse`.

Builds content/ with publishconf.py for http://127.0.0.1:<port> (sample organisation allowed),
serves it the way deploy/nginx.conf does (the .br/.gz twins with Content-Encoding, so transfer
sizes are what a visitor gets), runs the pinned Lighthouse (bench/lighthouse/package-lock.json,
12.2.3: the last line that runs on Node 20) in /usr/bin/chromium with its default mobile
emulation, RUNS times per page, and writes the median of each category score and the home page's
transferred bytes to bench/results/lighthouse.json.
"""

import argparse
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LH_DIR = ROOT / "bench" / "lighthouse"
PAGES = {
    "home": "",
    "article": "tin-tuc/quan-tay-ho-thuc-hien-cai-cach-hanh-chinh-nha-nuoc-giai-doan-2021-2025/",
    "plan": "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with their precompressed twins, like nginx's brotli_static / gzip_static."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        accepted = self.headers.get("Accept-Encoding", "")
        for enc, suffix in (("br", ".br"), ("gzip", ".gz")):
            if enc in accepted and os.path.isfile(path + suffix):
                body = open(path + suffix, "rb")
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", enc)
                self.send_header("Content-Length", str(os.fstat(body.fileno()).st_size))
                self.send_header("Cache-Control", "max-age=600")
                self.end_headers()
                return body
        return super().send_head()

    def log_message(self, *args):
        pass


def build(out, siteurl):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), SITEURL=siteurl)
    subprocess.run([sys.executable, "-m", "cchc.cli.cli", "build", "--content", "content", "--output", str(out),
                    "--settings", "publishconf.py", "--allow-example"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def lighthouse(url, out_json):
    node = shutil.which("node") or str(ROOT / ".venv" / "bin" / "node")
    cli = LH_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
    subprocess.run([node, str(cli), url, "--quiet", "--output=json", f"--output-path={out_json}",
                    "--chrome-path=/usr/bin/chromium",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
                    "--only-categories=" + ",".join(CATEGORIES)], check=True)
    report = json.loads(Path(out_json).read_text(encoding="utf-8"))
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    failed = sorted(a["id"] for a in report["audits"].values()
                    if a.get("score") is not None and a["score"] < 1
                    and a.get("scoreDisplayMode") in ("binary", "numeric"))
    return scores, report["audits"]["total-byte-weight"]["numericValue"], failed, report["lighthouseVersion"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--results", default=str(ROOT / "bench" / "results" / "lighthouse.json"))
    args = ap.parse_args()
    if not (LH_DIR / "node_modules" / "lighthouse").is_dir():
        sys.exit("bench-lighthouse: chạy `npm ci --prefix bench/lighthouse` trước (make bench-lighthouse tự làm)")
    with tempfile.TemporaryDirectory(prefix="i18-lighthouse-") as tmp:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
        port = httpd.server_address[1]
        out = Path(tmp) / "site"
        build(out, f"http://127.0.0.1:{port}")
        httpd.RequestHandlerClass = lambda *a, **kw: Handler(*a, directory=str(out), **kw)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        results = {"pages": {}, "runs": args.runs, "load": os.getloadavg()}
        try:
            for name, path in PAGES.items():
                runs = []
                for i in range(args.runs):
                    runs.append(lighthouse(f"http://127.0.0.1:{port}/{path}", Path(tmp) / f"{name}-{i}.json"))
                results["lighthouse"] = runs[0][3]
                results["pages"][name] = {
                    "url": "/" + path,
                    "scores": {c: statistics.median(r[0][c] for r in runs) for c in CATEGORIES},
                    "runs": [r[0] for r in runs],
                    "transfer_bytes": statistics.median(r[1] for r in runs),
                    "failed_audits": sorted({a for r in runs for a in r[2]}),
                }
                page = results["pages"][name]
                print(f"{name:8} " + " ".join(f"{c} {page['scores'][c]:g}" for c in CATEGORIES)
                      + f"  transfer {page['transfer_bytes'] / 1024:.1f} KB", flush=True)
        finally:
            httpd.shutdown()
    results["load_after"] = os.getloadavg()
    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    Path(args.results).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
