"""Inserting many derived rows with one prepared statement.

`bulk_create` compiles a multi-row INSERT for every batch and prepares every
value through its field: for the ~200,000 index, mention and search rows of a
10,000-concept import that costs more than the rest of the import together.
These rows are derived (rebuilt from the texts, never edited), carry no signals
or history, and need no primary keys back, so one `executemany` of a prepared
INSERT is enough and several times faster on SQLite and PostgreSQL alike.
"""

from django.db import connection

# Field types whose Python values the database drivers take as they are.
PLAIN_TYPES = {
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveSmallIntegerField",
    "SlugField",
    "TextField",
}
ROWS_PER_CALL = 5000


def insert_rows(model, field_names, rows, *, ignore_conflicts=False):
    """INSERT `rows` (tuples of values in `field_names` order) into `model`'s table."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    preparers = [
        None if field.get_internal_type() in PLAIN_TYPES else field.get_db_prep_save
        for field in fields
    ]
    if any(preparers):
        rows = [
            tuple(
                value if prepare is None else prepare(value, connection)
                for value, prepare in zip(row, preparers, strict=True)
            )
            for row in rows
        ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    verb = "INSERT"
    suffix = ""
    if ignore_conflicts:
        if connection.vendor == "sqlite":
            verb = "INSERT OR IGNORE"
        else:
            suffix = " ON CONFLICT DO NOTHING"
    sql = f"{verb} INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders}){suffix}"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_CALL):
            cursor.executemany(sql, rows[start : start + ROWS_PER_CALL])
