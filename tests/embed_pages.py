"""Intranet pages for the embedding script's tests and benchmark: a plain HTTP server on
another port of 127.0.0.1 (another origin than the glossary's), and the synthetic glossary
of the benchmark as the description's concepts."""

import sys
from pathlib import Path

from terms.records import Content

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

# The intranet pages are the benchmark's own (bench/embed_page.py): the tests measure what
# the benchmark reports.
import synthetic  # noqa: E402
from embed_page import (  # noqa: E402
    PAGE_BYTES,
    host_page,
    intranet,
    news_paragraphs,
    paragraphs_html,
)

__all__ = [
    "PAGE_BYTES",
    "concepts_of",
    "host_page",
    "intranet",
    "news_paragraphs",
    "paragraphs_html",
    "synthetic_concepts",
    "synthetic_rows",
]


def synthetic_rows(count):
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
