"""TBX: the glossary as a TBX-Basic file, and TBX files read back as interchange rows.

Translators' tools (CAT tools, Weblate, Lokalize) exchange terminology as TBX
(ISO 30042). `write_tbx` turns the interchange dataset (one row per concept,
the columns of `interchange_columns()`) into a TBX-Basic document of TBX v3
(ISO 30042:2019) in the DCA style, which validates against the official core
RELAX NG schema and the TBX-Basic DCA Schematron. `read_tbx` reads TBX-Basic
v3 (`<tbx>`, DCA or DCT style) and the older TBX v2 (`<martif>`) that most
tools still write, and returns the same kind of dataset, so a TBX file goes
through the import service exactly like a spreadsheet.

How a concept maps to TBX:
- `slug` is the `conceptEntry` id (an XML ID, see `id_for_slug`);
- per language that has content, one `langSec` with the definition
  (`<descrip type="definition">`) and one `termSec` per term: the term as
  `fullForm`/`preferredTerm-admn-sts`, each acronym as `acronym`, each
  variant as `variant`, both `admittedTerm-admn-sts`;
- see-also links are `<ref type="crossReference" target="id">` at the
  `conceptEntry` level (TBX-Basic allows them there and at `termSec`, not at
  `langSec`);
- the draft/published status is not written: TBX-Basic has no data category
  for a workflow status, and bending one (`projectSubset`, a `note`) would
  mislead the tools that read the file. Rows read from TBX are "published".

Reading never trusts the file: no DTD is loaded, nothing is fetched, and a file
that declares its own entities (XXE, "billion laughs") is refused outright.
"""

import html.entities
import re
from dataclasses import dataclass, field

import tablib
from django.utils.translation import gettext as _
from lxml import etree

from terms import text
from terms.interchange.boundary import sentences_only
from terms.interchange.formats import UnreadableFile
from terms.interchange.resource import SLUG_PATTERN, cell_text, interchange_columns
from terms.models import content_languages

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The schema association of the official TBX-Basic DCA samples: core structure
# RNG plus dialect Schematron. Editors such as oXygen validate with them.
SCHEMA_MODELS = (
    (
        "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng",
        "http://relaxng.org/ns/structure/1.0",
    ),
    (
        "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
        "TBX-Basic_DCA.sch",
        "http://purl.oclc.org/dsdl/schematron",
    ),
)

PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"

# termType values (ISO 12620, compared lowercased) that name the concept in
# full, those that are acronyms, and by elimination those that are variants.
MAIN_TERM_TYPES = {"", "fullform", "phrase", "entryterm", "commonname"}
ACRONYM_TERM_TYPES = {"acronym", "abbreviation", "initialism"}
# Elements whose data category is their `type` attribute (DCA style, and TBX
# v2); in DCT style the category is the element's own name (`<min:termType>`).
TYPED_ELEMENTS = {
    "admin",
    "adminNote",
    "descrip",
    "descripNote",
    "ref",
    "termNote",
    "transac",
    "transacNote",
    "xref",
}
TERM_CONTAINERS = {"termSec", "tig", "ntig"}
# Characters XML 1.0 cannot carry at all; lxml refuses them rather than escape them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def entities_refused():
    return _(
        "This XML file declares its own entities (<!ENTITY …>), which are refused for safety. "
        "TBX files do not need them: remove the DOCTYPE's internal subset."
    )


# A line break followed by indentation is the layout of a pretty-printed file,
# not a line break the author meant.
_LAYOUT_BREAK = re.compile(r"[ \t]*\n[ \t]+(?=\S)")


# -- writing ------------------------------------------------------------------------


def write_tbx(dataset, *, title="Glossary"):
    """The dataset's concepts as a TBX-Basic (TBX v3, DCA style) document, in UTF-8 bytes.

    Raises ValueError for a row without a slug: a `conceptEntry` needs an id.
    """
    languages = content_languages()
    rows = [_row_values(row) for row in dataset.dict]
    ids = {}
    for number, row in enumerate(rows, 2):
        if not row["slug"]:
            raise ValueError(f"Row {number} has no slug: every TBX concept entry needs an id.")
        ids[row["slug"]] = id_for_slug(row["slug"])
    labels = {row["slug"]: _label(row, languages) for row in rows}

    root = _tbx_root(title, languages[0])
    body = root.find(f"{{{TBX_NS}}}text/{{{TBX_NS}}}body")
    for row in rows:
        _add_concept_entry(body, row, languages, ids, labels)
    for href, schematypens in SCHEMA_MODELS:
        root.addprevious(
            etree.ProcessingInstruction(
                "xml-model",
                f'href="{href}" type="application/xml" schematypens="{schematypens}"',
            )
        )
    return etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def id_for_slug(slug):
    """The XML ID for a slug: the slug itself, or `_` + slug when it does not start with a letter.

    An XML ID is an NCName, which cannot start with a digit or a hyphen
    (`3d-printing`); `slug_for_id` removes the `_` again. Slugs that already
    start with `_` get a second one, so the mapping can be undone.
    """
    return slug if slug[:1].isalpha() else "_" + slug


def _row_values(row):
    values = {column: _NOT_XML.sub("", cell_text(value)) for column, value in row.items()}
    values["slug"] = values.get("slug", "").strip()
    return values


def _label(row, languages):
    """The words a cross-reference shows: the concept's first term, else its slug."""
    for language in languages:
        term = text.clean_term(row.get(f"term_{language}", ""))
        if term:
            return term
    return row["slug"]


def _add(parent, tag, content=None, /, **attributes):
    """A new last child of `parent` in the TBX namespace; `lang=` sets xml:lang."""
    element = etree.SubElement(parent, f"{{{TBX_NS}}}{tag}")
    for name, value in attributes.items():
        element.set(XML_LANG if name == "lang" else name, value)
    if content is not None:
        element.text = content
    return element


def _tbx_root(title, language):
    root = etree.Element(f"{{{TBX_NS}}}tbx", nsmap={None: TBX_NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, language)
    file_desc = _add(_add(root, "tbxHeader"), "fileDesc")
    _add(_add(file_desc, "titleStmt"), "title", title)
    _add(_add(file_desc, "sourceDesc"), "p", "Exported from the glossary as TBX-Basic.")
    _add(_add(root, "text"), "body")
    return root


def _add_concept_entry(body, row, languages, ids, labels):
    slug = row["slug"]
    contents = {}
    for language in languages:
        contents[language] = (
            text.clean_term(row.get(f"term_{language}", "")),
            text.split_values(row.get(f"acronyms_{language}")),
            text.split_values(row.get(f"variants_{language}")),
            text.clean_definition(row.get(f"definition_{language}", "")),
        )
    with_terms = [language for language in languages if any(contents[language][:3])]
    # The core structure needs at least one langSec, which needs a term: a row
    # with no wording in any language (no valid concept is like that) is left out.
    if not with_terms:
        return
    entry = _add(body, "conceptEntry", id=ids[slug])
    for target in text.split_values(row.get("see_also")):
        # A link to a concept outside this file would be a dangling IDREF (the
        # schema refuses it): a partial export keeps only the links it can.
        if target in ids and target != slug:
            _add(entry, "ref", labels[target], type="crossReference", target=ids[target])
    for language in languages:
        definition = contents[language][3]
        if language not in with_terms and definition:
            # A langSec needs a term; a definition without one stays at the
            # concept level, tagged with its language.
            _add(entry, "descrip", definition, type="definition", lang=language)
    for language in with_terms:
        _add_lang_sec(entry, language, *contents[language])


def _add_lang_sec(entry, language, term, acronyms, variants, definition):
    section = _add(entry, "langSec", lang=language)
    if definition:
        _add(section, "descrip", definition, type="definition")
    if term:
        _add_term_sec(section, term, "fullForm", PREFERRED)
    for acronym in acronyms:
        _add_term_sec(section, acronym, "acronym", ADMITTED)
    for variant in variants:
        _add_term_sec(section, variant, "variant", ADMITTED)


def _add_term_sec(section, term, term_type, status):
    term_sec = _add(section, "termSec")
    _add(term_sec, "term", term)
    _add(term_sec, "termNote", term_type, type="termType")
    _add(term_sec, "termNote", status, type="administrativeStatus")


# -- reading ------------------------------------------------------------------------


@dataclass
class _Term:
    wording: str
    term_type: str  # lowercased termType, "" when absent
    status: str  # "preferred", "admitted", "deprecated"…, "" when absent


@dataclass
class _Entry:
    """What one conceptEntry/termEntry says, per content language."""

    xml_id: str
    terms: dict = field(default_factory=dict)  # language -> [_Term]
    definitions: dict = field(default_factory=dict)  # language -> [text]
    targets: list = field(default_factory=list)  # ids the entry cross-references
    ids: set = field(default_factory=set)  # every id inside the entry


def read_tbx(data):
    """The concepts of a TBX file (v3 `<tbx>` or v2 `<martif>`) as an interchange dataset.

    Languages outside the content languages are ignored. Raises UnreadableFile
    for anything that is not a readable TBX file.
    """
    root = _parse(data)
    languages = content_languages()
    entries = [
        _read_entry(element, languages)
        for element in root.iter(etree.Element)
        if _local(element) in ("conceptEntry", "termEntry")
    ]
    concepts = [_concept_values(entry, languages) for entry in entries]
    # An entry with no term in any content language has nothing to import.
    kept = [i for i, values in enumerate(concepts) if values is not None]
    if not kept:
        raise UnreadableFile(
            _("This TBX file has no concept with a term in {languages}.").format(
                languages=", ".join(languages)
            )
        )
    slugs = {i: _slug_for_entry(entries[i], concepts[i], languages) for i in kept}
    owner = {xml_id: i for i in kept for xml_id in entries[i].ids}

    dataset = tablib.Dataset(headers=interchange_columns())
    for i in kept:
        values = concepts[i]
        see_also = []
        for target in entries[i].targets:
            other = owner.get(target)
            if other is not None and other != i and slugs[other]:
                see_also.append(slugs[other])
        row = {
            # A blank slug is derived by the importer, as for a spreadsheet.
            "slug": slug_for_id(entries[i].xml_id),
            "status": "published",
            "see_also": text.join_values(list(dict.fromkeys(see_also))),
            **values,
        }
        dataset.append([row[column] for column in dataset.headers])
    return dataset


def slug_for_id(xml_id):
    """The slug an id stands for (`id_for_slug` undone), or "" when it is not a valid slug."""
    xml_id = xml_id or ""
    candidate = xml_id[1:] if xml_id.startswith("_") else xml_id
    if SLUG_PATTERN.fullmatch(candidate) and len(candidate) <= 100:
        return candidate
    return ""


def _slug_for_entry(entry, values, languages):
    """The entry's slug: its id, else the one the importer will derive from its terms.

    The importer fills a blank slug from the first language whose term gives
    one; cross-references to such an entry need that same slug now.
    """
    slug = slug_for_id(entry.xml_id)
    if slug:
        return slug
    for language in languages:
        derived = text.slug_for(values[f"term_{language}"])
        if derived:
            return derived
    return ""


@sentences_only
def _parse(data):
    if not data or not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise UnreadableFile(_("The file is empty."))
    # No DTD is loaded and no entity is expanded: TBX v2 files name a DTD that
    # must never be fetched, and entities are the way in for XXE and
    # "billion laughs" files. Entity declarations are refused before parsing
    # (libxml2 would stop a billion laughs with a puzzling message), and again
    # after it for encodings this byte search cannot see. An entity can only be
    # declared in the DOCTYPE, so `<!ENTITY` anywhere after its start is enough
    # to refuse (a comment quoting one is refused too, harmlessly): two plain
    # searches, linear whatever the file holds, where an expression finding the
    # DOCTYPE's end took quadratic time on `<!DOCTYPE[` repeated.
    doctype = data.find(b"<!DOCTYPE")
    if doctype != -1 and data.find(b"<!ENTITY", doctype) != -1:
        raise UnreadableFile(entities_refused())
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        message = _("This is not well-formed XML: {error}.").format(error=error)
        raise UnreadableFile(message) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _entity in dtd.iterentities()):
        raise UnreadableFile(entities_refused())
    if _local(root) not in ("tbx", "martif"):
        raise UnreadableFile(
            _(
                "This XML file is neither TBX v3 (<tbx>) nor TBX v2 (<martif>): "
                "its root element is <{root}>."
            ).format(root=_local(root))
        )
    return root


def _local(element):
    return etree.QName(element).localname


def _category(element):
    """The data category of an element: `type` in DCA style and TBX v2, the name in DCT."""
    name = _local(element)
    return element.get("type", "") if name in TYPED_ELEMENTS else name


def _language_of(element, languages):
    """The content language an element is in (its own or inherited xml:lang), or None.

    Only the primary subtag counts: `fr-FR`, `fr_CA` and `FR` are all `fr`.
    """
    for node in (element, *element.iterancestors()):
        tag = node.get(XML_LANG)
        if tag:
            primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
            return primary if primary in languages else None
    return None


def _text(element):
    """The text of an element and its inline markup; entity references the parser kept
    as such (a DTD's `&nbsp;`) become their HTML character, or nothing."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child, etree._Entity):
            parts.append(html.entities.html5.get(child.name + ";", ""))
        elif isinstance(child.tag, str):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _definition_text(element):
    paragraphs = re.split(r"\n[ \t]*\n", _text(element).replace("\r\n", "\n"))
    return text.clean_definition(
        "\n\n".join(_LAYOUT_BREAK.sub(" ", paragraph.strip()) for paragraph in paragraphs)
    )


def _read_entry(element, languages):
    entry = _Entry(xml_id=element.get("id", ""))
    for node in element.iter(etree.Element):
        if node.get("id"):
            entry.ids.add(node.get("id"))
        name, category = _local(node), _category(node)
        if name == "term":
            language = _language_of(node, languages)
            wording = text.clean_term(_text(node))
            if language and wording:
                entry.terms.setdefault(language, []).append(_read_term(node, wording))
        elif category == "definition":
            language = _language_of(node, languages)
            definition = _definition_text(node)
            if language and definition:
                entry.definitions.setdefault(language, []).append(definition)
        elif category == "crossReference" and node.get("target"):
            entry.targets.append(node.get("target").lstrip("#"))
    return entry


def _read_term(term, wording):
    container = next(
        (node for node in term.iterancestors() if _local(node) in TERM_CONTAINERS),
        term.getparent(),
    )
    term_type = status = ""
    for note in container.iter(etree.Element):
        category = _category(note)
        value = " ".join(_text(note).split())
        if category == "termType" and not term_type:
            term_type = value.lower()
        elif category in ("administrativeStatus", "normativeAuthorization") and not status:
            status = _status_word(value)
    return _Term(wording, term_type, status)


def _status_word(value):
    """`preferredTerm-admn-sts`, `preferredTerm` and `preferred` all read `preferred`."""
    word = value.strip().lower().removesuffix("-admn-sts")
    return word.removesuffix("term") or word


def _concept_values(entry, languages):
    """The content columns of an entry, or None when it has no term in any content language."""
    values = {}
    found = False
    for language in languages:
        term, acronyms, variants = _sort_terms(entry.terms.get(language, []))
        found = found or bool(term or acronyms or variants)
        values[language] = {
            "term": term,
            "acronyms": acronyms,
            "variants": variants,
            "definition": "\n\n".join(dict.fromkeys(entry.definitions.get(language, []))),
        }
    if not found:
        return None
    _fill_default_term(values, languages)
    return {
        f"{part}_{language}": (
            text.join_values(content[part]) if part in ("acronyms", "variants") else content[part]
        )
        for language, content in values.items()
        for part in ("term", "acronyms", "variants", "definition")
    }


def _sort_terms(terms):
    """(term, acronyms, variants) of one language's terms, in document order.

    The term is the first preferred one, else the first that names the concept
    in full (fullForm or no termType, whatever its status: a deprecated term is
    still the best name a file gives). Acronyms and abbreviations are acronyms;
    every other term (admitted, deprecated, shortForm, variant…) is a variant.
    """

    def is_acronym(t):
        return t.term_type in ACRONYM_TERM_TYPES

    term = next((t for t in terms if t.status == "preferred" and not is_acronym(t)), None)
    if term is None:
        term = next((t for t in terms if t.term_type in MAIN_TERM_TYPES), None)
    chosen = term.wording if term else ""
    acronyms = [t.wording for t in terms if is_acronym(t) and t.wording != chosen]
    variants = [
        t.wording for t in terms if not is_acronym(t) and t is not term and t.wording != chosen
    ]
    return chosen, list(dict.fromkeys(acronyms)), list(dict.fromkeys(variants))


def _fill_default_term(values, languages):
    """Give the default language a term when the file has none, so the row imports.

    The importer requires a term in the default language (French). A file from
    a translation tool often has none (en→cs glossaries), so the first wording
    available stands in: a French variant or acronym, else another language's
    term, variant or acronym. Editors can correct it after the import.
    """
    default = values[languages[0]]
    if default["term"]:
        return
    for content in (default, *(values[language] for language in languages[1:])):
        if content is not default and content["term"]:
            default["term"] = content["term"]
            return
        for part in ("variants", "acronyms"):
            if content[part]:
                wording = content[part][0]
                if content is default:
                    content[part] = content[part][1:]
                default["term"] = wording
                return
