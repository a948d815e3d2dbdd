"""Intranet pages for the embedding script's tests and benchmark: a plain HTTP server on
another port of 127.0.0.1 (another origin than the glossary's), and the synthetic glossary
of the benchmark as the description's concepts."""

import contextlib
import html
import http.server
import sys
import threading
from pathlib import Path

from terms.records import Content

BENCH = Path(__file__).resolve().parent.parent / "bench"
PAGE_BYTES = 50 * 1024


def synthetic_rows(count):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import synthetic

    return synthetic.generate(count)


def concepts_of(rows):
    """{id: (slug, {language: Content})} of synthetic rows, in their order (the ids an
    import would give them)."""
    concepts = {}
    for number, row in enumerate(rows, start=1):
        contents = {}
        for language in ("fr", "en"):
            contents[language] = Content(
                term=row[f"term_{language}"],
                acronyms=tuple(v for v in row[f"acronyms_{language}"].split(" | ") if v),
                variants=tuple(v for v in row[f"variants_{language}"].split(" | ") if v),
            )
        concepts[number] = (row["slug"], contents)
    return concepts


def synthetic_concepts(count):
    return concepts_of(synthetic_rows(count))


def news_paragraphs(rows, size=PAGE_BYTES):
    """Paragraphs of an intranet news page about `size` bytes long: the synthetic
    definitions, which name other concepts as real writing does."""
    paragraphs, total, number = [], 0, 0
    while total < size:
        row = rows[number % len(rows)]
        number += 1
        for language in ("fr", "en"):
            paragraph = row[f"definition_{language}"]
            if paragraph:
                paragraphs.append(paragraph)
                total += len(paragraph.encode()) + 7
    return paragraphs


def host_page(body, script_src, *, lang="fr", script_attributes=""):
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        "<title>Intranet</title>\n</head>\n<body>\n"
        f"{body}\n"
        f'<script src="{html.escape(script_src)}" {script_attributes} defer></script>\n'
        "</body>\n</html>\n"
    )


def paragraphs_html(paragraphs):
    return "\n".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


@contextlib.contextmanager
def intranet(pages):
    """Serves `pages` ({path: HTML}) from http://127.0.0.1:<port>, another origin than the
    glossary's; yields that origin."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path.split("?")[0])
            if body is None:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
