"""What PostgreSQL needs beyond SQL that works: its GIN indexes tidied and its statistics
gathered after a bulk write. Run by CI's PostgreSQL pass (DATABASE_URL); skipped on SQLite,
which needs neither."""

import logging

import pytest
from django.db import connection

from terms import bulk
from terms.search import search
from terms.writer import import_file

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only (set DATABASE_URL)"
)

ROWS = "\n".join(
    f"pipeline-{n},Pipeline numéro {n},Le pipeline régional de la zone {n}." for n in range(12)
)


@pytest.mark.django_db(transaction=True)
def test_a_bulk_import_leaves_the_search_indexes_merged_and_the_statistics_fresh(
    monkeypatch, caplog
):
    monkeypatch.setattr(bulk, "TIDY_AFTER_ROWS", 10)
    tidied = []
    real_tidy = bulk.tidy_table
    monkeypatch.setattr(bulk, "tidy_table", lambda table: tidied.append(real_tidy(table) or table))
    data = f"slug,term_fr,definition_fr\n{ROWS}\n".encode()
    with caplog.at_level(logging.WARNING, logger="terms.bulk"):
        report = import_file(data, file_name="pipelines.csv")
    assert report.ok, report.problems
    assert {"terms_concept", "terms_concepttext", "terms_searchdocument"} <= set(tidied)
    assert "Could not tidy" not in caplog.text
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relname = 'terms_searchdocument' "
            "AND reltuples >= 12"  # ANALYZE counted the rows
        )
        assert cursor.fetchone()[0] == 1
    assert search("pipeline numero 7", "fr").results[0].slug == "pipeline-7"


@pytest.mark.django_db(transaction=True)
def test_a_bulk_import_below_the_threshold_is_not_followed_by_a_tidy(monkeypatch):
    tidied = []
    monkeypatch.setattr(bulk, "tidy_table", tidied.append)
    data = f"slug,term_fr,definition_fr\n{ROWS}\n".encode()
    assert import_file(data, file_name="pipelines.csv").ok
    assert tidied == []
