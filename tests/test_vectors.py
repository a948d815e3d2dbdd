"""PostgreSQL's search vectors, written by the writer (terms/vectors.py): the same as the
expressions give, whether a big import had them computed on a second connection or the
writer computed them itself, and nothing left behind by an import that failed. Run by
CI's PostgreSQL pass (DATABASE_URL); SQLite's index is FTS5's own."""

import pytest
from django.db import DatabaseError, connection

from terms import history, vectors
from terms.models import Concept, SearchDocument
from terms.search import search
from terms.writer import import_file

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only (set DATABASE_URL)"
)

ROWS = 30


def glossary(word="pipeline", rows=ROWS):
    lines = "".join(
        f"{word}-{n},{word.capitalize()} numéro {n},Le {word} régional de la zone {n}.\n"
        for n in range(rows)
    )
    return f"slug,term_fr,definition_fr\n{lines}".encode()


def wrong_vectors():
    """Documents whose stored vectors are not what the expressions give."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {vectors.TABLE} WHERE "
            f"search_vector IS DISTINCT FROM ({vectors.DOCUMENT_VECTOR}) "
            f"OR name_vector IS DISTINCT FROM ({vectors.NAME_VECTOR})"
        )
        return cursor.fetchone()[0]


def staging_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename LIKE %s",
            [vectors.STAGING_PREFIX.replace("_", r"\_") + "%"],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def ahead_from_ten(monkeypatch):
    """The second connection used from ten documents on, and every use counted."""
    monkeypatch.setattr(vectors, "AHEAD_MIN", 10)
    used = []
    real_init = vectors.Ahead.__init__

    def counting_init(self, rows):
        used.append(len(rows))
        real_init(self, rows)

    monkeypatch.setattr(vectors.Ahead, "__init__", counting_init)
    return used


@pytest.mark.django_db(transaction=True)
def test_a_big_import_has_its_vectors_computed_meanwhile_and_right(ahead_from_ten):
    assert import_file(glossary(), file_name="pipelines.csv").ok
    assert ahead_from_ten == [ROWS]
    assert SearchDocument.objects.count() == ROWS
    assert wrong_vectors() == 0
    assert staging_tables() == 0
    assert search("pipeline numero 7", "fr").results[0].slug == "pipeline-7"
    # A small write computes its own.
    assert import_file(glossary("relance", rows=3), file_name="relances.csv").ok
    assert ahead_from_ten == [ROWS]
    assert wrong_vectors() == 0
    assert search("relance numero 2", "fr").results[0].slug == "relance-2"


@pytest.mark.django_db(transaction=True)
def test_when_the_second_connection_fails_the_import_computes_the_vectors_itself(
    ahead_from_ten, monkeypatch
):
    def broken(rows, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(vectors, "prepared_for_copy", broken)
    assert import_file(glossary(), file_name="pipelines.csv").ok
    assert ahead_from_ten == [ROWS]
    assert SearchDocument.objects.count() == ROWS and wrong_vectors() == 0
    assert search("pipeline numero 7", "fr").results[0].slug == "pipeline-7"


@pytest.mark.django_db(transaction=True)
def test_an_import_that_fails_leaves_the_glossary_as_it_was_and_the_next_one_tidies_up(
    ahead_from_ten, monkeypatch
):
    real_record = history.record

    def failing_record(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(history, "record", failing_record)
    with pytest.raises(DatabaseError):
        import_file(glossary(), file_name="pipelines.csv")
    assert ahead_from_ten == [ROWS]
    assert not Concept.objects.exists() and not SearchDocument.objects.exists()
    assert staging_tables() == 1  # made by the second connection, which committed it

    monkeypatch.setattr(history, "record", real_record)
    assert import_file(glossary("relance"), file_name="relances.csv").ok
    assert staging_tables() == 0
    assert SearchDocument.objects.count() == ROWS and wrong_vectors() == 0


@pytest.mark.django_db
def test_two_big_imports_in_one_transaction_do_not_wait_for_each_other(ahead_from_ten):
    """The first one's table is dropped in a transaction not yet ended: the second
    connection of the next import leaves it alone instead of waiting for it."""
    assert import_file(glossary(), file_name="pipelines.csv").ok
    assert import_file(glossary("relance"), file_name="relances.csv").ok
    assert ahead_from_ten == [ROWS, ROWS]
    assert SearchDocument.objects.count() == 2 * ROWS and wrong_vectors() == 0


@pytest.mark.django_db
def test_many_documents_written_in_batches_each_with_its_vectors(monkeypatch):
    monkeypatch.setattr(vectors, "INSERT_BATCH", 7)  # 30 documents: five statements
    monkeypatch.setattr(vectors, "AHEAD_MIN", 10_000)
    assert import_file(glossary(), file_name="pipelines.csv").ok
    assert SearchDocument.objects.count() == ROWS and wrong_vectors() == 0
    assert search("pipeline numero 29", "fr").results[0].slug == "pipeline-29"


@pytest.mark.django_db
def test_a_document_written_without_its_vectors_gets_them(monkeypatch):
    """As a server still running the code of before migration 0022 would write one."""
    assert import_file(glossary(rows=3), file_name="pipelines.csv").ok
    concept = Concept.objects.get(slug="pipeline-2")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {vectors.TABLE} WHERE concept_id = %s", [concept.pk])
        cursor.execute(
            f"INSERT INTO {vectors.TABLE} (concept_id, is_published, names, name_stems, body, "
            "body_stems, labels) VALUES (%s, true, 'pipeline numero 2', 'pipelin numero 2', "
            "'', '', '[[\"Pipeline numéro 2\", \"term\"]]')",
            [concept.pk],
        )
    assert wrong_vectors() == 0
    assert search("pipeline numero 2", "fr").results[0].slug == "pipeline-2"
