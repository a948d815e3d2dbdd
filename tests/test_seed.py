"""The seed glossary comes in faithfully, through the same import as the admin."""

import pytest
from django.core.management import call_command

from terms.models import Concept, ConceptText, Domain, IndexEntry, Status


def texts(slug):
    concept = Concept.objects.get(slug=slug)
    return concept, concept.texts_by_language()


@pytest.mark.django_db
def test_load_seed_imports_all_39_entries_published(seed):
    assert seed.new == 39
    assert Concept.objects.count() == 39
    assert Concept.objects.published().count() == 39
    assert not Concept.objects.filter(status=Status.DRAFT).exists()


@pytest.mark.django_db
def test_load_seed_command_loads_only_into_an_empty_database(capsys):
    call_command("load_seed")
    assert Concept.objects.count() == 39
    Concept.objects.get(slug="hybride").delete()
    call_command("load_seed")
    assert Concept.objects.count() == 38, "running it again keeps the editors' data"


@pytest.mark.django_db
def test_typography_is_kept_as_written(seed):
    _, adr = texts("chargee-du-developpement-de-compte")
    assert adr["fr"].term == "Chargé·e du développement de compte"
    assert adr["en"].term == "Account development representative"
    assert adr["en"].acronyms == ["ADR"]
    assert "«\u00a0provocative selling\u00a0»" in adr["fr"].definition
    assert "l’échelle" in adr["fr"].definition
    _, churn = texts("taux-d-attrition")
    assert churn["fr"].term == "Taux d’attrition"
    assert churn["en"].term == "Churn rate"


@pytest.mark.django_db
def test_pme_pmi_has_french_acronyms_and_english_smb(seed):
    _, pme = texts("pme-pmi")
    assert pme["fr"].term == "PME/PMI"
    assert pme["fr"].acronyms == ["PME", "PMI"]
    assert pme["en"].acronyms == ["SMB"]
    assert pme["en"].term == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "term", "variant"),
    [
        ("directeur-commercial", "Directeur commercial", "Directrice commerciale"),
        ("valeur-annuelle-du-contrat", "Valeur annuelle du contrat", "Valeur moyenne du contrat"),
        ("reunion-en-personne", "Réunion en personne", "Réunion en présentiel"),
        ("interaction-indirecte", "Interaction indirecte", "Interaction sans contact"),
        ("demo-decouverte", "Démo/Découverte", "Découverte"),
        ("vente-sedentaire", "Vente sédentaire", "Vente interne"),
        ("demonstration-de-faisabilite", "Démonstration de faisabilité", "Preuve de concept"),
        ("reussite-client", "Réussite client", "Succès des clients"),
    ],
)
def test_slashed_wordings_and_named_synonyms_are_variants(seed, slug, term, variant):
    _, by_language = texts(slug)
    assert by_language["fr"].term == term
    assert variant in by_language["fr"].variants


@pytest.mark.django_db
def test_english_slash_wordings_are_english_variants(seed):
    _, acv = texts("valeur-annuelle-du-contrat")
    assert acv["en"].term == "Annual contract value"
    assert acv["en"].variants == ["Average contract value"]
    assert acv["en"].acronyms == ["ACV"]


@pytest.mark.django_db
def test_voir_asynchrone_becomes_a_see_also_link(seed):
    interaction, by_language = texts("interaction-indirecte")
    assert [c.slug for c in interaction.see_also.all()] == ["asynchrone"]
    assert "(voir" not in by_language["fr"].definition
    assert by_language["fr"].definition.endswith("déplacement en personne.")


@pytest.mark.django_db
def test_entries_without_english_have_no_english_term(seed):
    for slug in ("asynchrone", "hybride", "revenu-net", "revenu-recurrent", "partage-d-ecran"):
        _, by_language = texts(slug)
        assert "en" not in by_language or by_language["en"].term == ""


@pytest.mark.django_db
def test_every_french_definition_is_present(seed):
    for concept in Concept.objects.with_texts():
        assert concept.texts_by_language()["fr"].definition, concept.slug


@pytest.mark.django_db
def test_seed_acronyms_and_variants_are_index_entries(seed):
    csm = IndexEntry.objects.get(language="fr", text="CSM")
    assert csm.label == "Responsable de la réussite client"
    assert csm.kind == IndexEntry.Kind.ACRONYM
    interne = IndexEntry.objects.get(language="fr", text="Vente interne")
    assert interne.label == "Vente sédentaire"


# The seed's domains: an editorial starting point (README, "The seed glossary").
SEED_DOMAINS = {
    "roles": ("Rôles et équipes", "Roles and teams"),
    "indicateurs": ("Indicateurs", "Metrics"),
    "facons-de-vendre": ("Façons de vendre", "Ways of selling"),
    "cycle-de-vie-client": ("Cycle de vie client", "Customer lifecycle"),
    "interactions": ("Interactions et outils", "Interactions and tools"),
    "marches-et-modeles": ("Marchés et modèles économiques", "Markets and business models"),
}


@pytest.mark.django_db
def test_the_seed_has_six_domains_named_in_french_and_english(seed):
    assert {
        domain.slug: (domain.name("fr"), domain.name("en")) for domain in Domain.objects.all()
    } == SEED_DOMAINS
    assert seed.new_domains == [], "made with their names before the import, not from slugs"


@pytest.mark.django_db
def test_every_seed_concept_is_in_at_least_one_domain(seed):
    assert not Concept.objects.filter(domains=None).exists()
    counts = {domain.slug: domain.concepts.count() for domain in Domain.objects.all()}
    assert counts == {
        "roles": 13,
        "indicateurs": 8,
        "facons-de-vendre": 7,
        "cycle-de-vie-client": 9,
        "interactions": 6,
        "marches-et-modeles": 3,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "domains"),
    [
        ("chargee-de-compte", {"roles"}),
        ("responsable-de-la-reussite-client", {"roles"}),
        ("reussite-client", {"roles", "cycle-de-vie-client"}),
        ("taux-d-attrition", {"indicateurs", "cycle-de-vie-client"}),
        ("vente-sedentaire", {"facons-de-vendre"}),
        ("hybride", {"facons-de-vendre", "interactions"}),
        ("partage-d-ecran", {"interactions"}),
        ("integration", {"cycle-de-vie-client"}),
        ("pme-pmi", {"marches-et-modeles"}),
    ],
)
def test_seed_concepts_are_grouped_as_the_enablement_team_would(seed, slug, domains):
    assert {domain.slug for domain in Concept.objects.get(slug=slug).domains.all()} == domains


@pytest.mark.django_db
def test_the_seed_gives_no_wording_to_avoid(seed):
    """The text names synonyms (« vente interne », « preuve de concept »), never a wording
    to avoid: nothing is invented."""
    assert not ConceptText.objects.exclude(deprecated=[]).exists()
    _, vente = texts("vente-sedentaire")
    assert vente["fr"].variants == ["Vente interne"] and vente["fr"].deprecated == []


@pytest.mark.django_db
def test_load_seed_command_names_the_domains_as_the_fixture_does(capsys):
    call_command("load_seed")
    assert Domain.objects.get(slug="roles").names == {
        "fr": "Rôles et équipes",
        "en": "Roles and teams",
    }
    assert Concept.objects.filter(domains__slug="roles").count() == 13
