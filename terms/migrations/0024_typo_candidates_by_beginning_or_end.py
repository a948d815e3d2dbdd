"""PostgreSQL: typo candidates found by their first or last two letters, as on SQLite.

Trigram similarity (pg_trgm, migration 0004) missed two letters swapped in a short word:
`vetne` has 2 of its 10 trigrams in common with `vente`, below the 0.3 threshold. One
edit of a word of five letters or more keeps its first two letters or its last two, so
the candidates are the words of about its length that begin or end like it: beginnings
through the existing pattern index on `word`, ends through this one on the word
reversed. The trigram index served nothing else.
"""

from django.db import migrations

from terms.migrations._postgres_only import on_postgresql

FORWARD = [
    "CREATE INDEX terms_searchword_backwards ON terms_searchword "
    "(reverse(word) text_pattern_ops)",
    "DROP INDEX IF EXISTS terms_searchword_trgm",
]
BACKWARD = [
    "CREATE INDEX terms_searchword_trgm ON terms_searchword USING gin (word gin_trgm_ops)",
    "DROP INDEX IF EXISTS terms_searchword_backwards",
]


class Migration(migrations.Migration):
    dependencies = [("terms", "0023_search_vectors_for_rows_written_without")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
