"""The embedding script's bar: a 50 KB intranet page annotated against the benchmark's
glossary in Chromium, timed by the script's own Performance API measures, and the size of
the gzipped description it reads."""

import contextlib
import html
import http.server
import re
import statistics
import threading
import urllib.request

CHROMIUM = "/usr/bin/chromium"
PAGE_BYTES = 50 * 1024
LOADS = 5  # page loads measured; the median is reported
DESCRIPTION_TARGET_KB = 150
ANNOTATE_TARGET_MS = 50


def news_page(rows, script_src):
    """About 50 KB of paragraphs, the synthetic definitions, which name other concepts as
    an intranet page names the glossary's terms."""
    paragraphs, total, number = [], 0, 0
    while total < PAGE_BYTES:
        row = rows[number % len(rows)]
        number += 1
        for language in ("fr", "en"):
            if row[f"definition_{language}"]:
                paragraph = html.escape(row[f"definition_{language}"], quote=False)
                paragraphs.append(f"<p>{paragraph}</p>")
                total += len(paragraphs[-1].encode())
    body = "\n".join(paragraphs)
    return (
        '<!doctype html>\n<html lang="fr">\n<head><meta charset="utf-8"><title>Intranet</title>'
        f"</head>\n<body>\n{body}\n"
        f'<script src="{html.escape(script_src)}" defer></script>\n</body>\n</html>\n'
    )


@contextlib.contextmanager
def intranet(port, page):
    """Serves `page` at http://127.0.0.1:<port>/news.html: another origin than the glossary's."""
    data = page.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/news.html"
    finally:
        server.shutdown()
        server.server_close()


def description_size(base):
    """Bytes of the French description as sent gzipped, at the current generation."""
    script = urllib.request.urlopen(base + "/embed/glossary.js", timeout=30).read().decode()
    generation = re.search(r'"generation": (\d+)', script).group(1)
    request = urllib.request.Request(
        f"{base}/embed/fr/{generation}/terms.json", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        return len(response.read())


def measure(base, rows, port):
    """{description_kb, annotate_ms, index_ms, marks} with the glossary served at `base`
    and GLOSSARY_EMBED_ORIGINS naming http://127.0.0.1:<port>."""
    from playwright.sync_api import sync_playwright

    size = description_size(base)
    annotate, index, marks = [], [], 0
    page_html = news_page(rows, base + "/embed/glossary.js")
    with intranet(port, page_html) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for _load in range(LOADS):
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector("glossary-term", timeout=30_000)
            timings = page.evaluate(
                "() => ['glossary:annotate', 'glossary:index'].map("
                "name => performance.getEntriesByName(name)[0].duration)"
            )
            annotate.append(timings[0])
            index.append(timings[1])
            marks = page.evaluate("document.querySelectorAll('glossary-term').length")
            page.close()
        browser.close()
    return {
        "description_kb": size / 1024,
        "annotate_ms": statistics.median(annotate),
        "index_ms": statistics.median(index),
        "marks": marks,
    }


def lines(result):
    if result is None:
        return []
    size_ok = result["description_kb"] < DESCRIPTION_TARGET_KB
    time_ok = result["annotate_ms"] < ANNOTATE_TARGET_MS
    return [
        f"- embedding script: description {result['description_kb']:.0f} KB gzipped "
        f"(target < {DESCRIPTION_TARGET_KB} KB) {'PASS' if size_ok else 'FAIL'}; "
        f"annotating a 50 KB page in Chromium {result['annotate_ms']:.1f} ms, median of "
        f"{LOADS} loads (target < {ANNOTATE_TARGET_MS} ms) {'PASS' if time_ok else 'FAIL'}, "
        f"after {result['index_ms']:.1f} ms reading the description; {result['marks']} marks",
    ]
