"""No public page costs more SQL queries at 10,000 concepts than at 10."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from terms.records import field_names
from terms.writer import import_file

SYLLABLES = ["ven", "te", "com", "pte", "cli", "ent", "pro", "spect", "ré", "seau", "flux"]
PAGES = [
    "/fr/",
    "/en/",
    "/fr/letters/T/",
    "/fr/letters/T/?page=2",
    "/en/letters/T/",
    "/fr/terms/c1/",
    "/en/terms/c1/",
    "/fr/search/?q=terme",
    "/fr/search/?q=T1",
    "/fr/search/?q=" + "défintion",  # a typo
    "/en/search/?q=term+comte",
    "/fr/search/?q=zzzzzz",  # nothing: "did you mean"
    "/api/search/?q=ter&lang=fr",
    "/fr/embed/",
    "/fr/terms/c1/card/",
    "/embed/glossary.js",
]


def word(number):
    """A made-up word per number, so that names differ as in a real glossary."""
    letters = []
    while True:
        number, rest = divmod(number, len(SYLLABLES))
        letters.append(SYLLABLES[rest])
        if not number:
            return "".join(letters)


def glossary_csv(start, stop):
    out = io.StringIO()
    writer = csv.DictWriter(out, field_names(), restval="")
    writer.writeheader()
    for number in range(start, stop):
        other = (number * 7 + 3) % stop
        writer.writerow(
            {
                "slug": f"c{number}",
                "status": "published",
                "term_fr": f"Terme {word(number)}",
                "acronyms_fr": f"T{number}",
                "definition_fr": f"Définition liée à Terme {word(other)} et à T1.",
                "term_en": f"Term {word(number)}",
                "definition_en": f"Definition linked to Term {word(other)}.",
                "see_also": f"c{number - 1}" if number else "",
            }
        )
    return out.getvalue().encode()


def query_counts(client):
    counts = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200, page
        counts[page] = len(queries)
    return counts


@pytest.mark.django_db
def test_no_public_page_costs_more_queries_at_10000_concepts_than_at_10(client):
    assert import_file(glossary_csv(0, 10), file_name="small.csv").ok
    small = query_counts(client)
    report = import_file(glossary_csv(10, 10_000), file_name="large.csv")
    assert report.ok and report.new == 9_990, report.problems
    large = query_counts(client)
    # Queries that only run on a small glossary may drop out (search looks at definitions
    # only when names give less than a page of results); the one query a large glossary
    # may add is the term page's "and N more" count, asked once its list is full.
    allowed = {page: small[page] + ("/terms/" in page) for page in PAGES}
    assert all(large[page] <= allowed[page] for page in PAGES), (small, large)
