"""Search on the seed: what a salesperson types, with the expected first result.

Runs on whichever engine the database selects (SQLite FTS5 or PostgreSQL);
CI runs the suite on both.
"""

import importlib
import json

import pytest
from django.db import connection
from django.test import Client

from terms.models import Concept, SearchDocument, Status
from terms.search import clean_query, engines, search
from terms.writer import delete_concepts, import_file, set_status
from tests.conftest import make_concept

FIRST_RESULTS = [
    # exact acronyms, any case
    ("fr", "AE", "chargee-de-compte"),
    ("fr", "ae", "chargee-de-compte"),
    ("fr", "CSM", "responsable-de-la-reussite-client"),
    ("en", "saas", "logiciel-en-tant-que-service"),
    ("fr", "SMB", "pme-pmi"),
    ("fr", "PMI", "pme-pmi"),
    ("en", "PoC", "demonstration-de-faisabilite"),
    # exact terms typed carelessly: accents, apostrophes, middle dot, hyphens, spaces
    ("fr", "chargee de compte", "chargee-de-compte"),
    ("fr", "Chargé·e de compte", "chargee-de-compte"),
    ("fr", "  CHARGÉE   DE COMPTE ", "chargee-de-compte"),
    ("fr", "taux d'attrition", "taux-d-attrition"),
    ("fr", "taux d’attrition", "taux-d-attrition"),
    ("fr", "cout du service", "cout-du-service"),
    ("en", "account based marketing", "marketing-des-comptes-strategiques"),
    ("fr", "account-based", "marketing-des-comptes-strategiques"),
    ("fr", "reunion en presentiel", "reunion-en-personne"),
    # variants and named synonyms
    ("fr", "vente interne", "vente-sedentaire"),
    ("fr", "preuve de concept", "demonstration-de-faisabilite"),
    ("fr", "succes des clients", "reussite-client"),
    ("fr", "directrice commerciale", "directeur-commercial"),
    ("fr", "valeur moyenne du contrat", "valeur-annuelle-du-contrat"),
    ("fr", "découverte", "demo-decouverte"),
    # the other language
    ("fr", "churn", "taux-d-attrition"),
    ("fr", "account executive", "chargee-de-compte"),
    ("en", "customer lifetime value", "valeur-vie-du-client"),
    ("en", "inside sales", "vente-sedentaire"),
    ("en", "upsell", "vente-incitative"),
    ("en", "asynchrone", "asynchrone"),
    # prefixes
    ("fr", "logiciel", "logiciel-en-tant-que-service"),
    ("en", "onboard", "integration"),
    # typos of one letter in words of five letters or more
    ("fr", "onbording", "integration"),
    ("fr", "onbor", "integration"),  # a typo in a word still being typed
    ("en", "acqusit", "cout-d-acquisition-de-client"),
    ("fr", "asynchone", "asynchrone"),
    ("en", "upsel", "vente-incitative"),
    ("fr", "hybirde", "hybride"),
    # two letters swapped in a short word, before the last: few of its trigrams are left,
    # but it is still one typo
    ("en", "chrun rate", "taux-d-attrition"),
    ("fr", "vetne incitative", "vente-incitative"),
    # inflections
    ("fr", "chargees de comptes", "chargee-de-compte"),
    ("fr", "cycles de ventes", "cycle-de-vente"),
    ("fr", "commerciale", "directeur-commercial"),
    ("fr", "representant sedentaire", "representante-sedentaire"),
    # definitions only
    ("fr", "webinaires", "chargee-de-developpement-de-marche"),
    ("fr", "quotas", "directeur-commercial"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "query", "first"), FIRST_RESULTS)
def test_first_result(seed, language, query, first):
    results = search(query, language).results
    assert results, f"nothing found for {query!r}"
    assert results[0].slug == first, [r.slug for r in results[:5]]


@pytest.mark.django_db
def test_plural_and_feminine_forms_find_their_concepts_among_names(seed):
    assert "chargee-de-compte" in [r.slug for r in search("comptes", "fr").results][:5]
    assert "cycle-de-vente" in [r.slug for r in search("ventes", "fr").results][:8]
    assert "ingenieur-commercial" in [r.slug for r in search("commerciale", "fr").results][:3]


@pytest.mark.django_db
def test_words_of_definitions_find_every_concept_that_uses_them(seed):
    slugs = {r.slug for r in search("vidéoconférence", "fr").results}
    assert slugs == {"vente-en-ligne", "vente-a-distance"}


@pytest.mark.django_db
def test_names_rank_before_definitions(seed):
    results = search("AE", "fr").results
    assert [r.slug for r in results][:2] == ["chargee-de-compte", "representante-sedentaire"]
    assert results[0].tier == 0 and results[1].tier == 3


@pytest.mark.django_db
def test_every_seed_concept_is_found_by_each_of_its_names(seed):
    for concept in Concept.objects.with_texts():
        for content in concept.texts.all():
            for name in [content.term, *content.acronyms, *content.variants]:
                if name:
                    slugs = [r.slug for r in search(name, "fr").results]
                    assert concept.slug in slugs[:3], (name, slugs[:5])


@pytest.mark.django_db
def test_did_you_mean_when_nothing_matches(seed):
    outcome = search("attritoin xyz", "fr")
    assert outcome.results == []
    outcome = search("hybrdie commerciales", "fr")
    assert outcome.results == [] or outcome.results[0].slug
    assert search("xyzzy", "fr").did_you_mean == ""
    outcome = search("onbordingg", "fr")
    assert outcome.results == []
    assert outcome.did_you_mean == "onboarding"


@pytest.mark.django_db
def test_typos_of_a_word_added_since_the_last_search_are_corrected(seed, client):
    """Corrections are kept per word and glossary generation: a new name is corrected as
    soon as it is saved, on the page as in the API. (The typo is not in the last word, which
    is also compared with the beginnings of known words when nothing matches.)"""
    query = {"q": "kumqautier commercial"}
    assert client.get("/fr/search/", query).context["outcome"].results == []
    make_concept("kumquat", fr="Kumquatier commercial", en="Kumquat seller")
    results = client.get("/fr/search/", query).context["outcome"].results
    assert [result.slug for result in results][:1] == ["kumquat"]
    api = client.get("/api/search/", {**query, "lang": "fr"}).json()
    assert [result["slug"] for result in api["results"]][:1] == ["kumquat"]


@pytest.mark.django_db
def test_matched_words_are_highlighted_in_the_excerpt(seed):
    body = Client().get("/fr/search/", {"q": "webinaires"}).content.decode()
    assert "<mark>webinaires</mark>" in body


@pytest.mark.django_db
def test_an_excerpt_shows_what_a_definition_holds_as_text_around_its_marked_words():
    make_concept(
        fr="Remise exceptionnelle",
        definition_fr="Une <b>remise</b> accordée « hors grille » & <script>alert(1)</script>.",
    )
    body = Client().get("/fr/search/", {"q": "accordee"}).content.decode()
    excerpt = body.split('class="result__excerpt">')[1].split("</p>")[0]
    assert excerpt == (
        "Une &lt;b&gt;remise&lt;/b&gt; <mark>accordée</mark> « hors grille » &amp; "
        "&lt;script&gt;alert(1)&lt;/script&gt;."
    )


@pytest.mark.django_db
def test_function_words_of_a_query_are_not_highlighted(seed):
    body = Client().get("/fr/search/", {"q": "chargée de comptes"}).content.decode()
    assert "<mark>comptes</mark>" in body
    assert "<mark>de</mark>" not in body and "<mark>des</mark>" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["%", "_", "'", '"', "\\", "*", "AND", "OR NOT", "NEAR(", "names:ae", "{names}", "^ae",
     "<script>alert(1)</script>", "'; DROP TABLE terms_concept; --", "é" * 5000],
)  # fmt: skip
def test_hostile_queries_never_fail_nor_match_everything(seed, query):
    outcome = search(clean_query(query), "fr")
    assert len(outcome.results) < 10
    response = Client().get("/fr/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


@pytest.mark.django_db
def test_drafts_are_never_found(seed):
    set_status([Concept.objects.get(slug="hybride").pk], Status.DRAFT)
    assert "hybride" not in [r.slug for r in search("hybride", "fr").results]


@pytest.mark.django_db
def test_the_index_follows_imports_edits_and_deletions(seed):
    assert import_file(b"slug,term_fr\nprospect,Prospect froid\n", file_name="x.csv").ok
    assert search("prospect froid", "fr").results[0].slug == "prospect"
    assert import_file(b"slug,term_fr\nprospect,Prospect chaud\n", file_name="x.csv").ok
    assert search("froid", "fr").results == []
    Concept.objects.get(slug="prospect").delete()
    assert search("prospect chaud", "fr").results == []


def slugs(query):
    return [result.slug for result in search(query, "fr").results]


@pytest.mark.django_db
def test_a_big_import_and_its_rewrite_leave_the_index_true_to_the_documents():
    """Thousands of documents written at once (SQLite feeds its index in one statement)."""
    rows = ["slug,status,term_fr,definition_fr"]
    rows += [f"c{n},published,Terme {n},Définition ancienne numéro {n}" for n in range(2500)]
    assert import_file("\n".join(rows).encode(), file_name="glossary.csv").ok
    assert slugs("ancienne 1234")[:1] == ["c1234"]
    rewritten = [row.replace("ancienne", "nouvelle") for row in rows]
    rewritten += [f"d{n},published,Autre {n},Définition nouvelle numéro {n}" for n in range(500)]
    assert import_file("\n".join(rewritten).encode(), file_name="glossary.csv").ok
    deleted = Concept.objects.filter(slug__in=[f"d{n}" for n in range(100)])
    delete_concepts(list(deleted.values_list("pk", flat=True)))

    assert slugs("ancienne") == []
    assert slugs("nouvelle 1234")[:1] == ["c1234"]
    assert slugs("autre 450")[:1] == ["d450"]
    assert "d50" not in slugs("autre 50")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises if the index and its documents differ
            cursor.execute(
                "INSERT INTO terms_search_fts(terms_search_fts, rank) VALUES ('integrity-check', 1)"
            )


@pytest.mark.django_db
def test_a_definition_keeps_each_stem_once_and_is_still_found_by_any_form():
    """A long definition repeats its words: its stems column holds each stem once (the index
    of 10,000 long definitions halved), and every form of a word still finds it."""
    definition = "Les comptes clés. " + "Chaque compte suit ses comptes et ses ventes. " * 30
    rows = ["slug,status,term_fr,definition_fr", f"suivi,published,Suivi,{definition}"]
    assert import_file("\n".join(rows).encode(), file_name="glossary.csv").ok
    document = SearchDocument.objects.get(concept__slug="suivi")
    stems = document.body_stems.split()
    assert len(stems) == len(set(stems))
    assert {"compt", "vent"} <= set(stems)
    for query in ("compte", "comptes", "vente", "ventes", "chaque compte"):
        assert slugs(query) == ["suivi"], query


@pytest.mark.django_db
def test_the_migration_keeps_each_stem_once_in_documents_written_before():
    from django.apps import apps

    migration = importlib.import_module("terms.migrations.0020_definition_stems_once")
    rows = ["slug,status,term_fr,definition_fr", "suivi,published,Suivi,Les comptes et le compte."]
    assert import_file("\n".join(rows).encode(), file_name="glossary.csv").ok
    SearchDocument.objects.filter(concept__slug="suivi").update(body_stems="le les compt compt")

    migration.stems_once(apps, None)

    assert SearchDocument.objects.get(concept__slug="suivi").body_stems == "le les compt"
    assert slugs("comptes") == ["suivi"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO terms_search_fts(terms_search_fts, rank) VALUES ('integrity-check', 1)"
            )


@pytest.mark.django_db
def test_api_search_returns_json_suggestions(seed):
    response = Client().get("/api/search/", {"q": "csm", "lang": "en"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["language"] == "en"
    first = data["results"][0]
    assert first == {
        "slug": "responsable-de-la-reussite-client",
        "term": "Customer success manager",
        "acronyms": ["CSM"],
        "other_terms": ["Responsable de la réussite client"],
        "untranslated": False,
        "avoided": "",
        "matched": None,  # found by the acronym it shows
        "term_language": "en",
        "url": "/en/terms/responsable-de-la-reussite-client/",
    }


@pytest.mark.django_db
def test_api_search_with_an_empty_or_bad_query_is_calm(seed):
    for params in ({}, {"q": ""}, {"q": "%"}, {"q": "'"}, {"q": "<script>"}, {"q": "x" * 10_000}):
        response = Client().get("/api/search/", params)
        assert response.status_code == 200
        assert isinstance(json.loads(response.content)["results"], list)
    # A broken parameter is the client's mistake, and the API says which (tests/test_api.py).
    for params in ({"q": "%", "lang": "xx"}, {"q": "a", "limit": "abc"}):
        assert Client().get("/api/search/", params).status_code == 400


@pytest.mark.django_db
def test_definitions_are_ranked_among_a_bounded_pool_and_names_still_come_first(seed, monkeypatch):
    unbounded = [r.slug for r in search("client", "fr").results]
    monkeypatch.setattr(engines.Engine, "DEFINITION_POOL", 3)
    bounded = search("client", "fr").results
    # Every match among names is still there, in the same order; definitions-only matches
    # are fewer, from the pool only.
    names = [r.slug for r in bounded if r.tier < 3]
    assert names == [slug for slug in unbounded if slug in names]
    assert 0 < len([r for r in bounded if r.tier == 3]) <= 3
    in_domain = Client().get("/fr/search/", {"q": "client", "domain": "cycle-de-vie-client"})
    assert "Cycle de vie client" in in_domain.content.decode()
    assert in_domain.context["outcome"].results


POOLED_ROWS = "slug,domains,term_fr,definition_fr\n" + "\n".join(
    [f"roche-{n},roches,Roche {n},Une roche où l’on trouve du zircon." for n in range(6)]
    + [f"gemme-{n},gemmes,Gemme {n},Une pierre taillée dans le zircon." for n in range(2)]
)


@pytest.mark.django_db
def test_a_search_in_one_domain_ranks_that_domains_matches_not_the_first_found(monkeypatch):
    assert import_file(POOLED_ROWS.encode(), file_name="pierres.csv").ok
    monkeypatch.setattr(engines.Engine, "DEFINITION_POOL", 3)
    # The six rocks are found first, in the index's order: a pool taken before keeping the
    # domain's concepts would hold none of the gems.
    found = search("zircon", "fr", domain="gemmes").results
    assert sorted(result.slug for result in found) == ["gemme-0", "gemme-1"]
    assert len(search("zircon", "fr").results) == 3
