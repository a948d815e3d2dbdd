"""Big imports derive their rows on two cores, with the garbage collector paused: the
glossary they write is the one a single core writes, and a failing child changes nothing."""

import gc
import os

import pytest

from terms import collector, halves
from terms.models import Concept, ConceptText, IndexEntry, SearchDocument
from terms.writer import import_file
from tests.test_scale import glossary_csv


def squares_and_pids(numbers, letters):
    return [n * n for n in numbers], [letter.upper() for letter in letters], os.getpid()


def test_each_half_is_computed_once_the_second_in_another_process():
    numbers, letters = list(range(3000)), list("abcdef")
    first, second = halves.in_two(squares_and_pids, numbers, letters)
    assert first[0] + second[0] == [n * n for n in numbers]
    assert first[1] + second[1] == list("ABCDEF")
    assert first[2] == os.getpid()
    assert second[2] != os.getpid()


def test_small_work_stays_in_this_process():
    first, second = halves.in_two(squares_and_pids, [1, 2, 3], ["a"])
    assert (first[0], first[1], second[0], second[1]) == ([1, 4, 9], ["A"], [], [])
    assert first[2] == second[2] == os.getpid()


def test_a_child_that_fails_leaves_the_work_to_the_parent():
    parent = os.getpid()

    def fails_in_the_child(numbers):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return sum(numbers)

    assert halves.in_two(fails_in_the_child, list(range(4000))) == [
        sum(range(2000)),
        sum(range(2000, 4000)),
    ]


def test_the_collector_is_paused_only_while_the_work_runs():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner pause leaves the outer one alone
    assert gc.isenabled()
    with pytest.raises(ValueError), collector.paused():
        raise ValueError
    assert gc.isenabled()


def derived_rows():
    return (
        sorted(IndexEntry.objects.values_list("concept__slug", "language", "kind", "text")),
        sorted(
            SearchDocument.objects.values_list("concept__slug", "names", "body_stems", "labels")
        ),
        sorted(ConceptText.objects.values_list("concept__slug", "language", "definition_links")),
        sorted(Concept.mentions.through.objects.values_list("from_concept", "to_concept")),
    )


def slugged(rows, ids):
    """Mention rows by slug: the two imports give the concepts different ids."""
    index, documents, links, mentions = rows
    links = [(slug, language, [[start, end, ids[target]] for start, end, target in spans])
             for slug, language, spans in links]  # fmt: skip
    return index, documents, links, sorted((ids[a], ids[b]) for a, b in mentions)


@pytest.mark.django_db
def test_an_import_on_two_cores_writes_what_one_core_writes(monkeypatch):
    data = glossary_csv(0, 2500)  # 5,000 definitions: above halves.MIN_ITEMS
    report = import_file(data, file_name="glossary.csv")
    assert report.ok, report.problems
    assert gc.isenabled()
    on_two = slugged(derived_rows(), dict(Concept.objects.values_list("id", "slug")))

    Concept.objects.all().delete()
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    report = import_file(data, file_name="glossary.csv")
    assert report.ok, report.problems
    on_one = slugged(derived_rows(), dict(Concept.objects.values_list("id", "slug")))

    assert on_two == on_one
    index, _documents, links, mentions = on_two
    assert len(index) == 10_000 and len(mentions) > 2500
    assert any(spans for _slug, _language, spans in links)
