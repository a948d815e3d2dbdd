"""The pure text rules: folding, sort keys, letters, slugs, value lists. No database."""

import random

from terms import text


def test_fold_ignores_case_accents_apostrophes_and_middle_dot():
    assert text.fold("Chargé·e de compte") == "chargee de compte"
    assert text.fold("Taux d’attrition") == text.fold("taux d'attrition") == "taux d attrition"
    assert text.fold("  ŒUVRE   Æsthète ") == "oeuvre aesthete"
    assert text.fold("PME/PMI") == "pme pmi"
    assert text.fold("Account-based marketing") == "account based marketing"


def test_fold_of_punctuation_only_is_empty():
    assert text.fold("%_'\"\\<>") == ""
    assert text.fold(None) == ""


def test_sort_key_orders_as_a_french_reader_expects():
    words = [
        "Revenu",
        "Réussite",
        "réunion",
        "Vente assistée",
        "Vente à distance",
        "Échelle",
        "Ecole",
        "Œuvre",
        "Oeuf",
        "Taux d’attrition",
        "Taux de change",
    ]
    ordered = sorted(words, key=text.sort_key)
    assert ordered.index("réunion") < ordered.index("Réussite") < ordered.index("Revenu")
    assert ordered.index("Vente à distance") < ordered.index("Vente assistée")
    assert ordered[:2] == ["Échelle", "Ecole"]
    assert ordered.index("Oeuf") < ordered.index("Œuvre")


def test_sort_key_puts_word_breaks_and_numbers_before_letters():
    assert text.sort_key("Vente 2") < text.sort_key("Vente a") < text.sort_key("Ventes")
    assert text.sort_key("Vente") < text.sort_key("Vente 2")


def test_sort_key_uses_only_characters_every_collation_orders_alike():
    key = text.sort_key("L’Œuvre d’Anne-Marie, 3e édition · été 2024 !")
    assert set(key) <= set("0123456789abcdefghijklmnopqrstuvwxyz")


def test_sort_key_ignores_case_and_apostrophe_kind():
    assert text.sort_key("Coût d’acquisition") == text.sort_key("cout d'acquisition")


def test_letter_of_files_accented_and_ligature_initials_under_their_base_letter():
    assert text.letter_of("Échelle") == "E"
    assert text.letter_of("Œuvre") == "O"
    assert text.letter_of("àla") == "A"
    assert text.letter_of("3D") == "#"
    assert text.letter_of("« Guillemets »") == "G"


def test_slug_for_makes_readable_ascii_slugs():
    assert text.slug_for("Chargé·e de compte") == "chargee-de-compte"
    assert text.slug_for("Taux d’attrition") == "taux-d-attrition"
    assert text.slug_for("PME/PMI") == "pme-pmi"
    assert text.slug_for("!!!") == ""


def test_split_values_trims_and_drops_empties_and_repeats():
    assert text.split_values(" PME |PMI|| PME ") == ["PME", "PMI"]
    assert text.split_values("") == []
    assert text.join_values(["PME", "PMI"]) == "PME | PMI"


def test_clean_definition_unifies_line_ends_and_keeps_paragraphs():
    raw = "Premier paragraphe.  \r\nSuite.\r\n\r\n\r\n\r\nSecond.\n"
    assert text.clean_definition(raw) == "Premier paragraphe.\nSuite.\n\nSecond."
    assert text.paragraphs(text.clean_definition(raw)) == ["Premier paragraphe.\nSuite.", "Second."]


def test_clean_term_removes_control_characters():
    assert text.clean_term("Vente\x00 \x1b assistée\t") == "Vente assistée"


def _first_word_starting_by_walking(written, prefixes):
    """What `first_word_starting` answers, the slow way: every word folded in turn."""
    for match in text.word_spans(written):
        if text.fold_word(match.group()).startswith(tuple(prefixes)):
            return match.start()
    return None


def test_first_word_starting_finds_a_word_as_written_in_any_case_accent_or_inclusive_form():
    definition = "Le rôle d’un·e CHARGÉ·E de compte : l’Étude des besoins, avant-vente."
    assert text.first_word_starting(definition, ["chargee"]) == definition.index("CHARGÉ")
    assert text.first_word_starting(definition, ["etu"]) == definition.index("Étude")
    assert text.first_word_starting(definition, ["vente"]) == definition.index("vente")
    assert text.first_word_starting(definition, ["un"]) == definition.index("un·e")
    # Only the beginnings of words: "compte" holds "pte", "besoins" holds "soin".
    assert text.first_word_starting(definition, ["pte", "soin"]) is None
    assert text.first_word_starting(definition, []) is None


def test_first_word_starting_walks_the_words_it_cannot_fold_in_one_expression():
    for written, prefix in [
        ("Le cœur de l’offre", "coeur"),
        ("Straße und Ørsted", "strasse"),
        ("Продажи et ventes", "ventes"),
    ]:
        expected = _first_word_starting_by_walking(written, [prefix])
        assert expected is not None
        assert text.first_word_starting(written, [prefix]) == expected


def test_first_word_starting_agrees_with_the_word_by_word_walk():
    # Accents, case, inner and lone middle dots, apostrophes, underscores, digits,
    # superscripts, ligatures, other scripts and combining accents, at random.
    alphabet = "aAbeEéÉèçÇ·‧ ’'-_²1kKİıœßøΩж\u0301«» .,"
    rng = random.Random(42)
    for _case in range(20_000):
        written = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        prefixes = ["".join(rng.choice("abek1") for _ in range(rng.randint(1, 3)))]
        expected = _first_word_starting_by_walking(written, prefixes)
        assert text.first_word_starting(written, prefixes) == expected, (written, prefixes)
