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

import json
import logging

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

# PostgreSQL takes new entries of a GIN index into a pending list, merged only when
# autovacuum comes by, and every search reads the whole list meanwhile: after a
# 10,000-concept import, each search among names read 361 pending pages (4.3 ms instead
# of 0.3). Its planner also goes by statistics only ANALYZE gathers. So after a bulk
# write of that size commits, the tables it wrote get both at once.
TIDY_AFTER_ROWS = 1000

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


def _prepared(fields, rows, *, copy=False):
    """`rows` with each value as the database driver takes it (JSON, dates…). `copy`: for
    PostgreSQL's COPY, which takes JSON as text."""
    preparers = [
        (position, _preparer(field, copy))
        for position, field in enumerate(fields)
        if field.get_internal_type() not in PLAIN_TYPES
    ]
    if not preparers:
        return rows
    prepared = []
    for row in rows:
        row = list(row)
        for position, prepare in preparers:
            row[position] = prepare(row[position])
        prepared.append(row)
    return prepared


def _preparer(field, copy=False):
    """The field's preparation of a value, remembering the last one: the dates of a write
    are all the same moment, and preparing one costs more than the statement's share."""
    plain_json = field.get_internal_type() == "JSONField" and field.encoder is None
    if plain_json and (copy or connection.vendor == "sqlite"):
        # What the field and the backend do with a JSON value, without their four calls
        # for each of the 180,000 of a 10,000-concept import.
        return _json_text
    last = [object(), None]

    def prepare(value):
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return prepare


def _json_text(value):
    return None if value is None else json.dumps(value)


def insert_rows(model, field_names, rows, *, ignore_conflicts=False, triggered=False):
    """INSERT `rows` (tuples of values in `field_names` order) into `model`'s table.
    `triggered`: the table's inserts fire a trigger (SQLite's search index), run best once
    for all the rows (see _insert_in_one_statement)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    copy = connection.vendor == "postgresql" and not ignore_conflicts
    rows = _prepared(fields, rows, copy=copy)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    _tidy_after_commit(model, len(rows))
    if copy:
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
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if triggered and connection.vendor == "sqlite":
            _insert_in_one_statement(cursor, verb, table, columns, placeholders, rows)
        else:
            cursor.executemany(
                f"{verb} INTO {table} ({columns}) VALUES ({placeholders}){suffix}", rows
            )


def _insert_in_one_statement(cursor, verb, table, columns, placeholders, rows):
    """Rows staged in a temporary table, then copied by one INSERT … SELECT. FTS5, fed by a
    trigger, writes what it gathered at the end of each statement that fed it: one row per
    statement made a segment per row, to merge again and again (3.5 s for the search
    documents of 10,000 long definitions, against 1.8 s in one statement)."""
    staging = f"temp.{connection.ops.quote_name('bulk_staging')}"
    cursor.execute(f"DROP TABLE IF EXISTS {staging}")
    cursor.execute(f"CREATE TABLE {staging} AS SELECT {columns} FROM {table} WHERE 0")
    cursor.executemany(f"INSERT INTO {staging} ({columns}) VALUES ({placeholders})", rows)
    cursor.execute(f"{verb} INTO {table} ({columns}) SELECT {columns} FROM {staging}")
    cursor.execute(f"DROP TABLE {staging}")


def update_rows(model, field_names, rows):
    """UPDATE `model`'s rows: each of `rows` is (values in `field_names` order…, pk)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    rows = _prepared([*fields, model._meta.pk], rows)
    _tidy_after_commit(model, len(rows))
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


def _tidy_after_commit(model, count):
    tidy_after_commit(model._meta.db_table, count)


def tidy_after_commit(table, count):
    """Once the transaction commits, tidy `table` (`tidy_table`) if `count` rows were written."""
    if connection.vendor == "postgresql" and count >= TIDY_AFTER_ROWS:
        transaction.on_commit(lambda: tidy_table(table))


def prepared_for_copy(rows, *, json_positions):
    """`rows` for PostgreSQL's COPY: the values at `json_positions` as JSON text."""
    for row in rows:
        row = list(row)
        for position in json_positions:
            row[position] = _json_text(row[position])
        yield row


def tidy_table(table):
    """Merge the pending entries of `table`'s GIN indexes and ANALYZE it (PostgreSQL)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
                "WHERE i.indrelid = %s::regclass AND am.amname = 'gin'",
                [table],
            )
            for (index,) in cursor.fetchall():
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    except DatabaseError as error:
        # What was written is committed and right; only searches are slower until
        # autovacuum comes by.
        logger.warning("Could not tidy the table %s after a bulk write: %s", table, error)
