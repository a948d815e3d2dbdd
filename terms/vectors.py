"""PostgreSQL's search vectors: computed by PostgreSQL, written by the writer.

`search_vector` and `name_vector` (migrations 0008 and 0017) were generated columns,
computed row by row as the import's one transaction wrote its search documents: for
10,000 long definitions, `to_tsvector` over 35 MB of text took 3 s of that transaction,
on one core, while the other waited. Plain columns since migration 0022, they are filled
with the same expressions by `insert`, and, for an import of thousands of concepts, by a
second connection on the other core while the transaction writes texts, history and
mentions (`Ahead`): that connection computes every vector into a table of its own, which
the transaction then copies and drops.

A transaction that fails after the second connection made its table leaves that table
behind (unlogged, invisible to readers): the next import drops it. Imports run one at a
time (the writer's import lock), so any such table an import finds is a leftover.
"""

import json
import logging
import os
import threading
import uuid

from django.db import DatabaseError, connection, transaction

from terms.bulk import prepared_for_copy, tidy_after_commit

logger = logging.getLogger(__name__)

TABLE = "terms_searchdocument"
DOCUMENT_VECTOR = (
    "setweight(to_tsvector('simple', names), 'A') || "
    "setweight(to_tsvector('simple', name_stems), 'B') || "
    "setweight(to_tsvector('simple', body), 'C') || "
    "setweight(to_tsvector('simple', body_stems), 'D')"
)
NAME_VECTOR = (
    "setweight(to_tsvector('simple', names), 'A') || "
    "setweight(to_tsvector('simple', name_stems), 'B')"
)
# (column, type) of a search document as the writer gives it, in order.
COLUMNS = [
    ("concept_id", "bigint"),
    ("is_published", "boolean"),
    ("names", "text"),
    ("name_stems", "text"),
    ("body", "text"),
    ("body_stems", "text"),
    ("labels", "jsonb"),
]
COLUMN_NAMES = [name for name, _type in COLUMNS]
RECORD = ", ".join(f"{name} {type_}" for name, type_ in COLUMNS)  # the columns' definitions
VECTORS = ["search_vector", "name_vector"]
STAGING_PREFIX = "terms_vectors_"
# Below this many documents the second connection costs more than it saves.
AHEAD_MIN = 2000
LEFTOVER_LOCK_TIMEOUT = "200ms"
# Documents per statement of `insert`: a few MB of JSON even for long definitions.
INSERT_BATCH = 2000


def _names(columns):
    return ", ".join(columns)


def insert(rows):
    """Insert search documents (`rows` in COLUMNS order) with their vectors, in the current
    transaction: a statement per INSERT_BATCH rows, each batch one JSON parameter (a JSONB
    value stops at 256 MB: 100,000 documents in one would not pass)."""
    if not rows:
        return
    tidy_after_commit(TABLE, len(rows))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            data = [dict(zip(COLUMN_NAMES, row, strict=True)) for row in batch]
            cursor.execute(
                f"INSERT INTO {TABLE} ({_names(COLUMN_NAMES + VECTORS)}) "
                f"SELECT {_names(COLUMN_NAMES)}, {DOCUMENT_VECTOR}, {NAME_VECTOR} "
                f"FROM jsonb_to_recordset(%s::jsonb) AS document({RECORD})",
                [json.dumps(data, ensure_ascii=False)],
            )


class Ahead:
    """The vectors of many search documents, computed on a second connection from the
    moment their concepts have ids; `insert` then writes the documents in the current
    transaction, with those vectors if they are ready and right, else computing them."""

    def __init__(self, rows):
        self.rows = rows
        self.staging = f"{STAGING_PREFIX}{uuid.uuid4().hex}"
        self.error = None
        self.thread = threading.Thread(target=self._compute, name="search-vectors", daemon=True)
        self.thread.start()

    @classmethod
    def worth_it(cls, count):
        """Whether `count` documents are worth a second connection here."""
        return (
            connection.vendor == "postgresql" and count >= AHEAD_MIN and (os.cpu_count() or 1) >= 2
        )

    def _compute(self):
        # Another thread, so another connection (Django's are per thread), in autocommit:
        # the table it makes is there for the import's transaction to read.
        from django.db import connection as own

        try:
            with own.cursor() as cursor:
                _drop_leftovers(cursor)
                vectors = (
                    f"search_vector tsvector GENERATED ALWAYS AS ({DOCUMENT_VECTOR}) STORED, "
                    f"name_vector tsvector GENERATED ALWAYS AS ({NAME_VECTOR}) STORED"
                )
                cursor.execute(f"CREATE UNLOGGED TABLE {self.staging} ({RECORD}, {vectors})")
                with cursor.cursor.copy(
                    f"COPY {self.staging} ({_names(COLUMN_NAMES)}) FROM STDIN"
                ) as copy:
                    for row in prepared_for_copy(self.rows, json_positions=[len(COLUMNS) - 1]):
                        copy.write_row(row)
        except Exception as error:  # whatever it is, the writer computes the vectors itself
            self.error = error
        finally:
            own.close()

    def insert(self):
        """Write the documents: copied with their vectors from the second connection's table
        (then dropped with the transaction), or, if that connection failed, computed here."""
        self.thread.join()
        if self.error is not None:
            logger.warning("Search vectors computed in the import instead: %s", self.error)
            insert(self.rows)
            return
        names = _names(COLUMN_NAMES + VECTORS)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {TABLE} ({names}) SELECT {names} FROM {self.staging}")
                if cursor.rowcount != len(self.rows):
                    raise DatabaseError(f"{cursor.rowcount} rows of {len(self.rows)} ready")
                cursor.execute(f"DROP TABLE {self.staging}")
        except DatabaseError as error:  # rolled back to before the copy: computed here
            logger.warning("Search vectors computed in the import instead: %s", error)
            insert(self.rows)
            return
        tidy_after_commit(TABLE, len(self.rows))

    def close(self):
        """Wait for the second connection (a write that failed must not leave it running)."""
        self.thread.join()


def _drop_leftovers(cursor):
    """Drop what imports that failed left; one that is still locked (a transaction that
    has not ended yet holds it: in a test, the one around every import) is left for later,
    never waited for: that transaction may be waiting for this very connection."""
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE %s",
        [STAGING_PREFIX.replace("_", r"\_") + "%"],
    )
    leftovers = [table for (table,) in cursor.fetchall()]
    cursor.execute(f"SET lock_timeout = '{LEFTOVER_LOCK_TIMEOUT}'")
    for table in leftovers:
        try:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
        except DatabaseError:  # its lock not granted in time, or another role's table
            continue
    cursor.execute("RESET lock_timeout")
