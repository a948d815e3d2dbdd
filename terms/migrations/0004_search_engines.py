"""Engine-specific search structures: FTS5 on SQLite; unaccent, pg_trgm and GIN on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    # External-content FTS5 over terms_searchdocument, kept in step by triggers,
    # so every write to a search document updates the index in the same transaction.
    """
    CREATE VIRTUAL TABLE terms_search_fts USING fts5(
        names, name_stems, body, body_stems,
        content='terms_searchdocument', content_rowid='concept_id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    )
    """,
    """
    CREATE TRIGGER terms_search_fts_insert AFTER INSERT ON terms_searchdocument BEGIN
        INSERT INTO terms_search_fts(rowid, names, name_stems, body, body_stems)
        VALUES (new.concept_id, new.names, new.name_stems, new.body, new.body_stems);
    END
    """,
    """
    CREATE TRIGGER terms_search_fts_delete AFTER DELETE ON terms_searchdocument BEGIN
        INSERT INTO terms_search_fts(terms_search_fts, rowid, names, name_stems, body, body_stems)
        VALUES ('delete', old.concept_id, old.names, old.name_stems, old.body, old.body_stems);
    END
    """,
    """
    CREATE TRIGGER terms_search_fts_update AFTER UPDATE ON terms_searchdocument BEGIN
        INSERT INTO terms_search_fts(terms_search_fts, rowid, names, name_stems, body, body_stems)
        VALUES ('delete', old.concept_id, old.names, old.name_stems, old.body, old.body_stems);
        INSERT INTO terms_search_fts(rowid, names, name_stems, body, body_stems)
        VALUES (new.concept_id, new.names, new.name_stems, new.body, new.body_stems);
    END
    """,
    "INSERT INTO terms_search_fts(terms_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS terms_search_fts_insert",
    "DROP TRIGGER IF EXISTS terms_search_fts_delete",
    "DROP TRIGGER IF EXISTS terms_search_fts_update",
    "DROP TABLE IF EXISTS terms_search_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The weighted document the search page matches (see terms/search/engines.py).
    """
    CREATE INDEX terms_searchdocument_tsv ON terms_searchdocument USING gin ((
        setweight(to_tsvector('simple', names), 'A') ||
        setweight(to_tsvector('simple', name_stems), 'B') ||
        setweight(to_tsvector('simple', body), 'C') ||
        setweight(to_tsvector('simple', body_stems), 'D')
    ))
    """,
    # Typo tolerance: trigram similarity over the vocabulary of names.
    "CREATE INDEX terms_searchword_trgm ON terms_searchword USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS terms_searchword_trgm",
    "DROP INDEX IF EXISTS terms_searchdocument_tsv",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


create_search_structures = run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})
drop_search_structures = run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("terms", "0003_search_documents")]

    operations = [migrations.RunPython(create_search_structures, drop_search_structures)]
