"""PostgreSQL: the names' own search vector, so that a search among names never reads
definitions.

A names-only search (the first one every query makes) used the whole document's GIN
index: the index ignores weights, so it returned every concept whose definition held the
words too (4,928 rows for `compte rela` at 10,000 concepts), and each was read back and
its 2 KB vector rechecked for weights A and B: 38 ms to keep 5 rows. A generated column
of the names and their stems, with its own GIN index, finds those 5 rows directly.
SQLite (FTS5 column filters) has nothing to change.
"""

from django.db import migrations

from terms.migrations._postgres_only import on_postgresql

VECTOR = """
    setweight(to_tsvector('simple', names), 'A') ||
    setweight(to_tsvector('simple', name_stems), 'B')
"""
FORWARD = [
    f"ALTER TABLE terms_searchdocument ADD COLUMN name_vector tsvector "
    f"GENERATED ALWAYS AS ({VECTOR}) STORED",
    "CREATE INDEX terms_searchdocument_names ON terms_searchdocument USING gin (name_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS terms_searchdocument_names",
    "ALTER TABLE terms_searchdocument DROP COLUMN IF EXISTS name_vector",
]


class Migration(migrations.Migration):
    dependencies = [("terms", "0016_import_jobs")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
