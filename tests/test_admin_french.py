"""The editors' admin as a new French editor meets it: the concept list and its name, the
delete confirmation, and not one English word left on the pages of the concepts.

Every form is read from the page and sent as the browser sends it."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from terms.models import Concept, ConceptText, IndexEntry, Status
from tests.conftest import make_concept
from tests.forms import form_fields, post_data, with_values
from tests.pages import texts_of, visible_strings

CHANGELIST = "/admin/terms/concept/"


@pytest.fixture
def concepts(db):
    """A few concepts whose English words are none of the interface's."""
    return {
        "churn": make_concept(
            "taux-d-attrition",
            fr="Taux d’attrition",
            en="Churn rate",
            definition_fr="Part des clients perdus sur une période.",
        ),
        "ae": make_concept(
            "chargee-de-compte", fr="Chargé·e de compte", en="Account executive", acronyms_en=["AE"]
        ),
        "draft": make_concept("vente-sociale", fr="Vente sociale", status=Status.DRAFT),
    }


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# -- the concept list ---------------------------------------------------------------------


def test_the_list_columns_are_named_as_in_the_concept_form(editor_client, concepts):
    body = page(editor_client, CHANGELIST)
    columns = ("term_fr", "acronyms_fr", "term_en", "acronyms_en", "status", "updated")
    assert [texts_of(body, "th", css_class=f"column-{name}") for name in columns] == [
        ["Terme (français)"],
        ["Acronymes (français)"],
        ["Terme (anglais)"],
        ["Acronymes (anglais)"],
        ["Statut"],
        ["Dernière mise à jour"],
    ]


def test_the_list_is_titled_concepts_with_its_tools_in_french(editor_client, concepts):
    body = page(editor_client, CHANGELIST)
    assert texts_of(body, "h1") == ["Concepts"]
    tools = texts_of(body, "ul", css_class="object-tools")[0]
    for tool in ("Importer", "Exporter", "Avancement des traductions", "Concepts supprimés"):
        assert tool in tools
    assert "Ajouter concept" in tools


def test_the_filters_name_languages_as_a_french_sentence_does(editor_client, concepts):
    filters = " ".join(
        texts_of(page(editor_client, CHANGELIST), "nav", element_id="changelist-filter")
    )
    assert "Pas de terme en anglais" in filters
    assert "Pas de définition en français" in filters
    assert "Pas de terme en Anglais" not in filters


def test_the_admin_is_named_glossaire_administration_with_the_sites_icon(editor_client, concepts):
    for client, url in (
        (editor_client, CHANGELIST),
        (editor_client, "/admin/"),
        (Client(), "/admin/login/"),
    ):
        body = page(client, url)
        assert texts_of(body, "div", element_id="site-name") == ["Glossaire — administration"]
        assert texts_of(body, "title")[0].endswith("| Glossaire — administration")
        assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in body
    assert texts_of(page(editor_client, "/admin/"), "h1") == ["Administration du glossaire"]
    # The reader site shows the same icon, a file of our own.
    assert 'rel="icon" href="/static/img/favicon.svg"' in page(Client(), "/fr/")
    assert finders.find("img/favicon.svg")


# -- the delete confirmation ----------------------------------------------------------------


def deleted_objects(body):
    """The confirmation's list of what goes: each concept, then its texts."""
    return texts_of(body.split("<h2>Objets</h2>", 1)[1].split("<form", 1)[0], "ul")


def summary(body):
    part = body.split("<h2>Résumé</h2>", 1)[1].split("</ul>", 1)[0]
    return texts_of(part, "li")


def test_deleting_a_concept_confirms_the_concept_and_its_texts_only(editor_client, concepts):
    churn = concepts["churn"]
    body = page(editor_client, f"{CHANGELIST}{churn.pk}/delete/")
    assert deleted_objects(body) == [
        "Concept : Taux d’attrition Texte en français : Taux d’attrition "
        "Texte en anglais : Churn rate"
    ]
    assert summary(body) == ["Concepts: 1", "Textes: 2"]
    for internal in ("Entrée", "index", "Search", "document", "Historical", "historique"):
        assert internal not in " ".join(deleted_objects(body) + summary(body))
    assert "L’historique est conservé" in body


def test_an_empty_language_row_is_not_listed_as_something_to_lose(editor_client, concepts):
    # A row an earlier version of the form saved from an English block left blank.
    draft = concepts["draft"]
    ConceptText.objects.create(concept=draft, language="en")
    body = page(editor_client, f"{CHANGELIST}{draft.pk}/delete/")
    assert deleted_objects(body) == ["Concept : Vente sociale Texte en français : Vente sociale"]
    assert summary(body) == ["Concepts: 1", "Textes: 1"]


def test_confirming_the_page_deletes_through_the_writer(editor_client, editor, concepts):
    churn = concepts["churn"]
    url = f"{CHANGELIST}{churn.pk}/delete/"
    fields = with_values(form_fields(page(editor_client, url)))
    response = editor_client.post(url, post_data(fields), follow=True)
    assert response.status_code == 200
    assert not Concept.objects.filter(pk=churn.pk).exists()
    assert not IndexEntry.objects.filter(concept_id=churn.pk).exists()
    deletion = Concept.history.filter(id=churn.pk).latest("history_date")
    assert deletion.history_type == "-"
    assert (deletion.history_user, deletion.history_change_reason) == (
        editor,
        "deleted in the admin",
    )
    assert "Taux d’attrition" not in response.content.decode().split('id="result_list"')[1]


def selected_on_the_list(body, *terms):
    """The list's action form, as sent with the boxes of `terms` ticked and "delete" chosen."""
    fields = with_values(form_fields(body), action="delete_selected")
    assert 'value="delete_selected"' in body
    for term in terms:
        box = re.search(
            rf'<input type="checkbox" name="_selected_action" value="(\d+)" class="action-select"'
            rf' aria-label="Choisir cet objet pour une action - {term}">',
            body,
        )
        fields.append(("_selected_action", box[1]))
    return fields


def test_deleting_selected_concepts_confirms_them_and_their_texts_only(editor_client, concepts):
    body = page(editor_client, CHANGELIST)
    fields = selected_on_the_list(body, "Taux d’attrition", "Chargé·e de compte")
    response = editor_client.post(CHANGELIST, post_data(fields))
    confirmation = response.content.decode()
    assert response.status_code == 200
    assert summary(confirmation) == ["Concepts: 2", "Textes: 4"]
    listed = deleted_objects(confirmation)[0]
    assert listed == (
        "Concept : Chargé·e de compte Texte en français : Chargé·e de compte "
        "Texte en anglais : Account executive "
        "Concept : Taux d’attrition Texte en français : Taux d’attrition "
        "Texte en anglais : Churn rate"
    )
    assert "Search" not in listed and "Entrée" not in listed
    confirm = with_values(form_fields(confirmation))
    editor_client.post(CHANGELIST, post_data(confirm))
    assert list(Concept.objects.values_list("slug", flat=True)) == ["vente-sociale"]
    assert Concept.history.filter(history_type="-").count() == 2


# -- no English left --------------------------------------------------------------------------

# What a French editor met in English on these pages, and what could come back.
ENGLISH = [
    r"Select all",
    r"Term Fr",
    r"term \(fr\)",
    r"acronyms \(fr\)",
    r"Search documents?",
    r"Index entr",
    r"Historical",
    r"Administration de Django",
    r"Django",
    r"Submit",
    r"This exporter",
    r"Select",
    r"Search",
    r"Export",
    r"Import",
    r"Delete",
    r"History",
    r"Translation progress",
    r"Deleted concepts",
    r"Show counts",
    r"Status",
    r"Definition",
    r"Variants",
    r"Acronyms",
    r"See also",
    r"Last updated",
    r"Identifier",
    r"Language contents?",
    r"missing (translation|definition)",
    r"No (term|definition) in",
    r"Summary",
    r"Objects",
    r"Yes, I",
    r"No, take me back",
    r"Home",
    r"Welcome",
    r"Log out",
    r"Download",
    r"Columns",
    r"Slug",
    r"Texts?",
]
LEFTOVER = re.compile(r"(?<!\w)(?:" + "|".join(ENGLISH) + r")(?!\w)", re.IGNORECASE)


def english_leftovers(body):
    return sorted({s for s in visible_strings(body) if LEFTOVER.search(s)})


def test_the_pages_of_the_concepts_speak_french_only(editor_client, concepts):
    churn, draft = concepts["churn"], concepts["draft"]
    list_body = page(editor_client, CHANGELIST)
    selected = editor_client.post(
        CHANGELIST, post_data(selected_on_the_list(list_body, "Vente sociale"))
    ).content.decode()
    version = Concept.history.filter(id=churn.pk).latest("history_date").history_id
    pages = {
        "list": list_body,
        "list of drafts": page(editor_client, CHANGELIST, status__exact="draft"),
        "list without English": page(editor_client, CHANGELIST, missing="en"),
        "list without definition": page(editor_client, CHANGELIST, missing_definition="fr"),
        "list searched": page(editor_client, CHANGELIST, q="attrition"),
        "export": page(editor_client, CHANGELIST + "export/"),
        "export of a filter": page(editor_client, CHANGELIST + "export/", missing="en"),
        "delete": page(editor_client, f"{CHANGELIST}{churn.pk}/delete/"),
        "delete selected": selected,
        "progress": page(editor_client, CHANGELIST + "progress/"),
        "change": page(editor_client, f"{CHANGELIST}{churn.pk}/change/"),
        "add": page(editor_client, CHANGELIST + "add/"),
        "history": page(editor_client, f"{CHANGELIST}{churn.pk}/history/"),
        "version": page(editor_client, f"{CHANGELIST}history-version/{version}/"),
        "home": page(editor_client, "/admin/"),
    }
    # The deleted concepts, once one was deleted.
    url = f"{CHANGELIST}{draft.pk}/delete/"
    editor_client.post(url, post_data(with_values(form_fields(page(editor_client, url)))))
    pages["deleted"] = page(editor_client, CHANGELIST + "deleted/")
    assert "vente-sociale" in pages["deleted"]
    found = {name: english_leftovers(body) for name, body in pages.items()}
    assert {name: strings for name, strings in found.items() if strings} == {}
