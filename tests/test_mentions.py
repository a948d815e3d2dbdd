"""Mentions: definitions link the concepts they name, computed when a concept changes."""

import importlib

import pytest
from django.test import Client

from terms.mentions import paragraphs_of
from terms.models import Concept, ConceptText, Status
from terms.text import MentionMatcher, segments_of
from tests.conftest import make_concept

NAMES = [
    ("SDR", "sdr", True),
    ("AE", "ae", True),
    ("Chargé·e de compte", "ae", False),
    ("Réussite client", "cs", False),
    ("Responsable de la réussite client", "csm", False),
    ("CS", "cs", True),
]


def linked(text, exclude=None, first_only=True):
    segments = MentionMatcher(NAMES).segments(text, exclude=exclude, first_only=first_only)
    assert "".join(piece for piece, _ in segments) == text, "no character is lost"
    return [(piece, target) for piece, target in segments if target]


def test_a_definition_stores_where_its_links_are_and_is_cut_there_again():
    matcher = MentionMatcher(NAMES)
    text = "Le SDR passe la main à l’AE, puis l’AE à la Réussite client."
    spans = matcher.spans(text)
    assert spans == [[3, 6, "sdr"], [25, 27, "ae"], [44, 59, "cs"]]
    assert segments_of(text, spans) == matcher.segments(text)
    assert [text[start:end] for start, end, _target in spans] == ["SDR", "AE", "Réussite client"]
    assert segments_of(text, []) == [[text, None]]
    assert segments_of("", []) == []
    # Pieces as stored before migration 0021 (an older server, during an upgrade).
    assert segments_of(text, matcher.segments(text)) == matcher.segments(text)


def test_acronyms_match_whole_words_and_case_sensitively():
    assert linked("Les AE et les SDR") == [("AE", "ae"), ("SDR", "sdr")]
    assert linked("AEs, ae, CAE, AE2") == []
    assert linked("l’AE") == [("AE", "ae")]


def test_terms_match_ignoring_case_accents_and_middle_dot():
    assert linked("la reussite client") == [("reussite client", "cs")]
    assert linked("une chargée de compte") == [("chargée de compte", "ae")]


def test_the_longest_wording_wins():
    assert linked("le responsable de la réussite client") == [
        ("responsable de la réussite client", "csm")
    ]


def test_a_page_never_links_to_itself_nor_to_a_part_of_its_own_name():
    assert linked("Responsable de la réussite client", exclude="csm") == []
    assert linked("Le SDR, le SDR", exclude="sdr") == []


def test_each_concept_is_linked_at_its_first_mention_only():
    assert linked("AE puis AE") == [("AE", "ae")]
    assert linked("AE puis AE", first_only=False) == [("AE", "ae"), ("AE", "ae")]


def test_paragraphs_keep_links_and_split_at_blank_lines():
    segments = [["Un ", None], ["AE", "ae"], [" ici.\n\nDeux\nlignes.", None]]
    assert paragraphs_of(segments) == [
        [("Un ", None), ("AE", "ae"), (" ici.", None)],
        [("Deux\nlignes.", None)],
    ]


@pytest.mark.django_db
def test_seed_adr_definition_links_sdr_and_isr_links_mdr_and_ae(seed):
    body = Client().get("/fr/terms/chargee-du-developpement-de-compte/").content.decode()
    assert (
        '<a class="mention" href="/fr/terms/chargee-du-developpement-des-ventes/">SDR</a>' in body
    )
    body = Client().get("/fr/terms/representante-sedentaire/").content.decode()
    assert '<a class="mention" href="/fr/terms/chargee-de-developpement-de-marche/">MDR</a>' in body
    assert '<a class="mention" href="/fr/terms/chargee-de-compte/">AE</a>' in body
    assert 'href="/fr/terms/representante-sedentaire/">ISR' not in body


@pytest.mark.django_db
def test_term_page_lists_the_concepts_that_mention_it(seed):
    sdr = Concept.objects.get(slug="chargee-du-developpement-des-ventes")
    assert "chargee-du-developpement-de-compte" in set(
        sdr.mentioned_in.values_list("slug", flat=True)
    )
    body = Client().get("/fr/terms/chargee-du-developpement-des-ventes/").content.decode()
    assert "Mentionné dans" in body
    assert (
        'href="/fr/terms/chargee-du-developpement-de-compte/">Chargé·e du développement de compte'
        in body
    )


@pytest.mark.django_db
def test_a_new_concept_links_existing_definitions_that_name_it(seed):
    from terms.writer import import_file

    report = import_file(
        b"slug,term_fr,acronyms_en\nprospection,Prospection,PRS\n", file_name="x.csv"
    )
    assert report.ok
    adr = Concept.objects.get(slug="chargee-du-developpement-de-compte")
    assert adr.mentions.filter(slug="prospection").exists()


@pytest.mark.django_db
def test_links_to_drafts_are_not_shown_to_readers(seed):
    Concept.objects.filter(slug="chargee-du-developpement-des-ventes").update(status=Status.DRAFT)
    body = Client().get("/fr/terms/chargee-du-developpement-de-compte/").content.decode()
    assert "chargee-du-developpement-des-ventes" not in body
    assert "Rôle de SDR hautement spécialisé" in body


@pytest.mark.django_db
def test_definition_text_is_escaped_even_around_links():
    make_concept("ae", fr="Chargé·e de compte", acronyms_fr=["AE"])
    make_concept("x", fr="Piège", definition_fr="<script>alert(1)</script> AE <b>gras</b>")
    body = Client().get("/fr/terms/x/").content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    assert 'href="/fr/terms/ae/">AE</a>' in body


@pytest.mark.django_db
def test_deleting_a_concept_removes_its_links(seed, editor):
    client = Client()
    client.force_login(editor)
    sdr = Concept.objects.get(slug="chargee-du-developpement-des-ventes")
    response = client.post(f"/admin/terms/concept/{sdr.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    adr_text = ConceptText.objects.get(
        concept__slug="chargee-du-developpement-de-compte", language="fr"
    )
    segments = segments_of(adr_text.definition, adr_text.definition_links)
    assert all(target is None for piece, target in segments if piece == "SDR")
    # No foreign key guards these rows in the database: the writer deletes them itself.
    mentions = Concept.mentions.through.objects
    assert not mentions.filter(from_concept_id=sdr.pk).exists()
    assert not mentions.filter(to_concept_id=sdr.pk).exists()
    assert mentions.filter(to_concept__slug="chargee-de-compte").exists()


@pytest.mark.django_db
def test_a_concept_mentioned_everywhere_lists_the_first_forty_and_counts_the_rest():
    make_concept("pivot", fr="Pivot")
    for number in range(45):
        make_concept(f"c{number:02d}", fr=f"Concept {number:02d}", definition_fr="Un pivot.")
    body = Client().get("/fr/terms/pivot/").content.decode()
    assert body.count('href="/fr/terms/c') == 40
    assert 'href="/fr/terms/c00/">Concept 00' in body and "c44" not in body
    assert "et 5 autres concepts" in body


# -- ordinary words ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_ordinary_word_that_is_a_variant_links_only_as_the_variant_writes_it(seed):
    # The seed's *Démo/Découverte* has the variants « Démo » and « Découverte »; the AE's
    # definition speaks of "appels de découverte", an ordinary use of the word.
    body = Client().get("/fr/terms/chargee-de-compte/").content.decode()
    assert "appels de découverte" in body
    assert 'href="/fr/terms/demo-decouverte/"' not in body
    demo = Concept.objects.get(slug="demo-decouverte")
    assert "chargee-de-compte" not in set(demo.mentioned_in.values_list("slug", flat=True))
    # Written as the variant is, capital included, it is the concept.
    from terms.writer import import_file

    row = "slug,term_fr,definition_fr\nqualification,Qualification,Avant la Découverte.\n"
    assert import_file(row.encode(), file_name="x.csv").ok
    body = Client().get("/fr/terms/qualification/").content.decode()
    assert '<a class="mention" href="/fr/terms/demo-decouverte/">Découverte</a>' in body


@pytest.mark.django_db
def test_editors_mark_a_wording_not_to_link_and_every_definition_follows(seed, editor_client):
    from tests.forms import form_fields, post_data, with_values

    isr = "/fr/terms/representante-sedentaire/"
    assert 'href="/fr/terms/chargee-de-compte/">AE</a>' in Client().get(isr).content.decode()
    ae = Concept.objects.get(slug="chargee-de-compte")
    url = f"/admin/terms/concept/{ae.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert "Ne pas lier automatiquement" in page
    refused = editor_client.post(url, post_data(with_values(form_fields(page), unlinked_en="AP")))
    assert "« AP » : ni le terme, ni un acronyme, ni une variante en anglais." in (
        refused.content.decode()
    )
    response = editor_client.post(url, post_data(with_values(form_fields(page), unlinked_en="AE")))
    assert response.status_code == 302
    body = Client().get(isr).content.decode()
    assert 'href="/fr/terms/chargee-de-compte/">AE</a>' not in body
    assert "chargee-de-compte" not in set(
        Concept.objects.get(slug="representante-sedentaire").mentions.values_list("slug", flat=True)
    )
    # Still a name of the concept: the index and search find it.
    assert ae.index_entries.filter(text="AE").exists()
    # A file, even the glossary's own export, never clears what editors marked.
    from terms.interchange.service import export_file
    from terms.writer import import_file

    assert import_file(export_file("csv"), file_name="glossaire.csv").ok
    assert ConceptText.objects.get(concept=ae, language="en").unlinked == ["AE"]


@pytest.mark.django_db
def test_the_migration_turns_stored_pieces_into_spans_and_back(seed):
    from django.apps import apps

    migration = importlib.import_module("terms.migrations.0021_definition_links_as_spans")
    adr = ConceptText.objects.get(concept__slug="chargee-du-developpement-de-compte", language="fr")
    spans = adr.definition_links
    assert spans and all(len(span) == 3 for span in spans)
    pieces = segments_of(adr.definition, spans)
    unlinked = ConceptText.objects.exclude(pk=adr.pk).filter(definition_links=[]).first()
    ConceptText.objects.filter(pk=adr.pk).update(definition_links=pieces)
    ConceptText.objects.filter(pk=unlinked.pk).update(
        definition_links=[[unlinked.definition, None]]  # how a text without links was stored
    )

    migration.to_spans(apps, None)
    assert ConceptText.objects.get(pk=adr.pk).definition_links == spans
    assert ConceptText.objects.get(pk=unlinked.pk).definition_links == []

    migration.to_segments(apps, None)
    assert ConceptText.objects.get(pk=adr.pk).definition_links == pieces
    migration.to_spans(apps, None)
    page = Client().get("/fr/terms/chargee-du-developpement-de-compte/").content.decode()
    assert 'href="/fr/terms/chargee-du-developpement-des-ventes/"' in page
