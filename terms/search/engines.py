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
from django.db.models.functions import Reverse

from terms.models import Concept, Domain, SearchWord, Status


class Engine:
    # A common word is in thousands of definitions, and ranking a match reads it back:
    # `equipe strategi` took 18.6 ms at 10,000 concepts on PostgreSQL, 2,953 matches ranked.
    # Matches found in the definitions are ranked among the first this many found (in the
    # index's order): they come after every match among names anyway, which are all ranked.
    DEFINITION_POOL = 100

    def __init__(self, domain=None):
        self.domain = domain  # a domain's slug, or None for every concept

    def _in_domain(self, column):
        """SQL and parameters that keep the concepts of `self.domain` ("" and none without)."""
        if self.domain is None:
            return "", []
        members = Concept.domains.through._meta.db_table
        domains = Domain._meta.db_table
        # The domain's id first, then its members: joined by slug, PostgreSQL expected 39
        # members of 841, and looked each one up in the index of documents (8.4 ms against
        # 4.6 for `vente comp` at 10,000 concepts).
        return (
            f" AND {column} IN (SELECT m.concept_id FROM {members} m "
            f"WHERE m.domain_id = (SELECT dm.id FROM {domains} dm WHERE dm.slug = %s))",
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
        # `+rowid`: the domain's concepts are a filter on what the full-text query finds.
        # Offered to FTS5 as rowids to look up, each ran the whole query again: a search in
        # one domain took 350–540 ms at 10,000 concepts, and now as long as any other.
        in_domain, domain_parameters = self._in_domain("+f.rowid")
        pool, pool_parameters = ("", []) if names_only else self._pool(expression)
        # Ranked and cut inside the index, published read from the concept (a small row):
        # a search document keeps its labels after its long definitions, and reading them
        # for every match (2,700 for `strategie commerc` at 10,000 concepts) cost more than
        # finding and ranking the matches (14.5 ms against 7.8 ms).
        sql = (
            "SELECT d.concept_id, d.labels FROM ("
            f"SELECT f.rowid AS id, bm25(terms_search_fts, {self.WEIGHTS}) AS score "
            "FROM terms_search_fts f JOIN terms_concept c ON c.id = f.rowid "
            f"WHERE terms_search_fts MATCH %s AND c.status = %s{in_domain}{pool} "
            "ORDER BY score LIMIT %s"
            ") ranked JOIN terms_searchdocument d ON d.concept_id = ranked.id ORDER BY ranked.score"
        )
        parameters = [expression, Status.PUBLISHED, *domain_parameters, *pool_parameters, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return _with_labels(cursor.fetchall())

    def _pool(self, expression):
        """SQL and parameters keeping the matches up to the DEFINITION_POOL-th (published,
        in the domain) in rowid order, the index's own: the bound is found by reading that
        many matches, and FTS5 then ranks only the matches under it. (A `rowid IN` the pool
        ran the full-text query once per row: 90 ms.) At 10,000 concepts, 400 matches on
        average for a word and the beginning of another: 3.2–4.2 ms ranked whole, 2.3 ms."""
        in_domain, domain_parameters = self._in_domain("+p.rowid")
        return (
            " AND f.rowid <= coalesce((SELECT p.rowid FROM terms_search_fts p "
            "JOIN terms_concept pc ON pc.id = p.rowid "
            f"WHERE terms_search_fts MATCH %s AND pc.status = %s{in_domain} "
            f"ORDER BY p.rowid LIMIT 1 OFFSET %s), {2**63 - 1})",
            [expression, Status.PUBLISHED, *domain_parameters, self.DEFINITION_POOL - 1],
        )

    @classmethod
    def _clause(cls, alternatives, names_only):
        # Words are folded to [a-z0-9] before they get here, so quoting them is
        # all FTS5 needs: no operator or column name can be smuggled in.
        words, stems_columns = cls.NAME_COLUMNS if names_only else cls.ALL_COLUMNS
        options = []
        for word, stems in alternatives:
            prefix = "*" if names_only or _prefix_everywhere(word) else ""
            options.append(f'{{{words}}} : "{word}"{prefix}')
            options.extend(f'{{{stems_columns}}} : "{stem}"' for stem in sorted(stems))
        # A typo's correction often shares the word's stems: each is looked up once.
        return "(" + " OR ".join(dict.fromkeys(options)) + ")"

    def corrections(self, word):
        return _one_edit_candidates(
            SearchWord.objects.all(),
            Q(word__startswith=word[:2]) | Q(word__endswith=word[-2:]),
            word,
        )


class PostgresEngine(Engine):
    """PostgreSQL full-text search over the weighted document."""

    # Names (A), their stems (B), definitions (C) and their stems (D), stored in a column
    # with a GIN index (migration 0008), written with each document (terms/vectors.py).
    DOCUMENT = "search_vector"

    # The names (A) and their stems (B) alone, with an index of their own (migration 0017):
    # a search among names never reads a definition.
    NAMES = "name_vector"

    def match(self, clauses, limit, *, names_only=False):
        query = " & ".join(self._clause(alternatives, names_only) for alternatives in clauses)
        in_domain, domain_parameters = self._in_domain("concept_id")
        rank = "ts_rank('{{0.1, 0.2, 0.6, 1.0}}', {}, to_tsquery('simple', unaccent(%s))) DESC"
        if names_only:
            sql = (
                f"SELECT concept_id, labels FROM terms_searchdocument "
                f"WHERE is_published AND {self.NAMES} @@ to_tsquery('simple', unaccent(%s))"
                f"{in_domain} ORDER BY {rank.format(self.NAMES)} LIMIT %s"
            )
            parameters = [query, *domain_parameters, query, limit]
        else:
            # Materialized, the matches are found through the index alone; the pool is then
            # read by primary key (a LIMIT inside would make the planner scan every row).
            # Ranking reads each match's whole vector back; the pool is read lazily, so it
            # bounds the index's rechecks too: `vente comp` (3,309 matches at 10,000
            # concepts) took 7.5 ms with a pool of 300, 3.6 ms with 100.
            sql = (
                f"WITH matching AS MATERIALIZED (SELECT concept_id FROM terms_searchdocument "
                f"WHERE is_published AND {self.DOCUMENT} @@ to_tsquery('simple', unaccent(%s))"
                f"{in_domain}) "
                f"SELECT concept_id, labels FROM terms_searchdocument WHERE concept_id IN "
                f"(SELECT concept_id FROM matching LIMIT %s) "
                f"ORDER BY {rank.format(self.DOCUMENT)} LIMIT %s"
            )
            parameters = [query, *domain_parameters, self.DEFINITION_POOL, query, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return _with_labels(cursor.fetchall())

    @staticmethod
    def _clause(alternatives, names_only):
        options = []
        for word, stems in alternatives:
            options.append(f"{word}:*" if names_only or _prefix_everywhere(word) else word)
            options.extend(sorted(stems))
        return "(" + " | ".join(dict.fromkeys(options)) + ")"

    def corrections(self, word):
        # Both beginnings and ends found through an index (migration 0024): a word's end is
        # the beginning of the word reversed. Trigrams, used before, missed two letters
        # swapped in a short word (`vetne`: 2 trigrams of 10 in common with `vente`).
        return _one_edit_candidates(
            SearchWord.objects.alias(backwards=Reverse("word")),
            Q(word__startswith=word[:2]) | Q(backwards__startswith=word[::-1][:2]),
            word,
        )


def _one_edit_candidates(words, starts_or_ends_like, word):
    """The vocabulary words that may be `word` with one typo. One edit keeps either the
    first two or the last two letters of a word of five letters or more, and changes its
    length by at most one: `starts_or_ends_like` is that test on `word`, as the engine
    finds it fastest."""
    return list(
        words.filter(length__range=(len(word) - 1, len(word) + 1))
        .filter(starts_or_ends_like)
        .values_list("word", flat=True)
    )


# A word still being typed is looked for as the beginning of a word in names, and in
# definitions once it has this many letters: `pipeline ne` would otherwise find every
# definition with "pipeline" and any word in ne… (nearly all of them), and rank them all.
MIN_PREFIX_IN_DEFINITIONS = 3


def _prefix_everywhere(word):
    return len(word) >= MIN_PREFIX_IN_DEFINITIONS


def _with_labels(rows):
    return [(concept_id, json_value(labels)) for concept_id, labels in rows]


def json_value(value):
    """A JSON column's value read by a raw cursor: Django has both drivers hand JSON over
    as text, for its JSONField to decode."""
    return json.loads(value) if isinstance(value, str) else value


def current_engine(domain=None):
    engine = PostgresEngine if connection.vendor == "postgresql" else SQLiteEngine
    return engine(domain)
