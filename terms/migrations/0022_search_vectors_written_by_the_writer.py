"""PostgreSQL: the search vectors as plain columns, filled by the writer (terms/vectors.py).

Generated, they were computed inside the import's one transaction, row by row, on one
core; plain, a big import has them computed on a second connection meanwhile, with the
same expressions. Every value already stored stays as it is. SQLite (FTS5) has nothing to
change.
"""

from django.db import migrations

from terms.migrations._postgres_only import on_postgresql

DOCUMENT_VECTOR = """
    setweight(to_tsvector('simple', names), 'A') ||
    setweight(to_tsvector('simple', name_stems), 'B') ||
    setweight(to_tsvector('simple', body), 'C') ||
    setweight(to_tsvector('simple', body_stems), 'D')
"""
NAME_VECTOR = """
    setweight(to_tsvector('simple', names), 'A') ||
    setweight(to_tsvector('simple', name_stems), 'B')
"""
FORWARD = [
    "ALTER TABLE terms_searchdocument ALTER COLUMN search_vector DROP EXPRESSION",
    "ALTER TABLE terms_searchdocument ALTER COLUMN name_vector DROP EXPRESSION",
]
BACKWARD = [
    "DROP INDEX IF EXISTS terms_searchdocument_vector",
    "DROP INDEX IF EXISTS terms_searchdocument_names",
    "ALTER TABLE terms_searchdocument DROP COLUMN search_vector, DROP COLUMN name_vector",
    f"ALTER TABLE terms_searchdocument ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({DOCUMENT_VECTOR}) STORED, ADD COLUMN name_vector tsvector "
    f"GENERATED ALWAYS AS ({NAME_VECTOR}) STORED",
    "CREATE INDEX terms_searchdocument_vector ON terms_searchdocument USING gin (search_vector)",
    "CREATE INDEX terms_searchdocument_names ON terms_searchdocument USING gin (name_vector)",
]


class Migration(migrations.Migration):
    dependencies = [("terms", "0021_definition_links_as_spans")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
