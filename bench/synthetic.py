"""A deterministic synthetic glossary in the interchange columns, for the benchmark.

`generate(count, seed)` returns rows (dicts keyed by `COLUMNS`) that look like
what the sales-enablement team writes: French terms of one to five words with
accents, typographic apostrophes (’) and the middle dot of inclusive writing
(`Chargé·e`), English terms, acronyms, variants, definitions of 200–600
characters that name other concepts (so mentions have work to do), and see-also
links that may point to a later row, domains (most concepts in one, some in two,
a few in none) and, for a few concepts, wordings to avoid. The same seed always
gives the same file, so two runs of the benchmark import exactly the same data;
domains and wordings to avoid come from a random generator of their own, so the
other columns are those of the files generated before they existed.
"""

import csv
import random
import unicodedata
from dataclasses import dataclass

from synthetic_words import (
    ADJECTIVES,
    CLOSINGS,
    EN_CLOSINGS,
    EN_OPENINGS,
    FILLERS,
    NOUNS,
    OPENINGS,
    ROLES,
    VERBS,
)

COLUMNS = [
    "slug",
    "status",
    "domains",
    "term_fr",
    "acronyms_fr",
    "variants_fr",
    "deprecated_fr",
    "definition_fr",
    "term_en",
    "acronyms_en",
    "variants_en",
    "deprecated_en",
    "definition_en",
    "see_also",
]
# The domains an enablement team groups a large glossary by (slugs; the import names them).
DOMAINS = [
    "roles",
    "indicateurs",
    "facons-de-vendre",
    "cycle-de-vie-client",
    "cycle-de-vente",
    "outils",
    "prospection",
    "contrats-et-prix",
    "marketing",
    "partenaires",
    "support",
    "finance",
]
SEPARATOR = " | "
VOWELS = set("aeiouhéèêâîôœ")
# Shares of concepts with each optional part.
ENGLISH_TERM_SHARE = 0.85
ENGLISH_DEFINITION_SHARE = 0.6  # of all concepts (only those with an English term get one)
MENTION_SHARE = 0.35  # of sentences that name another concept
PARAGRAPH_BREAK_SHARE = 0.1
DEFINITION_LENGTH = (200, 600)
DOMAIN_COUNT_WEIGHTS = {0: 1, 1: 7, 2: 2}  # how many domains a concept belongs to
DEPRECATED_FR_SHARE = 0.05  # concepts with a French wording to avoid
DEPRECATED_EN_SHARE = 0.02  # of those with an English term
PHRASE_SHAPES = [
    "noun",
    "noun_adj",
    "noun_of_noun",
    "noun_adj_of_noun",
    "noun_of_the_noun_adj",
    "role",
]


@dataclass(frozen=True)
class Shape:
    """What drives the app's costs, so that figures can be checked on other data than ours:
    definition length, how many sentences name another concept, how many words terms share
    (a smaller vocabulary: more concepts behind each search word), and how long terms are."""

    name: str
    definition_length: tuple = DEFINITION_LENGTH
    mention_share: float = MENTION_SHARE
    vocabulary_share: float = 1.0  # of the nouns terms are made of
    phrase_weights: tuple = (1, 3, 3, 2, 2, 2)  # of PHRASE_SHAPES: longer terms to the right

    def nouns(self):
        return NOUNS[: max(8, round(len(NOUNS) * self.vocabulary_share))]


SHAPES = {
    shape.name: shape
    for shape in (
        Shape("default"),
        # Long definitions that name other concepts in most sentences: mentions and stems.
        Shape("long-definitions", definition_length=(800, 2000), mention_share=0.7),
        # A small vocabulary: every search word matches hundreds of concepts.
        Shape("shared-words", vocabulary_share=0.25, mention_share=0.5),
        # Terms of four and five words, short definitions.
        Shape("long-terms", definition_length=(60, 200), phrase_weights=(0, 0, 1, 3, 4, 4)),
    )
}


# -- French helpers ------------------------------------------------------------------


def _starts_with_vowel(word):
    return word[0].lower() in VOWELS


def _of(word):
    """`de` before a consonant, `d’` (typographic apostrophe) before a vowel or a mute h."""
    return f"d’{word}" if _starts_with_vowel(word) else f"de {word}"


def _of_the(noun, gender):
    """`du compte`, `de la vente`, `de l’offre`."""
    if _starts_with_vowel(noun):
        return f"de l’{noun}"
    return f"du {noun}" if gender == "m" else f"de la {noun}"


def _agree(adjective, gender):
    masculine, feminine, _english = adjective
    return masculine if gender == "m" else feminine


def capitalise(text):
    return text[:1].upper() + text[1:]


def slug_for(text):
    """Lowercase ASCII words joined by hyphens (`Chargé·e d’offre` → `chargee-d-offre`)."""
    text = text.replace("·", "").replace("’", " ").replace("œ", "oe").replace("Œ", "OE")
    text = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in plain).split()
    return "-".join(words)[:80].rstrip("-")


# -- terms, acronyms, variants ---------------------------------------------------------


def _phrase(rng, data_shape=SHAPES["default"]):
    """A French wording of one to five words and its English counterpart."""
    shape = rng.choices(PHRASE_SHAPES, weights=data_shape.phrase_weights)[0]
    nouns = data_shape.nouns()
    noun, noun_en, gender = rng.choice(nouns)
    adjective = rng.choice(ADJECTIVES)
    other, other_en, other_gender = rng.choice([n for n in nouns if n[0] != noun])
    if shape == "noun":
        return noun, noun_en
    if shape == "noun_adj":
        return f"{noun} {_agree(adjective, gender)}", f"{adjective[2]} {noun_en}"
    if shape == "noun_of_noun":
        return f"{noun} {_of(other)}", f"{other_en} {noun_en}"
    if shape == "noun_adj_of_noun":
        return (
            f"{noun} {_agree(adjective, gender)} {_of(other)}",
            f"{adjective[2]} {other_en} {noun_en}",
        )
    if shape == "noun_of_the_noun_adj":  # Coût de la campagne numérique: five words
        return (
            f"{noun} {_of_the(other, other_gender)} {_agree(adjective, other_gender)}",
            f"{adjective[2]} {other_en} {noun_en}",
        )
    role, role_en = rng.choice(ROLES)
    return (
        f"{role} {_of(noun)} {_agree(adjective, gender)}",
        f"{adjective[2]} {noun_en} {role_en}",
    )


def _acronym(rng, wording, taken):
    """2–5 capitals: the wording's initials when free, else random letters; None if stuck."""
    initials = "".join(w[0] for w in wording.split() if len(w) > 3).upper()
    usable = 2 <= len(initials) <= 5 and initials.isascii() and initials.isalpha()
    if usable and initials not in taken:
        taken.add(initials)
        return initials
    for _attempt in range(50):
        candidate = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVW") for _ in range(rng.randint(2, 5)))
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    return None


def _names(rng, count, data_shape):
    """`count` concepts with unique slugs, terms, acronyms and variants (no definitions)."""
    slugs, acronyms_taken, concepts = set(), set(), []
    for number in range(count):
        for _attempt in range(30):
            french, english = _phrase(rng, data_shape)
            if slug_for(french) not in slugs:
                break
        else:
            # The vocabulary has no new combination left: number the term, as editors do.
            french, english = f"{french} {number}", f"{english} {number}"
        french, english = capitalise(french), capitalise(english)
        slugs.add(slug_for(french))
        concept = {
            "slug": slug_for(french),
            "term_fr": french,
            "term_en": english if rng.random() < ENGLISH_TERM_SHARE else "",
            "acronyms_fr": [],
            "acronyms_en": [],
            "variants_fr": [],
            "variants_en": [],
        }
        # Acronyms are mostly English, as readers hear them (AE, CSM); a few French (PME).
        if concept["term_en"] and rng.random() < 0.5:
            concept["acronyms_en"].append(_acronym(rng, english, acronyms_taken))
            if rng.random() < 0.2:
                concept["acronyms_en"].append(_acronym(rng, "", acronyms_taken))
        if rng.random() < 0.15:
            concept["acronyms_fr"].append(_acronym(rng, french, acronyms_taken))
        for language in ("fr", "en"):
            concept[f"acronyms_{language}"] = [a for a in concept[f"acronyms_{language}"] if a]
        # Variants: 0–2 other French wordings, sometimes with an English one.
        for _ in range(rng.choices([0, 1, 2], weights=[6, 3, 1])[0]):
            variant, variant_en = _phrase(rng, data_shape)
            if capitalise(variant) != french:
                concept["variants_fr"].append(capitalise(variant))
            if concept["term_en"] and rng.random() < 0.3 and capitalise(variant_en) != english:
                concept["variants_en"].append(capitalise(variant_en))
        concepts.append(concept)
    return concepts


# -- definitions -------------------------------------------------------------------------


def _sentence(rng, concepts, own, *, english, data_shape):
    noun, noun_en, gender = rng.choice(NOUNS)
    adjective = rng.choice(ADJECTIVES)
    if english:
        sentence = (
            f"{rng.choice(EN_OPENINGS)} the {adjective[2]} {noun_en} {rng.choice(EN_CLOSINGS)}"
        )
    else:
        sentence = (
            f"{rng.choice(OPENINGS)} {rng.choice(VERBS)} {_of_the(noun, gender)} "
            f"{_agree(adjective, gender)} {rng.choice(FILLERS)} {rng.choice(CLOSINGS)}"
        )
    if rng.random() < data_shape.mention_share:
        # Name another concept as definitions do, by acronym or term: mentions to link.
        other = rng.choice(concepts)
        if other is not own:
            acronyms = other["acronyms_en"] + other["acronyms_fr"]
            name = rng.choice(acronyms) if acronyms and rng.random() < 0.6 else other["term_fr"]
            sentence += f" ({'see' if english else 'voir'} {name})"
    return capitalise(sentence) + "."


def _definition(rng, concepts, own, *, english, data_shape):
    """Sentences up to a random length in the shape's range, sometimes in two paragraphs."""
    low, high = data_shape.definition_length
    target = rng.randint(low, high)
    sentences, length = [], 0
    while length < target:
        sentence = _sentence(rng, concepts, own, english=english, data_shape=data_shape)
        # A sentence is under 300 characters, so stopping here still leaves at least `low`.
        if length + len(sentence) + 1 > high and length >= low:
            break
        sentences.append(sentence)
        length += len(sentence) + 1
    if len(sentences) > 2 and rng.random() < PARAGRAPH_BREAK_SHARE:
        middle = len(sentences) // 2
        return " ".join(sentences[:middle]) + "\n\n" + " ".join(sentences[middle:])
    return " ".join(sentences)


# -- the file ----------------------------------------------------------------------------


def _terminology(rng, concept):
    """The concept's domains and wordings to avoid, as cells."""
    count = rng.choices(list(DOMAIN_COUNT_WEIGHTS), weights=DOMAIN_COUNT_WEIGHTS.values())[0]
    domains = sorted(rng.sample(DOMAINS, count))
    deprecated_fr, deprecated_en = "", ""
    if rng.random() < DEPRECATED_FR_SHARE:
        wording, wording_en = _phrase(rng)
        if capitalise(wording) != concept["term_fr"]:
            deprecated_fr = capitalise(wording)
        english = concept["term_en"] and rng.random() < DEPRECATED_EN_SHARE / DEPRECATED_FR_SHARE
        if english and capitalise(wording_en) != concept["term_en"]:
            deprecated_en = capitalise(wording_en)
    return SEPARATOR.join(domains), deprecated_fr, deprecated_en


def generate(count, seed=42, shape="default"):
    """`count` published concepts as rows keyed by COLUMNS, always the same for one seed
    and shape (SHAPES)."""
    data_shape = SHAPES[shape]
    rng = random.Random(seed)
    # Drawn apart, so that adding these columns left every other column as it was.
    terminology_rng = random.Random(f"{seed}-terminology")
    concepts = _names(rng, count, data_shape)
    slugs = [c["slug"] for c in concepts]
    english_share = ENGLISH_DEFINITION_SHARE / ENGLISH_TERM_SHARE
    rows = []
    for concept in concepts:
        see_also = set()
        for _ in range(rng.choices([0, 1, 2, 3], weights=[4, 3, 2, 1])[0]):
            target = rng.choice(slugs)  # anywhere in the file, later rows included
            if target != concept["slug"]:
                see_also.add(target)
        has_english = bool(concept["term_en"]) and rng.random() < english_share
        domains, deprecated_fr, deprecated_en = _terminology(terminology_rng, concept)
        rows.append(
            {
                "slug": concept["slug"],
                "status": "published",
                "domains": domains,
                "term_fr": concept["term_fr"],
                "acronyms_fr": SEPARATOR.join(concept["acronyms_fr"]),
                "variants_fr": SEPARATOR.join(concept["variants_fr"]),
                "deprecated_fr": deprecated_fr,
                "definition_fr": _definition(
                    rng, concepts, concept, english=False, data_shape=data_shape
                ),
                "term_en": concept["term_en"],
                "acronyms_en": SEPARATOR.join(concept["acronyms_en"]),
                "variants_en": SEPARATOR.join(concept["variants_en"]),
                "deprecated_en": deprecated_en,
                "definition_en": (
                    _definition(rng, concepts, concept, english=True, data_shape=data_shape)
                    if has_english
                    else ""
                ),
                "see_also": SEPARATOR.join(sorted(see_also)),
            }
        )
    return rows


def write_csv(rows, path):
    """UTF-8, `,` delimited, `\\n` line ends, quoting only where needed."""
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
