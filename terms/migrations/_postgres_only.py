"""SQL that only PostgreSQL runs, for the migrations that give it what SQLite's FTS5 tables
already have. The leading underscore keeps Django's migration loader from taking this
module for a migration."""


def on_postgresql(statements):
    """A RunPython function executing `statements` on PostgreSQL, and nothing elsewhere."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply
