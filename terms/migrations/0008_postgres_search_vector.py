"""PostgreSQL: the weighted search document stored as a column, not only indexed.

Matching could use the expression index of 0004, but ranking recomputed
`to_tsvector` over each matching definition at every query: a short word
common to thousands of concepts took hundreds of milliseconds at 10,000
concepts. A generated column computes the vector once, when the row is
written. SQLite (FTS5) has nothing to change.
"""

from django.db import migrations

from terms.migrations._postgres_only import on_postgresql

VECTOR = """
    setweight(to_tsvector('simple', names), 'A') ||
    setweight(to_tsvector('simple', name_stems), 'B') ||
    setweight(to_tsvector('simple', body), 'C') ||
    setweight(to_tsvector('simple', body_stems), 'D')
"""
FORWARD = [
    f"ALTER TABLE terms_searchdocument ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({VECTOR}) STORED",
    "DROP INDEX IF EXISTS terms_searchdocument_tsv",
    "CREATE INDEX terms_searchdocument_vector ON terms_searchdocument USING gin (search_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS terms_searchdocument_vector",
    "ALTER TABLE terms_searchdocument DROP COLUMN IF EXISTS search_vector",
    f"CREATE INDEX terms_searchdocument_tsv ON terms_searchdocument USING gin (({VECTOR}))",
]


class Migration(migrations.Migration):
    dependencies = [("terms", "0007_index_concept_labels")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
