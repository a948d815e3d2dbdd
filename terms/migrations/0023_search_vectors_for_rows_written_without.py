"""PostgreSQL: vectors computed for a search document written without them.

Since 0022 the writer supplies the vectors (terms/vectors.py). A row inserted without them
(a server still running the code of before 0022 during an upgrade, or a hand-written
INSERT) would otherwise keep none, and the search would not find its concept until it
changes again. The writer's own rows carry theirs: the trigger's condition passes them by.
SQLite (FTS5) has nothing to change.
"""

from django.db import migrations

from terms.migrations._postgres_only import on_postgresql

FORWARD = [
    """
    CREATE FUNCTION terms_searchdocument_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.search_vector IS NULL THEN
            NEW.search_vector :=
                setweight(to_tsvector('simple', NEW.names), 'A') ||
                setweight(to_tsvector('simple', NEW.name_stems), 'B') ||
                setweight(to_tsvector('simple', NEW.body), 'C') ||
                setweight(to_tsvector('simple', NEW.body_stems), 'D');
        END IF;
        IF NEW.name_vector IS NULL THEN
            NEW.name_vector :=
                setweight(to_tsvector('simple', NEW.names), 'A') ||
                setweight(to_tsvector('simple', NEW.name_stems), 'B');
        END IF;
        RETURN NEW;
    END
    $$
    """,
    "CREATE TRIGGER terms_searchdocument_vectors BEFORE INSERT OR UPDATE ON terms_searchdocument "
    "FOR EACH ROW WHEN (NEW.search_vector IS NULL OR NEW.name_vector IS NULL) "
    "EXECUTE FUNCTION terms_searchdocument_vectors()",
    # Rows written without them between 0022 and now.
    "UPDATE terms_searchdocument SET concept_id = concept_id "
    "WHERE search_vector IS NULL OR name_vector IS NULL",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS terms_searchdocument_vectors ON terms_searchdocument",
    "DROP FUNCTION IF EXISTS terms_searchdocument_vectors()",
]


class Migration(migrations.Migration):
    dependencies = [("terms", "0022_search_vectors_written_by_the_writer")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
