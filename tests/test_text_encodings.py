"""A text file is read in one encoding or refused, with where it breaks: never half-decoded.

French Excel users save CSV in Windows-1252, others in UTF-8; a file that mixes them, or
whose encoding a program already garbled, would be imported as `CafÃ© crÃ¨me`.
"""

import json

import pytest
from django.test import Client

from terms.interchange.formats import UnreadableFile, decode_text, read_dataset
from terms.models import Concept, ConceptText
from terms.writer import import_file
from tests import hostile_files
from tests.test_admin import post_import


def refusal(data):
    with pytest.raises(UnreadableFile) as refused:
        decode_text(data)
    return str(refused.value)


def test_utf8_with_or_without_bom_and_windows_1252_are_read():
    text = "slug;term_fr\ncafe;Café crème, œuvre, 5 €, l’été\n"
    assert decode_text(text.encode()) == text
    assert decode_text(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_text(text.encode("cp1252")) == text


def test_utf8_with_one_windows_1252_character_is_refused_where_it_breaks():
    assert refusal(hostile_files.csv_with_one_windows_1252_byte()) == (
        "This file mixes two text encodings: it is UTF-8, but line 3 holds a character in "
        "another one (byte 0xE9, character 7 of the line). Correct it, or save the file again "
        "as “CSV UTF-8” from your spreadsheet."
    )


def test_the_place_of_the_break_counts_characters_not_bytes():
    data = "a\nb\nÉté;crème;".encode() + b"\x92" + b"\n"
    assert "line 3 holds a character in another one (byte 0x92, character 11" in refusal(data)


def test_a_byte_windows_1252_lacks_is_refused_where_it_is():
    data = "slug;term_fr\ncafe;Café\n".encode("cp1252") + b"x;\x81\n"
    assert refusal(data) == (
        "The file's text encoding is neither UTF-8 nor Windows-1252 (line 3 holds byte 0x81, "
        "character 3 of the line). Save it as “CSV UTF-8” from your spreadsheet."
    )


def test_a_byte_order_mark_garbled_into_three_letters_is_refused_as_a_lost_encoding():
    assert refusal(hostile_files.csv_whose_bom_lost_its_encoding()).startswith(
        "The file's text encoding was lost: it starts with “ï»¿”, what is left of the mark of "
        "a UTF-8 file that was opened as Windows-1252 and saved again"
    )


@pytest.mark.django_db
def test_a_mixed_file_imports_nothing_instead_of_garbled_terms():
    report = import_file(hostile_files.csv_with_one_windows_1252_byte(), file_name="x.csv")
    assert report.problems[0].startswith("This file mixes two text encodings")
    assert (report.new, report.updated) == (0, 0)
    assert not Concept.objects.exists()


@pytest.mark.django_db
def test_a_garbled_byte_order_mark_is_not_reported_as_an_unknown_column():
    report = import_file(hostile_files.csv_whose_bom_lost_its_encoding(), file_name="x.csv")
    assert report.problems == [refusal(hostile_files.csv_whose_bom_lost_its_encoding())]


def test_a_lone_surrogate_in_json_is_refused_where_it_is():
    with pytest.raises(UnreadableFile) as refused:
        read_dataset(hostile_files.json_with_a_lone_surrogate(), "json")
    assert str(refused.value) == (
        "Row 2, column term_fr: the text holds “\\ud800”, half of a character that needs "
        "two such codes; correct the file that made it."
    )


@pytest.mark.django_db
def test_the_admin_previews_a_lone_surrogate_as_a_sentence_not_a_server_error(editor):
    client = Client()
    client.force_login(editor)
    response = post_import(client, "x.json", hostile_files.json_with_a_lone_surrogate(), "json")
    assert response.status_code == 200
    assert "Ligne 2, colonne term_fr : le texte contient « \\ud800 »" in response.content.decode()
    assert not ConceptText.objects.exists()


def test_a_surrogate_pair_in_json_is_the_character_it_stands_for():
    data = json.dumps([{"slug": "a", "term_fr": "Fusée 🚀"}]).encode()  # ensure_ascii: \ud83d\ude80
    assert b"\\ud83d\\ude80" in data
    assert read_dataset(data, "json")[0][1] == "Fusée 🚀"
