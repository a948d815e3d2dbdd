"""The two search engines behind one interface, chosen from the database in use.

Each engine answers two questions over published search documents:
- `match(clauses, limit)`: (concept id, labels of its names) where every clause
  matches, best first; a clause is a list of alternatives for one query word,
  each (word, stems). The labels come along so that ranking needs no other query.
- `corrections(word)`: vocabulary words that may be `word` with a typo.

An engine made for one domain (`current_engine(domain=slug)`) matches only the
concepts of that domain; corrections still come from the whole vocabulary.
"""

import json

from django.db import connection
from django.db.models import Q

from terms.models import Concept, Domain, SearchWord


class Engine:
    def __init__(self, domain=None):
        self.domain = domain  # a domain's slug, or None for every concept

    def _in_domain(self, column):
        """SQL and parameters that keep the concepts of `self.domain` ("" and none without)."""
        if self.domain is None:
            return "", []
        members = Concept.domains.through._meta.db_table
        domains = Domain._meta.db_table
        return (
            f" AND {column} IN (SELECT m.concept_id FROM {members} m "
            f"JOIN {domains} dm ON dm.id = m.domain_id WHERE dm.slug = %s)",
            [self.domain],
        )


class SQLiteEngine(Engine):
    """FTS5 (table terms_search_fts, kept in step by triggers), ranked by bm25."""

    # bm25 weights of names, name_stems, body, body_stems.
    WEIGHTS = "10.0, 6.0, 1.0, 1.0"
    # (columns matched by word prefix, columns matched by stem)
    NAME_COLUMNS = ("names", "name_stems")
    ALL_COLUMNS = ("names body", "name_stems body_stems")

    def match(self, clauses, limit, *, names_only=False):
        expression = " AND ".join(
            self._clause(alternatives, names_only) for alternatives in clauses
        )
        in_domain, domain_parameters = self._in_domain("d.concept_id")
        sql = (
            "SELECT d.concept_id, d.labels FROM terms_search_fts f "
            "JOIN terms_searchdocument d ON d.concept_id = f.rowid "
            f"WHERE terms_search_fts MATCH %s AND d.is_published{in_domain} "
            f"ORDER BY bm25(terms_search_fts, {self.WEIGHTS}) LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *domain_parameters, limit])
            return _with_labels(cursor.fetchall())

    @classmethod
    def _clause(cls, alternatives, names_only):
        # Words are folded to [a-z0-9] before they get here, so quoting them is
        # all FTS5 needs: no operator or column name can be smuggled in.
        words, stems_columns = cls.NAME_COLUMNS if names_only else cls.ALL_COLUMNS
        options = []
        for word, stems in alternatives:
            options.append(f'{{{words}}} : "{word}"*')
            options.extend(f'{{{stems_columns}}} : "{stem}"' for stem in sorted(stems))
        return "(" + " OR ".join(options) + ")"

    def corrections(self, word):
        # One edit keeps either the first two or the last two letters of a word of
        # five letters or more, and changes its length by at most one.
        return list(
            SearchWord.objects.filter(length__range=(len(word) - 1, len(word) + 1))
            .filter(Q(word__startswith=word[:2]) | Q(word__endswith=word[-2:]))
            .values_list("word", flat=True)
        )


class PostgresEngine(Engine):
    """PostgreSQL full-text search over the weighted document, trigrams for typos."""

    # Names (A), their stems (B), definitions (C) and their stems (D), stored by
    # migration 0008 as a generated column with a GIN index.
    DOCUMENT = "search_vector"

    # The names (A) and their stems (B) alone, with an index of their own (migration 0017):
    # a search among names never reads a definition.
    NAMES = "name_vector"

    def match(self, clauses, limit, *, names_only=False):
        query = " & ".join(self._clause(alternatives) for alternatives in clauses)
        in_domain, domain_parameters = self._in_domain("concept_id")
        document = self.NAMES if names_only else self.DOCUMENT
        sql = (
            f"SELECT concept_id, labels FROM terms_searchdocument "
            f"WHERE is_published AND ({document}) @@ to_tsquery('simple', unaccent(%s))"
            f"{in_domain} "
            f"ORDER BY ts_rank('{{0.1, 0.2, 0.6, 1.0}}', {document}, "
            f"to_tsquery('simple', unaccent(%s))) DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, *domain_parameters, query, limit])
            return _with_labels(cursor.fetchall())

    @staticmethod
    def _clause(alternatives):
        options = []
        for word, stems in alternatives:
            options.append(f"{word}:*")
            options.extend(sorted(stems))
        return "(" + " | ".join(options) + ")"

    def corrections(self, word):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM terms_searchword WHERE word %% %s AND length BETWEEN %s AND %s",
                [word, len(word) - 1, len(word) + 1],
            )
            return [row[0] for row in cursor.fetchall()]


def _with_labels(rows):
    # Django has both drivers hand JSON over as text, for its JSONField to decode.
    return [
        (concept_id, json.loads(labels) if isinstance(labels, str) else labels)
        for concept_id, labels in rows
    ]


def current_engine(domain=None):
    engine = PostgresEngine if connection.vendor == "postgresql" else SQLiteEngine
    return engine(domain)
