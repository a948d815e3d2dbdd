"""TBX: the export validates against the official TBX-Basic schemas, and TBX files import.

The official schemas and samples live in the shared reference folder beside the
repository (`../shared/reference/tbx/`), which is not part of it: the tests
that need them skip when it is absent. The TBX-Basic DCA Schematron is XSLT 2,
which lxml cannot run: SaxonC-HE (`saxonche`) runs it, compiled to XSLT by
SchXslt 1.9.5 (MIT), which the `dcclib==0.4.0` wheel on PyPI ships. Only its
XSLT files are used, so it is installed without its dependencies:
`pip install --no-deps dcclib==0.4.0`.
"""

import importlib.util
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import etree

from terms.interchange import spreadsheet
from terms.interchange.errors import UnreadableFile
from terms.interchange.service import export_file, export_records
from terms.interchange.tbx import id_for_slug, read_tbx, slug_for_id, write_tbx
from terms.models import Concept, ConceptText
from terms.records import ConceptRecord
from terms.writer import import_file, import_records
from tests.depth import PUBLISHED_COUNTS, deepen_seed

DATA = Path(__file__).resolve().parent / "data" / "tbx"
REFERENCE_PLACES = (
    Path(__file__).resolve().parents[2] / "shared" / "reference",
    Path("/work/shared/reference"),
)
TBX = "{urn:iso:std:iso:30042:ed-2}"
NS = {"tbx": "urn:iso:std:iso:30042:ed-2"}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
SCHXSLT_PACKAGE = "dcclib==0.4.0"


# -- the official schemas -------------------------------------------------------------


@pytest.fixture(scope="module")
def reference():
    for place in REFERENCE_PLACES:
        if (place / "tbx" / "schemas").is_dir():
            return place
    pytest.skip("The TBX reference files (shared/reference/tbx/) are not on this machine.")


@pytest.fixture(scope="module")
def core_rng(reference):
    """The TBX v3 core structure, which lxml validates as RELAX NG."""
    return etree.RelaxNG(etree.parse(str(reference / "tbx" / "schemas" / "TBXcoreStructV03.rng")))


def schxslt_pipeline():
    """SchXslt's one-step pipeline (include, expand, compile to an SVRL-reporting XSLT)."""
    # find_spec locates the package without importing it (nor needing its dependencies).
    spec = importlib.util.find_spec("dcclib")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(
            f"SchXslt is missing: run `pip install --no-deps {SCHXSLT_PACKAGE}` "
            "(its wheel ships SchXslt 1.9.5, the Schematron compiler these tests use)."
        )
    package = Path(next(iter(spec.submodule_search_locations)))
    return package / "validation" / "schema" / "schxslt" / "pipeline-for-svrl.xsl"


@pytest.fixture(scope="module")
def dca_schematron(reference):
    """A function giving the failed assertions of TBX-Basic_DCA.sch on a document's bytes."""
    saxonche = pytest.importorskip(
        "saxonche", reason="SaxonC-HE (saxonche) is needed to run the XSLT 2 Schematron."
    )
    processor = saxonche.PySaxonProcessor(license=False)
    xslt = processor.new_xslt30_processor()
    compiler = xslt.compile_stylesheet(stylesheet_file=str(schxslt_pipeline()))
    schema = reference / "tbx" / "schemas" / "TBX-Basic_DCA.sch"
    validator = xslt.compile_stylesheet(
        stylesheet_text=compiler.transform_to_string(source_file=str(schema))
    )

    def failed_assertions(document):
        # Saxon takes the text without its byte order mark.
        node = processor.parse_xml(xml_text=document.decode("utf-8-sig"))
        report = etree.fromstring(validator.transform_to_string(xdm_node=node).encode("utf-8"))
        return [
            f"{failure.get('location')}: {' '.join(''.join(failure.itertext()).split())}"
            for failure in report.iter(f"{SVRL}failed-assert")
        ]

    return failed_assertions


def test_the_checks_pass_the_official_valid_sample_and_catch_the_bad_one(
    reference, core_rng, dca_schematron
):
    valid = (reference / "tbx" / "samples" / "Example_Astronomy_DCA_VALID.tbx").read_bytes()
    bad = (reference / "tbx" / "samples" / "basic_bad.tbx").read_bytes()
    assert core_rng.validate(etree.fromstring(valid)), core_rng.error_log
    assert dca_schematron(valid) == []
    failures = dca_schematron(bad)
    assert any("/definition/ may only appear at level(s)" in f for f in failures)
    assert any("/partOfSpeech/ type may be" in f for f in failures)


@pytest.mark.django_db
def test_the_seed_exported_as_tbx_has_a_valid_core_structure(seed, core_rng):
    document = write_tbx(list(export_records()), title="Glossaire des ventes")
    assert core_rng.validate(etree.fromstring(document)), core_rng.error_log


@pytest.mark.django_db
def test_the_seed_exported_as_tbx_passes_the_tbx_basic_dca_schematron(seed, dca_schematron):
    assert dca_schematron(write_tbx(list(export_records()))) == []


def rows_of(records):
    return [record.fields() for record in records]


def without_status(rows):
    """TBX carries no status: a concept read back keeps the one it has."""
    return [{**row, "status": ""} for row in rows]


def awkward_records():
    """Records that push the writer: a slug an XML ID cannot be, a definition, a note and a
    source without a term, a link to a concept outside the file, markup and quotes, two
    paragraphs, a domain slug in capitals, a language whose only wording is one to avoid."""
    rows = [
        {
            "slug": "3d-printing",
            "domains": "roles | Metrics_2",
            "term_fr": 'Impression <3D> & "co" ]]>',
            "deprecated_fr": "Impression <3D> | 3D & co",
            "definition_fr": "Premier paragraphe.\nLigne deux.\n\nSecond <script>x</script>.",
            "note_fr": "Une note <b>brute</b>.\n\nDeux & trois.",
            "source_fr": "https://example.com/a?b=1&c=<2>",
            "definition_en": "A definition with no English term.",
            "note_en": "A note with no English term.",
            "source_en": "Handbook, p. 3",
            "see_also": "_interne | absent-from-this-file",
        },
        {
            "slug": "_interne",
            "term_fr": "Interne",
            "acronyms_en": "INT",
            "deprecated_en": "Internal use",
            "see_also": "3d-printing",
        },
        {"slug": "a-eviter", "term_fr": "Terme", "deprecated_en": "Avoided wording"},
    ]
    return [ConceptRecord.from_fields(row) for row in rows]


def test_awkward_rows_still_give_a_valid_document(core_rng, dca_schematron):
    document = write_tbx(awkward_records())
    assert core_rng.validate(etree.fromstring(document)), core_rng.error_log
    assert dca_schematron(document) == []


# -- what the export says -------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_declares_tbx_basic_dca_and_the_schemas_to_check_it_with(seed):
    document = write_tbx(list(export_records()), title="Glossaire des ventes")
    root = etree.fromstring(document)
    assert root.tag == f"{TBX}tbx"
    assert (root.get("type"), root.get("style")) == ("TBX-Basic", "dca")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert root.findtext(".//tbx:titleStmt/tbx:title", namespaces=NS) == "Glossaire des ventes"
    models = [pi.text for pi in root.itersiblings(preceding=True)]
    assert any("TBXcoreStructV03.rng" in text for text in models)
    assert any("TBX-Basic_DCA.sch" in text for text in models)
    assert len(root.findall(".//tbx:conceptEntry", NS)) == 39


@pytest.mark.django_db
def test_terms_acronyms_variants_definitions_and_links_have_their_tbx_basic_form(seed):
    root = etree.fromstring(write_tbx(list(export_records())))

    def entry(slug):
        return root.find(f".//tbx:conceptEntry[@id='{slug}']", NS)

    def term_notes(entry, language):
        (section,) = entry.xpath(f"tbx:langSec[@xml:lang='{language}']", namespaces=NS)
        return [
            (
                term_sec.findtext("tbx:term", namespaces=NS),
                term_sec.findtext("tbx:termNote[@type='termType']", namespaces=NS),
                term_sec.findtext("tbx:termNote[@type='administrativeStatus']", namespaces=NS),
            )
            for term_sec in section.findall("tbx:termSec", NS)
        ]

    account = entry("chargee-de-compte")
    assert term_notes(account, "en") == [
        ("Account executive", "fullForm", "preferredTerm-admn-sts"),
        ("AE", "acronym", "admittedTerm-admn-sts"),
    ]
    (definition,) = account.xpath(
        "tbx:langSec[@xml:lang='fr']/tbx:descrip[@type='definition']/text()", namespaces=NS
    )
    assert definition.startswith("Les AE se concentrent")
    assert term_notes(entry("reussite-client"), "fr") == [
        ("Réussite client", "fullForm", "preferredTerm-admn-sts"),
        ("Succès des clients", "variant", "admittedTerm-admn-sts"),
    ]
    # An English acronym without an English term still has its langSec.
    assert term_notes(entry("pme-pmi"), "en") == [("SMB", "acronym", "admittedTerm-admn-sts")]
    link = entry("interaction-indirecte").find("tbx:ref", NS)
    assert (link.get("type"), link.get("target"), link.text) == (
        "crossReference",
        "asynchrone",
        "Asynchrone",
    )


# -- terminology depth: domains, wordings to avoid, notes, sources ------------------------


@pytest.fixture
def deep_seed(seed):
    deepen_seed()


def entry_of(root, slug):
    return root.find(f".//tbx:conceptEntry[@id='{slug}']", NS)


def statuses(entry, language):
    (section,) = entry.xpath(f"tbx:langSec[@xml:lang='{language}']", namespaces=NS)
    return [
        (
            term_sec.findtext("tbx:term", namespaces=NS),
            term_sec.findtext("tbx:termNote[@type='administrativeStatus']", namespaces=NS),
        )
        for term_sec in section.findall("tbx:termSec", NS)
    ]


@pytest.mark.django_db
def test_domains_wordings_to_avoid_notes_and_sources_have_their_tbx_basic_form(deep_seed):
    root = etree.fromstring(export_file("tbx"))
    attrition = entry_of(root, "taux-d-attrition")
    # One subject field per domain, at the concept level, holding the domain's slug.
    assert attrition.xpath("tbx:descrip[@type='subjectField']/text()", namespaces=NS) == [
        "customer-lifecycle",
        "metrics",
    ]
    selling = entry_of(root, "vente-sedentaire")
    # Every term has its administrative status; wordings to avoid are deprecated terms.
    assert statuses(selling, "fr") == [
        ("Vente sédentaire", "preferredTerm-admn-sts"),
        ("Vente interne", "admittedTerm-admn-sts"),
        ("Télévente", "deprecatedTerm-admn-sts"),
    ]
    assert statuses(selling, "en") == [
        ("Inside sales", "preferredTerm-admn-sts"),
        ("Telesales", "deprecatedTerm-admn-sts"),
        ("Phone sales", "deprecatedTerm-admn-sts"),
    ]
    (french,) = selling.xpath("tbx:langSec[@xml:lang='fr']", namespaces=NS)
    # The language's definition, source and note come before its terms, as the core
    # structure wants.
    assert [(etree.QName(child).localname, child.get("type")) for child in french][:3] == [
        ("descrip", "definition"),
        ("admin", "source"),
        ("note", None),
    ]
    assert french.findtext("tbx:admin[@type='source']", namespaces=NS) == "Playbook commercial 2025"
    assert french.findtext("tbx:note", namespaces=NS) == "Ne dites pas « télévente »."
    english_source = selling.xpath(
        "tbx:langSec[@xml:lang='en']/tbx:admin[@type='source']/text()", namespaces=NS
    )
    assert english_source == ["https://example.com/playbook-2025"]


@pytest.mark.django_db
def test_the_deep_seed_exported_as_tbx_still_passes_the_official_schemas(
    deep_seed, core_rng, dca_schematron
):
    document = export_file("tbx")
    assert core_rng.validate(etree.fromstring(document)), core_rng.error_log
    assert dca_schematron(document) == []


@pytest.mark.django_db
def test_the_public_tbx_names_no_draft_nor_a_domain_only_drafts_belong_to(deep_seed):
    document = export_file("tbx")
    assert b"poste-secret" not in document and b"Poste secret" not in document
    assert b"secret-project" not in document and b"Nom de code" not in document
    root = etree.fromstring(document)
    subjects = root.xpath(".//tbx:descrip[@type='subjectField']/text()", namespaces=NS)
    assert set(subjects) == set(PUBLISHED_COUNTS)


@pytest.mark.django_db
def test_the_deep_seed_read_back_from_tbx_gives_the_same_rows_and_imports_unchanged(deep_seed):
    exported = list(export_records())
    read_back = read_tbx(write_tbx(exported))
    assert rows_of(read_back) == without_status(rows_of(exported))
    report = import_file(export_file("tbx"), file_name="glossary.tbx")
    assert report.ok, report.problems
    # The draft is not in the public file: 39 published concepts come back unchanged.
    assert (report.new, report.updated, report.unchanged) == (0, 0, 39)
    assert report.new_domains == []


FOREIGN_DEPTH = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="fr" xmlns="urn:iso:std:iso:30042:ed-2">
<text><body>
<conceptEntry id="c-17">
  <descrip type="subjectField">Rôles &amp; métiers</descrip>
  <descrip type="subjectField">Ventes</descrip>
  <descrip type="subjectField">?!</descrip>
  <langSec xml:lang="fr">
    <descripGrp>
      <descrip type="definition">Vend par téléphone.</descrip>
      <admin type="source">Guide 2024</admin>
    </descripGrp>
    <admin type="source">https://example.com/guide</admin>
    <note>Première note.</note>
    <termSec>
      <term>Téléconseiller</term>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
      <note>Seconde note.</note>
      <descripGrp>
        <descrip type="context">Le téléconseiller rappelle le client.</descrip>
        <admin type="source">Exemple inventé</admin>
      </descripGrp>
    </termSec>
    <termSec>
      <term>Télévendeur</term>
      <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
    </termSec>
    <termSec>
      <term>Phoneur</term>
      <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
    </termSec>
  </langSec>
  <langSec xml:lang="en">
    <termSec>
      <term>Telesales agent</term>
    </termSec>
    <termSec>
      <term>Cold caller</term>
      <termNote type="normativeAuthorization">forbidden</termNote>
      <termNote type="usageNote">Sounds pushy.</termNote>
    </termSec>
  </langSec>
  <langSec xml:lang="de">
    <note>Nur auf Deutsch.</note>
    <termSec><term>Telefonverkäufer</term></termSec>
  </langSec>
</conceptEntry>
</body></text></tbx>""".encode()


def test_another_tools_depth_becomes_domains_wordings_to_avoid_notes_and_sources():
    records = read_tbx(FOREIGN_DEPTH)
    (record,) = records
    assert only_filled(record.fields()) == {
        "slug": "teleconseiller",
        # Subject fields are free text: each becomes the slug of its text.
        "domains": "roles-metiers | ventes",
        "term_fr": "Téléconseiller",
        # Superseded and deprecated alike: wordings to avoid.
        "deprecated_fr": "Télévendeur | Phoneur",
        "definition_fr": "Vend par téléphone.",
        # Several notes or sources of a language: one paragraph each.
        "note_fr": "Première note.\n\nSeconde note.",
        # The context's own source goes with the context, which is not kept.
        "source_fr": "Guide 2024\n\nhttps://example.com/guide",
        "term_en": "Telesales agent",
        "deprecated_en": "Cold caller",  # forbidden
        "note_en": "Sounds pushy.",  # a usage note
    }
    assert left_out(records) == {
        "subject fields with no Latin letter or digit": 1,  # ?! makes no slug
        "contexts (examples of use)": 1,
        "entries in languages the glossary does not hold (de)": 1,
        "notes in languages the glossary does not hold": 1,
    }


@pytest.mark.django_db
def test_another_tools_entry_merged_adds_its_domains_and_keeps_the_concepts_others(deep_seed):
    data = FOREIGN_DEPTH.replace(
        b"<term>T\xc3\xa9l\xc3\xa9conseiller</term>", b"<term>Vente s\xc3\xa9dentaire</term>"
    )
    report = import_file(data, file_name="other.tbx", merge=True)
    assert report.ok, report.problems
    assert [(m.slug, m.merged) for m in report.matches] == [("vente-sedentaire", True)]
    assert report.new_domains == ["roles-metiers", "ventes"]
    concept = Concept.objects.get(slug="vente-sedentaire")
    assert sorted(concept.domains.values_list("slug", flat=True)) == [
        "roles-metiers",
        "ventes",
        "ways-of-selling",
    ]
    french = concept.texts_by_language()["fr"]
    assert french.deprecated == ["Télévendeur", "Phoneur"]
    assert french.source == "Guide 2024\n\nhttps://example.com/guide"


# -- round trip -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_exported_and_read_back_gives_the_same_rows_and_imports_unchanged(seed):
    exported = list(export_records())
    read_back = read_tbx(write_tbx(exported))
    assert rows_of(read_back) == without_status(rows_of(exported))
    report = import_records(read_back, dry_run=True)
    assert report.ok, report.problems
    assert (report.new, report.updated, report.unchanged) == (0, 0, 39)


def test_awkward_rows_read_back_as_written_less_the_link_outside_the_file():
    rows = rows_of(read_tbx(write_tbx(awkward_records())))
    expected = without_status(rows_of(awkward_records()))
    expected[0]["see_also"] = "_interne"
    assert rows == expected


def test_what_a_language_without_a_term_says_stays_at_the_concept_level_tagged():
    root = etree.fromstring(write_tbx(awkward_records()))
    entry = root.find(".//tbx:conceptEntry[@id='_3d-printing']", NS)
    english = "[@xml:lang='en']"
    assert entry.xpath(f"tbx:descrip[@type='definition']{english}/text()", namespaces=NS) == [
        "A definition with no English term."
    ]
    assert entry.xpath(f"tbx:admin[@type='source']{english}/text()", namespaces=NS) == [
        "Handbook, p. 3"
    ]
    assert entry.xpath(f"tbx:note{english}/text()", namespaces=NS) == [
        "A note with no English term."
    ]
    # A language whose only wording is one to avoid still has its langSec.
    (only_avoided,) = root.xpath(
        ".//tbx:conceptEntry[@id='a-eviter']/tbx:langSec[@xml:lang='en']/tbx:termSec",
        namespaces=NS,
    )
    assert only_avoided.xpath("tbx:termNote/text()", namespaces=NS) == ["deprecatedTerm-admn-sts"]


@pytest.mark.parametrize("slug", ["churn", "3d-printing", "-x", "_interne", "__x", "a_b-9"])
def test_every_slug_has_an_xml_id_that_gives_it_back(slug):
    xml_id = id_for_slug(slug)
    assert xml_id[0].isalpha() or xml_id[0] == "_"
    assert slug_for_id(xml_id) == slug


def test_an_id_that_is_not_a_slug_gives_no_slug():
    assert slug_for_id("vít_pelčák-0") == ""
    assert slug_for_id("x" * 101) == ""
    assert slug_for_id("") == ""


def test_a_record_without_a_slug_cannot_be_written():
    record = ConceptRecord.from_fields({"term_fr": "Terme"})
    with pytest.raises(ValueError, match="Record 1 has no slug"):
        write_tbx([record])


# -- reading other tools' files ---------------------------------------------------------


def rows_by_term(records):
    return {row["term_fr"]: row for row in rows_of(records)}


def only_filled(row):
    return {column: value for column, value in row.items() if value}


def left_out(records):
    return {item.what: item.count for item in records.left_out}


def test_a_tbx_v3_file_from_another_tool_maps_what_it_holds_and_no_more():
    records = read_tbx((DATA / "v3-basic.tbx").read_bytes())
    rows = rows_by_term(records)
    assert only_filled(rows["Prospection"]) == {
        # Another tool's id is free text: the slug comes from the term.
        "slug": "prospection",
        "term_fr": "Prospection",
        "variants_fr": "Démarchage",
        # At concept level without xml:lang: the file's language (fr-FR); the
        # line break that only indents the file is a space.
        "definition_fr": "Recherche de nouveaux clients.",
        "term_en": "Prospecting",
        "acronyms_en": "SDR",
        "variants_en": "Lead gen",
        "definition_en": "Looking for new customers.\n\nDone by SDRs.",
        "see_also": "appel-a-froid",
    }
    appel = next(r for r in records if r.slug == "appel-a-froid")
    assert only_filled(appel.fields()) == {
        "slug": "appel-a-froid",
        "term_fr": "Appel à froid",
        "term_en": "Cold calling",
        "acronyms_en": "CC",
        "see_also": "prospection",  # Pipeline, without French, is not imported
    }
    # What the entry does not hold is not given: the concept keeps it.
    assert appel.content("fr").definition is None and appel.content("en").variants is None
    assert appel.foreign and appel.status is None
    # No language is filled from another: the English-only entry is left out, and said so.
    assert set(rows) == {"Prospection", "Appel à froid"}
    assert left_out(records) == {
        "entries in languages the glossary does not hold (de)": 2,
        "definitions in languages the glossary does not hold": 1,
        "entries with no term in fr, not imported": 1,
        "entries with no term in fr, en, not imported": 1,
    }
    item = next(i for i in records.left_out if i.what.startswith("entries with no term in fr,"))
    assert item.examples == ["entry 3 (“Pipeline”)"]


@pytest.mark.django_db
def test_a_tbx_with_a_language_the_glossary_lacks_is_imported_without_it():
    report = import_file((DATA / "v3-basic.tbx").read_bytes(), file_name="v3-basic.tbx")
    assert report.ok, report.problems
    assert report.new == 2
    assert sorted(Concept.objects.values_list("slug", flat=True)) == [
        "appel-a-froid",
        "prospection",
    ]
    linked = Concept.objects.get(slug="appel-a-froid").see_also.values_list("slug", flat=True)
    assert list(linked) == ["prospection"]
    assert not any("Akquise" in t.term for t in ConceptText.objects.all())
    assert {item.what for item in report.left_out} >= {"entries with no term in fr, not imported"}


def test_a_tbx_v2_martif_file_reads_what_it_holds():
    records = read_tbx((DATA / "v2-martif.tbx").read_bytes())
    rows = rows_by_term(records)
    assert set(rows) == {"Vente incitative"}  # Cross-sell and Churn rate have no French
    assert only_filled(rows["Vente incitative"]) == {
        "slug": "vente-incitative",
        "term_fr": "Vente incitative",
        "variants_fr": "Montée en gamme",
        "term_en": "Upsell",
        "definition_en": "Selling a higher tier.",
    }
    assert left_out(records)["entries with no term in fr, not imported"] == 2


@pytest.mark.django_db
def test_an_id_less_entry_never_overwrites_a_concept_it_names(seed):
    """A CAT tool's entry Customer onboarding / Intégration, no id, no definition: it names the
    seed's Intégration. Left alone unless the editor merges it; merged, it writes only what it
    holds."""
    integration = ConceptText.objects.get(concept__slug="integration", language="fr")
    data = b"""<martif type="TBX" xml:lang="en"><text><body><termEntry>
        <langSet xml:lang="en"><tig><term>Customer onboarding</term></tig></langSet>
        <langSet xml:lang="fr"><tig><term>Int\xc3\xa9gration</term></tig></langSet>
        </termEntry></body></text></martif>"""
    before = integration.definition
    report = import_file(data, file_name="cat.tbx")
    assert report.ok and (report.new, report.updated) == (0, 0)
    assert [(m.slug, m.merged) for m in report.matches] == [("integration", False)]
    integration.refresh_from_db()
    assert integration.definition == before
    report = import_file(data, file_name="cat.tbx", merge={report.matches[0].where})
    assert report.ok and report.updated == 1, report.problems
    texts = Concept.objects.get(slug="integration").texts_by_language()
    assert texts["fr"].definition == integration.definition  # nothing the entry lacks is cleared
    assert texts["en"].term == "Customer onboarding"
    assert Concept.objects.count() == 39


@pytest.mark.django_db
def test_foreign_entries_get_unique_slugs_from_their_terms(seed):
    data = b"""<tbx type="TBX-Basic" style="dca" xml:lang="fr" xmlns="urn:iso:std:iso:30042:ed-2">
        <text><body>
        <conceptEntry id="1"><langSec xml:lang="fr"><termSec><term>Hybride</term></termSec>
        </langSec><langSec xml:lang="en"><termSec><term>Hybrid</term></termSec></langSec>
        </conceptEntry>
        <conceptEntry id="1"><langSec xml:lang="fr"><termSec><term>Pile</term></termSec>
        </langSec><langSec xml:lang="en"><termSec><term>Stack</term></termSec></langSec>
        </conceptEntry>
        <conceptEntry id="1"><langSec xml:lang="fr"><termSec><term>Pile</term></termSec>
        </langSec><langSec xml:lang="en"><termSec><term>Battery</term></termSec></langSec>
        </conceptEntry>
        </body></text></tbx>"""
    report = import_file(data, file_name="weblate.tbx", merge=True)
    assert report.ok, report.problems
    assert (report.new, report.updated) == (2, 1)  # Hybride matched and merged
    english = dict(
        ConceptText.objects.filter(concept__slug__in=["pile", "pile-2"], language="en").values_list(
            "concept__slug", "term"
        )
    )
    assert english == {"pile": "Stack", "pile-2": "Battery"}


@pytest.mark.django_db
def test_reimporting_our_own_tbx_export_changes_nothing_drafts_links_included(seed):
    from terms.models import Status
    from terms.writer import set_status

    draft = Concept.objects.get(slug="asynchrone")
    set_status([draft.pk], Status.DRAFT)
    linked = Concept.objects.get(slug="interaction-indirecte")
    assert list(linked.see_also.values_list("slug", flat=True)) == ["asynchrone"]
    exported = export_file("tbx")
    assert b'id="asynchrone"' not in exported  # the draft stays out of the public file
    report = import_file(exported, file_name="glossary.tbx")
    assert report.ok and (report.new, report.updated) == (0, 0), report.rows[:2]
    assert list(linked.see_also.values_list("slug", flat=True)) == ["asynchrone"]
    assert Concept.objects.get(slug="asynchrone").status == Status.DRAFT


SAMPLES = [
    # (file under shared/reference, concepts with a French term, entries left out)
    ("glossary-samples/weblate/fr-extended-metadata.tbx", 2, 1),
    ("glossary-samples/translate-toolkit/test_administrative_status_and_translation_needed.tbx",
     1, 1),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "concepts", "skipped"), SAMPLES)
def test_tbx_files_from_other_tools_import_what_has_a_french_term(
    reference, name, concepts, skipped
):
    path = reference / name
    records = read_tbx(path.read_bytes())
    assert len(records) == concepts
    report = import_file(path.read_bytes(), file_name=path.name)
    assert report.ok, report.problems[:5]
    assert report.new == concepts
    not_imported = sum(i.count for i in report.left_out if i.what.endswith("not imported"))
    assert not_imported == skipped


@pytest.mark.parametrize(
    "name",
    [
        "glossary-samples/weblate/terms.tbx",
        "glossary-samples/weblate/cs.tbx",
        "tbx/samples/Example_Astronomy_DCA_VALID.tbx",
        "tbx/samples/Example_Astronomy_DCT_VALID.tbx",
    ],
)
def test_a_file_without_any_french_term_is_refused_with_what_it_holds(reference, name):
    with pytest.raises(UnreadableFile) as refusal:
        read_tbx((reference / name).read_bytes())
    message = str(refusal.value)
    assert message.startswith("This TBX file has no concept with a term in fr.")
    assert "not imported" in message and "languages the glossary does not hold" in message


def test_weblate_metadata_keeps_terms_in_use_and_reports_the_deprecated(reference):
    path = reference / "glossary-samples" / "weblate" / "fr-extended-metadata.tbx"
    records = read_tbx(path.read_bytes())
    rows = {row["term_en"]: row for row in rows_of(records)}
    # e001's only terms are deprecated ("obsolete"): no name to give it, so it is left out
    # rather than named by a wording to avoid, and the report says why.
    assert "data bus" not in rows
    assert left_out(records)["entries whose only terms in fr are to be avoided, not imported"] == 1
    assert rows["combo box"]["term_fr"] == "boîte combinée"
    # The developer's note, given twice, is the English note once.
    assert rows["SYS_ERR_406"]["note_en"] == "Do not translate error codes."
    # Wordings to avoid are kept now: the report no longer lists them.
    assert not any("deprecated" in item.what for item in records.left_out)


def test_weblate_metadata_with_a_french_term_in_use_keeps_the_obsolete_one_to_avoid(reference):
    """The same file, once its first entry has a French term in use beside the obsolete one:
    the obsolete wordings are the concept's wordings to avoid, in each language."""
    path = reference / "glossary-samples" / "weblate" / "fr-extended-metadata.tbx"
    in_use = (
        b'<tig><term id="e001-fr-new">bus</term>'
        b'<termNote type="administrativeStatus">preferred</termNote></tig>'
    )
    data = path.read_bytes().replace(
        b'<langSet xml:lang="fr">\n          <tig>\n            <term id="e001-fr">',
        b'<langSet xml:lang="fr">\n          ' + in_use + b'<tig>\n            <term id="e001-fr">',
    )
    assert data != path.read_bytes()
    records = read_tbx(data)
    bus = only_filled(rows_by_term(records)["bus"])
    assert bus == {
        "slug": "bus",
        "term_fr": "bus",
        "deprecated_fr": "bus de données",
        "deprecated_en": "data bus",
        # At the entry level, without xml:lang: the file's language (en).
        "definition_en": "Superseded but still found in older manuals.",
        "note_en": "Avoid using this term in any documentation.\n\n"
        "A communication system that transfers data between different components in a computer.",
    }


def test_the_dct_style_sample_reads_like_the_dca_one(reference):
    samples = reference / "tbx" / "samples"
    for name in ("Example_Astronomy_DCA_VALID.tbx", "Example_Astronomy_DCT_VALID.tbx"):
        with pytest.raises(UnreadableFile) as refusal:
            read_tbx((samples / name).read_bytes())
        assert "39 entries with no term in fr, not imported" in str(refusal.value)


# -- files that must not be read --------------------------------------------------------

PASSWD = Path("/etc/passwd")
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<martif type="TBX" xml:lang="en"><text><body><termEntry><langSet xml:lang="fr">
<tig><term>leak &xxe; here</term></tig></langSet></termEntry></body></text></martif>"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tbx type="TBX-Basic" style="dca" xml:lang="fr" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="lol"><langSec xml:lang="fr"><termSec><term>&lol9;</term></termSec></langSec>
</conceptEntry></body></text></tbx>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"<martif><text></martif>", "This is not well-formed XML"),
        (b"\xff\xfe not xml at all", "This is not well-formed XML"),
        (b'<?xml version="1.0"?><xliff version="1.2"/>', "neither TBX v3 (<tbx>) nor TBX v2"),
        (XXE, "declares its own entities"),
        (BILLION_LAUGHS, "declares its own entities"),
    ],
    ids=["empty", "malformed", "binary", "not-tbx", "xxe", "billion-laughs"],
)
def test_unreadable_or_hostile_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(UnreadableFile, match=message.replace("(", r"\(").replace(")", r"\)")) as e:
        read_tbx(data)
    if PASSWD.exists():
        assert PASSWD.read_text().splitlines()[0] not in str(e.value)


def test_a_doctype_naming_a_local_file_is_never_read():
    data = XXE.replace(
        b'[<!ENTITY xxe SYSTEM "file:///etc/passwd">]', b'SYSTEM "file:///etc/passwd"'
    ).replace(b"&xxe;", b"")
    rows = rows_of(read_tbx(data))
    assert rows[0]["term_fr"] == "leak here"
    if PASSWD.exists():
        first_line = PASSWD.read_text().splitlines()[0]
        assert not any(first_line in cell for row in rows for cell in row.values())


def test_a_file_without_any_french_or_english_term_is_refused():
    data = b"""<martif type="TBX" xml:lang="de"><text><body><termEntry><langSet xml:lang="de">
        <tig><term>Nur Deutsch</term></tig></langSet></termEntry></body></text></martif>"""
    with pytest.raises(UnreadableFile, match="no concept with a term in fr"):
        read_tbx(data)


def test_reading_fetches_nothing_over_the_network():
    requests = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "LEAKED">')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}".encode()
        external_dtd = (
            b'<!DOCTYPE martif SYSTEM "' + url + b'/TBXcdv04.dtd"><martif type="TBX" '
            b'xml:lang="en"><text><body><termEntry><langSet xml:lang="fr"><tig>'
            b"<term>Upsell</term></tig></langSet></termEntry></body></text></martif>"
        )
        assert rows_of(read_tbx(external_dtd))[0]["term_fr"] == "Upsell"
        external_entity = XXE.replace(b"file:///etc/passwd", url + b"/entity")
        with pytest.raises(UnreadableFile):
            read_tbx(external_entity)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert requests == []


def test_a_spreadsheet_and_its_tbx_give_the_same_rows():
    with open("terms/fixtures/glossaire-ventes.csv", "rb") as seed_file:
        records = spreadsheet.read(seed_file.read(), "csv")
    assert rows_of(read_tbx(write_tbx(records))) == without_status(rows_of(records))
