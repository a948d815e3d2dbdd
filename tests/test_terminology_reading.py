"""What readers see of wordings to avoid, notes and sources: on the term page, in the index
and in search, in French and in English, with the fallback rule of the other parts."""

import pytest
from django.test import Client

from terms.models import Domain, GlossaryState
from terms.writer import import_file
from tests.pages import texts_of, visible_strings

HEADER = (
    "slug,status,domains,term_fr,variants_fr,deprecated_fr,definition_fr,note_fr,source_fr,"
    "term_en,deprecated_en,definition_en,note_en,source_en\n"
)
SEDENTAIRE = (
    "vente-sedentaire,published,ways-of-selling | roles,Vente sédentaire,Vente à distance,"
    "Vente interne | Télévente,La vente menée sans se déplacer chez le client.,"
    "Ne dites pas « vente interne » : l’équipe n’est pas interne au client.,"
    "https://intranet.example/playbook-2025,Inside sales,Indoor sales,,,\n"
)
CHARGEE = (
    "chargee-de-compte,published,roles,Chargé·e de compte,,Commercial·e,"
    "Gère un portefeuille de clients.,,Guide des rôles 2025,Account executive,,"
    "Owns a book of accounts.,Say AE in meetings.,\n"
)


@pytest.fixture
def reader():
    return Client()


@pytest.fixture
def glossary(db):
    report = import_file((HEADER + SEDENTAIRE + CHARGEE).encode(), file_name="x.csv")
    assert report.ok, report.problems
    Domain.objects.filter(slug="ways-of-selling").update(
        names={"fr": "Façons de vendre", "en": "Ways of selling"}
    )
    Domain.objects.filter(slug="roles").update(names={"fr": "Rôles"})
    GlossaryState.bump()  # as the admin's save of a domain does


def page(reader, url):
    response = reader.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# -- the term page ---------------------------------------------------------------------


def test_the_term_page_says_which_wordings_to_avoid(reader, glossary):
    body = page(reader, "/fr/terms/vente-sedentaire/")
    assert texts_of(body, "p", css_class="term__deprecated") == [
        "À éviter : Vente interne, Télévente"
    ]
    body = page(reader, "/en/terms/vente-sedentaire/")
    assert texts_of(body, "p", css_class="term__deprecated") == ["Avoid: Indoor sales"]


def test_a_wording_to_avoid_is_never_shown_as_a_name_of_the_concept(reader, glossary):
    body = page(reader, "/fr/terms/vente-sedentaire/")
    assert texts_of(body, "h1") == ["Vente sédentaire"]
    assert texts_of(body, "title") == ["Vente sédentaire · Glossaire des ventes"]
    assert texts_of(body, "p", css_class="term__variants") == ["Aussi : Vente à distance"]


def test_wordings_to_avoid_fall_back_to_another_language_marked_as_such(reader, glossary):
    body = page(reader, "/en/terms/chargee-de-compte/")
    assert texts_of(body, "p", css_class="term__deprecated") == ["Avoid: Commercial·e"]
    assert '<span class="avoided" lang="fr">Commercial·e</span>' in body


def test_the_note_and_the_source_come_under_the_definition(reader, glossary):
    body = page(reader, "/fr/terms/vente-sedentaire/")
    definition = body.index("La vente menée sans se déplacer")
    note = body.index("Ne dites pas « vente interne »")
    source = body.index("https://intranet.example/playbook-2025")
    assert definition < note < source
    strings = visible_strings(body)
    assert "Note d’usage" in strings and "Source" in strings


def test_a_source_that_is_an_address_is_a_link_that_does_not_give_the_page_away(reader, glossary):
    body = page(reader, "/fr/terms/vente-sedentaire/")
    link = (
        '<a href="https://intranet.example/playbook-2025" rel="noopener">'
        "https://intranet.example/playbook-2025</a>"
    )
    assert link in body


def test_a_source_in_words_stays_words(reader, glossary):
    body = page(reader, "/fr/terms/chargee-de-compte/")
    assert texts_of(body, "div", css_class="term__source") == ["Source Guide des rôles 2025"]
    assert 'rel="noopener"' not in body


def test_an_english_page_shows_its_own_note_and_the_french_source_marked(reader, glossary):
    body = page(reader, "/en/terms/chargee-de-compte/")
    assert texts_of(body, "div", css_class="term__note") == ["Usage note Say AE in meetings."]
    assert texts_of(body, "div", css_class="term__source") == [
        "Source (French) Guide des rôles 2025"
    ]
    assert '<dd lang="fr">Guide des rôles 2025</dd>' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "links"),
    [
        (
            "Guide des ventes (https://intranet.example/guide), p. 12.",
            ["https://intranet.example/guide"],
        ),
        (
            "Voir https://fr.wikipedia.org/wiki/Vente_(commerce).",
            ["https://fr.wikipedia.org/wiki/Vente_(commerce)"],
        ),
        ("javascript:alert(1) et data:text/html,x", []),
        ("http:// rien", []),
        ('https://example.com/"onmouseover="alert(1)', ["https://example.com/"]),
    ],
)
def test_only_http_addresses_in_a_source_become_links(reader, source, links):
    import_file(
        f'slug,term_fr,source_fr\nx,Terme,"{source.replace(chr(34), chr(34) * 2)}"\n'.encode(),
        file_name="x.csv",
    )
    body = page(reader, "/fr/terms/x/")
    source_block = body[body.index('class="term__source"') :]
    source_block = source_block[: source_block.index("</dd>")]
    found = [part.split('"', 1)[0] for part in source_block.split('<a href="')[1:]]
    assert found == links
    assert 'onmouseover="' not in source_block


def test_what_editors_typed_is_never_markup(reader, db):
    hostile = "<script>alert(1)</script><b>gras</b>"
    row = f"x,Terme,{hostile},{hostile},{hostile}\n"
    assert import_file(
        ("slug,term_fr,deprecated_fr,note_fr,source_fr\n" + row).encode(), file_name="x.csv"
    ).ok
    body = page(reader, "/fr/terms/x/")
    assert "<script>alert" not in body and "<b>gras" not in body
    assert body.count("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;") == 3


def test_the_term_page_query_count_stays_flat_with_its_new_parts(
    reader, glossary, django_assert_max_num_queries
):
    # the generation, the concept, its texts, its domains, see-also ids and mentioned-in
    # ids (no index rows to read: it has neither)
    with django_assert_max_num_queries(6):
        assert reader.get("/fr/terms/vente-sedentaire/").status_code == 200
    domains = " | ".join(f"domaine-{n}" for n in range(30))
    assert import_file(f"slug,domains\nvente-sedentaire,{domains}\n".encode()).ok
    with django_assert_max_num_queries(6):
        body = page(reader, "/fr/terms/vente-sedentaire/")
    assert body.count('class="chip"') == 30


# -- the index -------------------------------------------------------------------------


def test_a_wording_to_avoid_is_an_index_entry_of_its_own_marked_in_words(reader, glossary):
    body = page(reader, "/fr/letters/V/")
    entries = texts_of(body, "li", css_class="entry--deprecated")
    assert entries == ["Vente interne à éviter →dites Vente sédentaire"]
    assert '<a href="/fr/terms/vente-sedentaire/"><span class="entry__alias avoided">' in body
    # A variant is no wording to avoid.
    assert texts_of(body, "li", css_class="entry--variant") == [
        "Vente à distance →voir Vente sédentaire"
    ]


def test_the_home_lists_the_wordings_to_avoid_too(reader, glossary):
    body = page(reader, "/fr/")
    assert "Télévente à éviter →dites Vente sédentaire" in texts_of(
        body, "li", css_class="entry--deprecated"
    )
    body = page(reader, "/en/")
    assert texts_of(body, "li", css_class="entry--deprecated") == [
        "Indoor sales to avoid →say Inside sales"
    ]


# -- search ----------------------------------------------------------------------------


def results(body):
    return texts_of(body, "li", css_class="result")


def test_search_finds_a_concept_by_a_wording_to_avoid_and_says_what_to_say(reader, glossary):
    body = page(reader, "/fr/search/?q=vente+interne")
    assert texts_of(body, "p", css_class="result__avoided") == [
        "« Vente interne » est à éviter : dites « Vente sédentaire »"
    ]
    assert results(body)[0].startswith("Vente sédentaire")


def test_english_search_says_it_in_english(reader, glossary):
    body = page(reader, "/en/search/?q=indoor")
    assert texts_of(body, "p", css_class="result__avoided") == [
        "“Indoor sales” is to be avoided: say “Inside sales”"
    ]


def test_a_search_the_names_answer_as_well_says_nothing_of_wordings_to_avoid(reader, glossary):
    body = page(reader, "/fr/search/?q=vente")
    assert results(body) and texts_of(body, "p", css_class="result__avoided") == []


def test_a_typo_in_a_wording_to_avoid_still_finds_the_concept(reader, glossary):
    body = page(reader, "/fr/search/?q=televante")
    assert texts_of(body, "p", css_class="result__avoided") == [
        "« Télévente » est à éviter : dites « Vente sédentaire »"
    ]


def test_suggestions_while_typing_find_wordings_to_avoid(reader, glossary):
    data = reader.get("/api/search/", {"q": "vente int", "lang": "fr"}).json()
    assert [result["slug"] for result in data["results"]][:1] == ["vente-sedentaire"]
    assert data["results"][0]["avoided"] == "Vente interne"
