"""Wordings to avoid, notes, sources and domains as the writer keeps them: spreadsheets in and
out, files of the old layout, domains made by an import, the index, history and restore."""

import pytest

from terms import history
from terms.interchange.service import export_file, read_records
from terms.models import Concept, ConceptText, Domain, IndexEntry
from terms.records import load_records
from terms.writer import import_file, restore
from tests.conftest import make_concept

FULL = (
    "slug,status,domains,term_fr,deprecated_fr,definition_fr,note_fr,source_fr,term_en,"
    "deprecated_en,note_en\n"
    "vente-sedentaire,published,ways-of-selling | roles,Vente sédentaire,"
    "Vente interne | Télévente,La vente à distance.,Ne dites pas « vente interne ».,"
    "https://example.com/playbook-2025,Inside sales,Indoor sales,Say inside sales.\n"
).encode()


def texts(slug):
    return {t.language: t for t in ConceptText.objects.filter(concept__slug=slug)}


@pytest.mark.django_db
def test_an_import_keeps_every_new_field_and_creates_the_domains_it_names():
    preview = import_file(FULL, file_name="x.csv", dry_run=True)
    assert preview.ok, preview.problems
    assert preview.new_domains == ["roles", "ways-of-selling"]
    assert Domain.objects.count() == 0
    assert import_file(FULL, file_name="x.csv").ok
    fr = texts("vente-sedentaire")["fr"]
    assert fr.deprecated == ["Vente interne", "Télévente"]
    assert fr.note == "Ne dites pas « vente interne »."
    assert fr.source == "https://example.com/playbook-2025"
    assert texts("vente-sedentaire")["en"].deprecated == ["Indoor sales"]
    concept = Concept.objects.get(slug="vente-sedentaire")
    assert sorted(concept.domains.values_list("slug", flat=True)) == ["roles", "ways-of-selling"]
    # Named after their slug until an editor names them.
    assert Domain.objects.get(slug="ways-of-selling").names == {"fr": "Ways of selling"}


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_every_new_field_round_trips_through_each_spreadsheet_format(file_format):
    assert import_file(FULL, file_name="x.csv").ok
    before = load_records(Concept.objects.values_list("pk", flat=True))
    data = export_file(file_format)
    records = read_records(data, file_name=f"glossary.{file_format}")
    assert [r.fields() for r in records] == [r.fields() for r in before.values()]
    again = import_file(data, file_name=f"glossary.{file_format}")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)


@pytest.mark.django_db
def test_a_file_in_the_old_layout_leaves_the_new_fields_alone():
    assert import_file(FULL, file_name="x.csv").ok
    old = b"slug,term_fr,definition_fr\nvente-sedentaire,Vente sedentaire,Autre.\n"
    report = import_file(old, file_name="old.csv")
    assert report.ok and report.updated == 1
    fr = texts("vente-sedentaire")["fr"]
    assert (fr.term, fr.definition) == ("Vente sedentaire", "Autre.")
    assert fr.deprecated == ["Vente interne", "Télévente"]
    assert fr.note and fr.source
    assert Concept.objects.get(slug="vente-sedentaire").domains.count() == 2


@pytest.mark.django_db
def test_an_invalid_domain_slug_is_a_sentence_and_writes_nothing():
    report = import_file("slug,term_fr,domains\na,A,Les rôles\n".encode(), file_name="x.csv")
    assert report.problems == [
        "Row 2, column domains: Invalid domain slug(s) 'Les rôles': use letters, digits, "
        "hyphens and underscores, separated by |."
    ]
    assert not Domain.objects.exists() and not Concept.objects.exists()


@pytest.mark.django_db
def test_a_wording_to_avoid_is_an_index_entry_of_its_own():
    assert import_file(FULL, file_name="x.csv").ok
    entries = IndexEntry.objects.filter(concept__slug="vente-sedentaire", language="fr")
    assert sorted(entries.values_list("kind", "text", "label")) == [
        ("deprecated", "Télévente", "Vente sédentaire"),
        ("deprecated", "Vente interne", "Vente sédentaire"),
        ("term", "Vente sédentaire", "Vente sédentaire"),
    ]


@pytest.mark.django_db
def test_history_keeps_domains_and_new_fields_and_restores_them():
    assert import_file(FULL, file_name="x.csv").ok
    concept_id = Concept.objects.get(slug="vente-sedentaire").pk
    first = history.versions(concept_id)[0].history
    changed = b"slug,domains,note_fr\nvente-sedentaire,roles,\n"
    assert import_file(changed, file_name="y.csv").ok
    latest = history.versions(concept_id)[0]
    assert latest.concept.domains == ("roles",)
    assert {name for name, _old, _new in latest.changes} == {"domains", "note_fr"}
    restore(first)
    record = load_records([concept_id])[concept_id]
    assert record.domains == ("roles", "ways-of-selling")
    assert record.content("fr").note == "Ne dites pas « vente interne »."


@pytest.mark.django_db
def test_a_concept_made_without_the_new_fields_has_them_empty():
    concept = make_concept("churn", fr="Attrition", en="Churn")
    record = load_records([concept.pk])[concept.pk]
    assert record.domains == ()
    assert record.content("fr").deprecated == () and record.content("fr").note == ""
