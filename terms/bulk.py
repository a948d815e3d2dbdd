"""Writing many rows with one prepared statement: INSERT, UPDATE and DELETE.

`bulk_create` compiles a multi-row INSERT for every batch and prepares every
value through its field: for the ~200,000 index, mention and search rows of a
10,000-concept import that costs more than the rest of the import together, and
its batches (999 parameters on SQLite) make the number of queries grow with the
rows. The writer (terms/writer.py) records history and derived rows itself, with
no signals and no primary keys needed back, so one `executemany` of a prepared
statement is enough: several times faster on SQLite, and one query whatever the number
of rows. PostgreSQL takes new rows through COPY, faster still.
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


def _prepared(fields, rows):
    """`rows` with each value as the database driver takes it (JSON, dates…)."""
    preparers = [
        None if field.get_internal_type() in PLAIN_TYPES else _preparer(field) for field in fields
    ]
    if not any(preparers):
        return rows
    return [
        tuple(
            value if prepare is None else prepare(value)
            for value, prepare in zip(row, preparers, strict=True)
        )
        for row in rows
    ]


def _preparer(field):
    """The field's preparation of a value, remembering the last one: the dates of a write
    are all the same moment, and preparing one costs more than the statement's share."""
    last = [object(), None]

    def prepare(value):
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return prepare


def insert_rows(model, field_names, rows, *, ignore_conflicts=False):
    """INSERT `rows` (tuples of values in `field_names` order) into `model`'s table."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    rows = _prepared(fields, rows)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    if connection.vendor == "postgresql" and not ignore_conflicts:
        # COPY streams the rows in one go: executemany sends them one statement at a
        # time, even pipelined, and took 40 % of a 10,000-concept import.
        with connection.cursor() as cursor:
            statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        return
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
        cursor.executemany(sql, rows)


def update_rows(model, field_names, rows):
    """UPDATE `model`'s rows: each of `rows` is (values in `field_names` order…, pk)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    rows = _prepared([*fields, model._meta.pk], rows)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def delete_rows(model, field_name, values):
    """DELETE the rows of `model` whose `field_name` is one of `values`: no signals, no
    cascade (the writer deletes what depends on them itself, and records the history)."""
    values = list(values)
    if not values:
        return
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(field_name).column)
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE {column} IN ({placeholders})",
            values,
        )
