"""Real TBX files written by other tools, imported as an editor would import them.

The files are kept byte for byte as their tools wrote them (tests/data/SOURCES.md says
where each comes from and under which licence): Weblate's French glossary (TBX v2 from
the Translate Toolkit, entries without ids or with ids that are not slugs, empty French
terms, several English terms sharing one French term) and two TBX v2 samples of the Okapi
framework (IBM and University of Maryland terminology, with French). Each is imported into
an empty glossary and into the seed glossary (39 French sales concepts), and imported a
second time to show that nothing changes. The LTAC TBX-Basic sample (no French at all)
lives in the shared reference folder, whose licence is unstated: its test skips when the
folder is absent.
"""

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from terms.interchange.errors import UnreadableFile
from terms.interchange.service import export_records
from terms.interchange.tbx import read_tbx
from terms.models import Concept, ConceptText, Domain
from terms.writer import import_file

DATA = Path(__file__).resolve().parent / "data"
WEBLATE = DATA / "weblate" / "glossary-fr.tbx"
OKAPI_IBM = DATA / "cat-tools" / "okapi-ibm.tbx"
OKAPI_MARYLAND = DATA / "cat-tools" / "okapi-maryland.tbx"
REFERENCE_PLACES = (
    Path(__file__).resolve().parents[2] / "shared" / "reference",
    Path("/work/shared/reference"),
)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

NOT_IMPORTED = "entries with no term in fr, not imported"


def rows_of(records):
    return [record.fields() for record in records]


def only_filled(row):
    return {column: value for column, value in row.items() if value}


def left_out(report_or_records):
    return {item.what: item.count for item in report_or_records.left_out}


def file_terms(path):
    """[(fr, en)] of every entry of a one-term-per-language file, read with plain lxml (not
    the reader under test); "" where the file's term is empty."""
    root = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True)).getroot()
    pairs = []
    for entry in root.iter("termEntry"):
        terms = {
            lang_set.get(XML_LANG): (lang_set.findtext(".//term") or "").strip()
            for lang_set in entry.iter("langSet")
        }
        pairs.append((terms.get("fr", ""), terms.get("en", "")))
    return pairs


def glossary_terms():
    """Counter of (fr term, en term) over every concept of the glossary."""
    texts = {}
    for concept_id, language, term in ConceptText.objects.values_list(
        "concept_id", "language", "term"
    ):
        texts.setdefault(concept_id, {})[language] = term
    return Counter((t.get("fr", ""), t.get("en", "")) for t in texts.values())


def glossary_rows():
    return rows_of(export_records())


def imported(path, **options):
    report = import_file(path.read_bytes(), file_name=path.name, **options)
    assert report.ok, report.problems[:3]
    return report


# -- Weblate's French glossary ------------------------------------------------------------

# The file's 199 entries: 5 have an empty French <term/>, 194 come in.
WEBLATE_WITHOUT_FRENCH = ["Celery", "Gitee", "Gerrit", "Subversion", "foo/bar"]
# English terms that share their French term with an earlier entry: the later entry is a
# concept of its own, its slug numbered.
WEBLATE_NUMBERED_SLUGS = {
    "systeme-de-controle-des-versions-2": ("système de contrôle des versions", "VCS"),
    "correspondant-2": ("correspondant", "matching"),
    "courriel-2": ("courriel", "e-mail"),
    "produits-derives-2": ("produits dérivés", "merchandise"),
    "prive-2": ("privé", "private"),
    "extension-2": ("extension", "add-on"),
    "temoins-de-connexion-2": ("Témoins de connexion", "Cookies"),
    "variantes-2": ("variantes", "variants"),
    "liste-de-composants-2": ("liste de composants", "component list"),
    "expression-rationnelle-2": ("expression rationnelle", "regex"),
    "politique-de-confidentialite-2": ("Politique de confidentialité", "Privacy Policy"),
    "projets-2": ("projets", "projects"),
    "source-2": ("source", "source"),  # the same two terms twice, under id "alias …"
}
WEBLATE_LEFT_OUT = {NOT_IMPORTED: 5}


def test_weblate_glossary_reads_every_entry_with_a_french_term_and_no_more():
    pairs = file_terms(WEBLATE)
    assert len(pairs) == 199
    records = read_tbx(WEBLATE.read_bytes())
    rows = rows_of(records)
    # File order, the file's own wording (commas, parentheses and all), nothing else.
    assert [(row["term_fr"], row["term_en"]) for row in rows] == [p for p in pairs if p[0]]
    assert {column for row in rows for column in only_filled(row)} == {
        "slug",
        "term_fr",
        "term_en",
    }
    assert not {row["term_en"] for row in rows} & set(WEBLATE_WITHOUT_FRENCH)
    assert left_out(records) == WEBLATE_LEFT_OUT
    (item,) = records.left_out
    assert item.examples == ["entry 148 (“Celery”)", "entry 152 (“Gitee”)", "entry 162 (“Gerrit”)"]


def test_weblate_ids_are_not_slugs_and_slugs_come_from_french_terms():
    """Most entries have no id; others have id="1" (twice), "plural form" (twice),
    "XML Tag", 'alias "Zen mode"'. None of them is used."""
    records = read_tbx(WEBLATE.read_bytes())
    slugs = [record.slug for record in records]
    assert len(set(slugs)) == len(slugs) == 194
    by_slug = {row["slug"]: (row["term_fr"], row["term_en"]) for row in rows_of(records)}
    assert {slug: by_slug[slug] for slug in WEBLATE_NUMBERED_SLUGS} == WEBLATE_NUMBERED_SLUGS
    assert [slug for slug in slugs if slug[-2:-1] == "-" and slug[-1].isdigit()] == list(
        WEBLATE_NUMBERED_SLUGS
    )
    assert by_slug["recherche"] == ("recherche", "search")  # id="1"
    assert by_slug["commit"] == ("commit", "commit")  # id="1" again
    assert by_slug["balise-xml"] == ("Balise XML", "XML Tag")
    assert by_slug["zen"] == ("Zen", "Zen")
    assert by_slug["traductions"] == ("traductions", "translations")  # id="plural form"
    assert not {"1", "xml-tag", "plural-form", "opposite", "components"} & set(slugs)
    # A long term gives an 80-character slug, the term stays whole.
    long = "protection-des-renseignements-personnels-confidentialite-vie-privee-protection-d"
    assert len(long) == 80
    assert by_slug[long][0] == (
        "protection des renseignements personnels "
        "(confidentialité, vie privée, protection de l’information)"
    )
    assert all(record.foreign and record.status is None for record in records)


@pytest.mark.django_db
def test_weblate_glossary_into_an_empty_glossary():
    report = imported(WEBLATE)
    assert (report.new, report.updated, report.unchanged) == (194, 0, 0)
    assert report.matches == []
    assert left_out(report) == WEBLATE_LEFT_OUT
    assert Concept.objects.count() == Concept.objects.published().count() == 194
    # Each concept has exactly the entry's French and English terms: no language filled
    # from another, and the five entries without French are nowhere.
    assert glossary_terms() == Counter(p for p in file_terms(WEBLATE) if p[0])
    assert not ConceptText.objects.filter(term__in=WEBLATE_WITHOUT_FRENCH).exists()
    assert not ConceptText.objects.exclude(definition="").exists()
    texts = Concept.objects.get(slug="correspondant-2").texts_by_language()
    assert (texts["fr"].term, texts["en"].term) == ("correspondant", "matching")


@pytest.mark.django_db
def test_weblate_glossary_into_the_seed_glossary_leaves_the_seed_alone(seed):
    before = glossary_rows()
    report = imported(WEBLATE)
    # No Weblate term is a sales term: nothing to match, everything new.
    assert (report.new, report.updated, report.unchanged) == (194, 0, 0)
    assert report.matches == []
    assert left_out(report) == WEBLATE_LEFT_OUT
    assert Concept.objects.count() == 39 + 194
    seed_slugs = {row["slug"] for row in before}
    assert [row for row in glossary_rows() if row["slug"] in seed_slugs] == before


@pytest.mark.django_db
def test_weblate_glossary_imported_again_unmerged_changes_nothing():
    imported(WEBLATE)
    before = glossary_rows()
    report = imported(WEBLATE)
    # Every entry now names a concept by its terms: a possible match, left alone.
    assert (report.new, report.updated, report.unchanged) == (0, 0, 0)
    assert len(report.matches) == 194
    assert not any(match.merged for match in report.matches)
    assert glossary_rows() == before


@pytest.mark.django_db
def test_weblate_glossary_imported_again_merging_everything_changes_nothing():
    imported(WEBLATE)
    before = glossary_rows()
    report = import_file(WEBLATE.read_bytes(), file_name=WEBLATE.name, merge=True)
    assert (report.new, report.updated) == (0, 0)
    assert glossary_rows() == before


@pytest.mark.django_db
def test_weblate_glossary_imported_again_merging_everything_is_accepted_unchanged():
    imported(WEBLATE)
    report = import_file(WEBLATE.read_bytes(), file_name=WEBLATE.name, merge=True)
    assert report.ok, report.problems[:1]
    assert (report.new, report.updated, report.unchanged) == (0, 0, 194)
    # Entries that share their French term each find their own concept again.
    matched = {match.where: match.slug for match in report.matches}
    assert len(set(matched.values())) == 194


# -- Okapi's IBM sample -----------------------------------------------------------------

IBM_ROWS = [
    {
        # Two English langSets in one entry: the first term, then a variant.
        "slug": "historique-de-navigation",
        # Each subject field is a domain: the slug of its text.
        "domains": "software",
        "term_fr": "historique de navigation",
        "term_en": "navigation trail",
        "variants_en": "branch",
    },
    {
        "slug": "accepteur-de-billets",
        "domains": "hardware-other-processing-units-and-specialized-devices",
        "term_fr": "accepteur de billets",
        "term_en": "bill acceptor",
    },
    {
        "slug": "operation-planifiee",
        "domains": "software-application-infrastructure-services-system-management",
        "term_fr": "opération planifiée",
        "term_en": "scheduled operation",
    },
    {
        "slug": "galerie-d-exemples",
        "domains": "software",
        "term_fr": "galerie d'exemples",
        "term_en": "samples gallery",
    },
    {
        # The only definition, English, stays English.
        "slug": "avant-guichet",
        "domains": "general",
        "term_fr": "avant-guichet",
        "term_en": "front end",
        "definition_en": (
            "The area of a store comprising conventional lanes and IBM lanes with a paystation."
        ),
    },
]
# Contexts are counted one by one (entry 1 has two); subject fields are kept as domains.
IBM_DOMAINS = [
    "general",
    "hardware-other-processing-units-and-specialized-devices",
    "software",
    "software-application-infrastructure-services-system-management",
]
IBM_LEFT_OUT = {
    "contexts (examples of use)": 5,
    # What the glossary has no field for, named by the file's own data category.
    "other information (partOfSpeech)": 11,
    "other information (productSubset)": 9,
    "other information (sourceIdentifier)": 7,
    "other information (relatedConceptBroader)": 3,
    "other information (relatedConcept)": 1,
}


def test_okapi_ibm_sample_reads_terms_variants_and_its_one_definition():
    records = read_tbx(OKAPI_IBM.read_bytes())
    assert [only_filled(row) for row in rows_of(records)] == IBM_ROWS
    # Ids c1…c5 are another tool's: the slugs come from the French terms.
    assert all(record.foreign for record in records)
    assert left_out(records) == IBM_LEFT_OUT
    contexts = next(i for i in records.left_out if i.what == "contexts (examples of use)")
    assert contexts.examples == [
        "entry 1 (“navigation trail”)",
        "entry 2 (“bill acceptor”)",
        "entry 3 (“scheduled operation”)",
    ]


@pytest.mark.django_db
def test_okapi_ibm_sample_into_an_empty_glossary():
    report = imported(OKAPI_IBM)
    assert (report.new, report.updated, report.unchanged) == (5, 0, 0)
    assert report.matches == []
    assert left_out(report) == IBM_LEFT_OUT
    # The four subject fields are four new domains, named after their slug for an editor
    # to rename.
    assert report.new_domains == IBM_DOMAINS
    assert dict(Domain.objects.values_list("slug", "names")) == {
        "general": {"fr": "General"},
        "hardware-other-processing-units-and-specialized-devices": {
            "fr": "Hardware other processing units and specialized devices"
        },
        "software": {"fr": "Software"},
        "software-application-infrastructure-services-system-management": {
            "fr": "Software application infrastructure services system management"
        },
    }
    software = Domain.objects.get(slug="software").concepts.values_list("slug", flat=True)
    assert sorted(software) == ["galerie-d-exemples", "historique-de-navigation"]
    assert [only_filled(row) for row in glossary_rows()] == sorted(
        ({**row, "status": "published"} for row in IBM_ROWS), key=lambda row: row["slug"]
    )
    front_end = Concept.objects.get(slug="avant-guichet").texts_by_language()
    assert front_end["fr"].definition == ""  # not filled from the English one


@pytest.mark.django_db
def test_okapi_ibm_sample_into_the_seed_glossary_leaves_the_seed_alone(seed):
    before = glossary_rows()
    report = imported(OKAPI_IBM)
    assert (report.new, report.updated, report.matches) == (5, 0, [])
    assert report.new_domains == IBM_DOMAINS
    assert Concept.objects.count() == 44
    seed_slugs = {row["slug"] for row in before}
    assert [row for row in glossary_rows() if row["slug"] in seed_slugs] == before


# -- Okapi's University of Maryland sample ------------------------------------------------


def test_okapi_maryland_sample_reads_synonyms_as_variants_and_drops_other_languages():
    records = read_tbx(OKAPI_MARYLAND.read_bytes())
    assert [only_filled(row) for row in rows_of(records)] == [
        {
            "slug": "copiste",
            "domains": "personnel",  # its subject field
            "term_fr": "copiste",  # entryTerm
            "variants_fr": "scribe | écrivain",  # synonyms; &#x00E9; read as é
            "term_en": "scribe",
            "variants_en": "copyist",
            # At concept level without xml:lang, the definition is in the file's language,
            # which says EN (<martif xml:lang="EN">) although the text is French.
            "definition_en": "personne qui accomplit un travail copie ou d'écriture",
        }
    ]
    assert left_out(records) == {"entries in languages the glossary does not hold (es, it)": 1}


@pytest.mark.django_db
def test_okapi_maryland_sample_into_an_empty_glossary_and_into_the_seed(seed):
    before = glossary_rows()
    report = imported(OKAPI_MARYLAND)
    assert (report.new, report.updated, report.matches) == (1, 0, [])
    copiste = Concept.objects.get(slug="copiste").texts_by_language()
    assert copiste["fr"].variants == ["scribe", "écrivain"]
    assert copiste["fr"].definition == ""
    assert not ConceptText.objects.filter(term__in=["scriba", "copista", "amanuense"]).exists()
    seed_slugs = {row["slug"] for row in before}
    assert [row for row in glossary_rows() if row["slug"] in seed_slugs] == before


# -- imported twice ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "concepts"), [(OKAPI_IBM, 5), (OKAPI_MARYLAND, 1)])
def test_okapi_samples_imported_again_change_nothing(path, concepts):
    imported(path)
    before = glossary_rows()
    # Not merged: every entry is a possible match with the concept it made, left alone.
    report = imported(path)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 0)
    assert [(m.slug, m.merged) for m in report.matches] == [
        (row["slug"], False) for row in rows_of(read_tbx(path.read_bytes()))
    ]
    # Merged: each entry finds its own concept, and it is unchanged.
    report = imported(path, merge=True)
    assert (report.new, report.updated, report.unchanged) == (0, 0, concepts)
    assert all(match.merged for match in report.matches)
    assert glossary_rows() == before


# -- the LTAC TBX-Basic sample (shared reference, not copied) -----------------------------


@pytest.fixture(scope="module")
def astronomy_sample():
    for place in REFERENCE_PLACES:
        path = place / "tbx" / "samples" / "Example_Astronomy_DCA_VALID.tbx"
        if path.is_file():
            return path
    pytest.skip("The TBX reference files (shared/reference/tbx/) are not on this machine.")


# Its English notes, sources and subject fields would be kept, had its entries a French
# term; the sources of its contexts go with the contexts.
ASTRONOMY_REFUSAL = (
    "This TBX file has no concept with a term in fr. "
    "39 entries in languages the glossary does not hold (es); "
    "38 definitions in languages the glossary does not hold; "
    "38 sources in languages the glossary does not hold; "
    "316 history records (who made or changed an entry, when); "
    "104 contexts (examples of use); "
    "34 other information (xGraphic); 107 other information (partOfSpeech); "
    "39 entries with no term in fr, not imported; "
    "14 notes in languages the glossary does not hold; "
    "6 entries in languages the glossary does not hold (zu); "
    "6 entries with no term in fr, en, not imported."
)


def test_ltac_astronomy_sample_is_refused_with_everything_it_holds(astronomy_sample):
    with pytest.raises(UnreadableFile) as refusal:
        read_tbx(astronomy_sample.read_bytes())
    assert str(refusal.value) == ASTRONOMY_REFUSAL


@pytest.mark.django_db
def test_ltac_astronomy_sample_imports_nothing_into_the_seed(seed, astronomy_sample):
    before = glossary_rows()
    report = import_file(astronomy_sample.read_bytes(), file_name=astronomy_sample.name)
    assert report.problems == [ASTRONOMY_REFUSAL]
    assert (report.new, report.updated) == (0, 0)
    assert glossary_rows() == before


def test_ltac_astronomy_sample_with_its_spanish_read_as_french_keeps_its_depth(astronomy_sample):
    """The official sample is rich in what TBX-Basic holds beside terms; given French (its
    Spanish, relabelled), each entry comes in with it: subject fields as domains, superseded
    terms as wordings to avoid, notes, and the sources of definitions (not of contexts)."""
    data = astronomy_sample.read_bytes().replace(b'xml:lang="es"', b'xml:lang="fr"')
    records = read_tbx(data)
    assert len(records) == 39
    first = only_filled(records[0].fields())
    assert first == {
        "slug": "cumulo-abierto",
        "domains": "general",
        "term_fr": "cúmulo abierto",
        "definition_fr": "Una acumulación de una docena hasta varios miles de jóvenes estrellas "
        "en el plano de las galaxias.",
        "source_fr": "http://www.espacioprofundo.com.ar/diccionario/Glosario_de_Astronomia/"
        "vertermino/Cumulo_abierto.html",
        "term_en": "open cluster",
        "deprecated_en": "galactic cluster",  # supersededTerm-admn-sts
        "definition_en": "A group of stars formed together in the spiral arms of a galaxy.",
        # The entry's note (in the file's language) and the superseded term's two notes.
        "note_en": "G-Source: http://www.physics.drexel.edu/observatory/dump.shtml\n\n"
        "Another name for an open star cluster. They are often termed Galactic Clusters "
        "because they are found mainly in the plane of our galaxy. If you were to view our "
        "galaxy from afar, you would find that all the open/galactic clusters lie within the "
        "spiral arms of the galaxy.\n\n"
        "N-Source: http://www.delscope.demon.co.uk/astronomy/glossary.htm#G",
        "source_en": "Oxford2007",  # the definition's; the contexts' go with them
    }
    assert sorted({slug for record in records for slug in record.domains}) == [
        "general",
        "stellar-birth",
        "stellar-death",
    ]
    assert left_out(records) == {
        "history records (who made or changed an entry, when)": 316,
        "contexts (examples of use)": 104,
        "other information (xGraphic)": 34,
        "other information (partOfSpeech)": 107,
        "entries in languages the glossary does not hold (zu)": 6,
        "notes in languages the glossary does not hold": 6,
        "entries with no term in fr, en, not imported": 6,
    }
