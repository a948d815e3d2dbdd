"""TBX: concept records as a TBX-Basic file, and TBX files read back as records.

Translators' tools (CAT tools, Weblate, Lokalize) exchange terminology as TBX
(ISO 30042). `write_tbx` turns concept records (terms/records.py) into a
TBX-Basic document of TBX v3 (ISO 30042:2019) in the DCA style, which
validates against the official core RELAX NG schema and the TBX-Basic DCA
Schematron. `read_tbx` reads TBX-Basic v3 (`<tbx>`, DCA or DCT style) and the
older TBX v2 (`<martif>`) that most tools still write, and returns records, so
a TBX file goes through the writer exactly like a spreadsheet.

How a concept maps to TBX:
- `slug` is the `conceptEntry` id (an XML ID, see `id_for_slug`);
- each domain is a `<descrip type="subjectField">` at the `conceptEntry` level (the
  only level TBX-Basic allows), holding the domain's slug: a subject field is free
  text, and the slug is what names a domain in every language and comes back as the
  same domain (another tool's subject field becomes the slug of its text);
- per language that has content, one `langSec` with the definition
  (`<descrip type="definition">`), the source (`<admin type="source">`) and the note
  (`<note>`), which TBX-Basic allows at the language level, then one `termSec` per
  wording, each with its `administrativeStatus`: the term as
  `fullForm`/`preferredTerm-admn-sts`, each acronym as `acronym` and each variant as
  `variant`, both `admittedTerm-admn-sts`, each wording to avoid as
  `deprecatedTerm-admn-sts`;
- see-also links are `<ref type="crossReference" target="id">` at the
  `conceptEntry` level (TBX-Basic allows them there and at `termSec`, not at
  `langSec`);
- the draft/published status is not written: TBX-Basic has no data category
  for a workflow status, and bending one (`projectSubset`, a `note`) would
  mislead the tools that read the file. Records read from TBX are "published".

Reading maps what other tools write to the same fields: deprecated, superseded,
obsolete and forbidden terms (`administrativeStatus`, `normativeAuthorization`) are
wordings to avoid, notes and usage notes are the language's note, sources its source
(several of either are joined by a blank line), subject fields are domains.

Reading never trusts the file: no DTD is loaded, nothing is fetched, and a file
that declares its own entities (XXE, "billion laughs") is refused outright.
"""

import html.entities
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from terms import text
from terms.interchange.boundary import sentences_only
from terms.interchange.errors import UnreadableFile
from terms.languages import content_languages
from terms.records import ConceptRecord, Content, LeftOut, Reading

TBX_NS = "urn:iso:std:iso:30042:ed-2"
# What an XML ID made from a slug may be: the slugs the glossary accepts.
SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]+")
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

# What our own export says of itself (`_tbx_root`): such a file's ids are our slugs.
OWN_EXPORT = "Exported from the glossary as TBX-Basic."

PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"

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


def write_tbx(records, *, title="Glossary"):
    """The records as a TBX-Basic (TBX v3, DCA style) document, in UTF-8 bytes.

    Raises ValueError for a record without a slug: a `conceptEntry` needs an id.
    """
    languages = content_languages()
    records = list(records)
    ids = {}
    for number, record in enumerate(records, 1):
        if not record.slug:
            raise ValueError(f"Record {number} has no slug: every TBX concept entry needs an id.")
        ids[record.slug] = id_for_slug(record.slug)
    labels = {record.slug: record.label(languages[0]) for record in records}

    root = _tbx_root(title, languages[0])
    body = root.find(f"{{{TBX_NS}}}text/{{{TBX_NS}}}body")
    for record in records:
        _add_concept_entry(body, record, languages, ids, labels)
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


def _xml_text(value):
    return _NOT_XML.sub("", value)


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
    _add(_add(file_desc, "sourceDesc"), "p", OWN_EXPORT)
    _add(_add(root, "text"), "body")
    return root


@dataclass
class _Written:
    """One language of a record as the document holds it: XML-safe texts."""

    term: str
    acronyms: list
    variants: list
    deprecated: list
    definition: str
    note: str
    source: str

    @classmethod
    def of(cls, content):
        """A record's content; a part a partial record does not give (None) is empty."""
        return cls(
            term=_xml_text(content.term or ""),
            acronyms=[_xml_text(acronym) for acronym in content.acronyms or ()],
            variants=[_xml_text(variant) for variant in content.variants or ()],
            deprecated=[_xml_text(wording) for wording in content.deprecated or ()],
            definition=_xml_text(content.definition or ""),
            note=_xml_text(content.note or ""),
            source=_xml_text(content.source or ""),
        )

    def has_wording(self):
        return bool(self.term or self.acronyms or self.variants or self.deprecated)


def _add_concept_entry(body, record, languages, ids, labels):
    slug = record.slug
    contents = {language: _Written.of(record.content(language)) for language in languages}
    with_terms = [language for language in languages if contents[language].has_wording()]
    # The core structure needs at least one langSec, which needs a term: a record
    # with no wording in any language (no valid concept is like that) is left out.
    if not with_terms:
        return
    entry = _add(body, "conceptEntry", id=ids[slug])
    for domain in record.domains or ():
        _add(entry, "descrip", _xml_text(domain), type="subjectField")
    for target in record.see_also or ():
        # A link to a concept outside this file would be a dangling IDREF (the
        # schema refuses it): a partial export keeps only the links it can.
        if target in ids and target != slug:
            _add(entry, "ref", _xml_text(labels[target]), type="crossReference", target=ids[target])
    for language in languages:
        if language not in with_terms:
            # A langSec needs a term; what a language without one says stays at the
            # concept level, tagged with its language.
            _add_language_information(entry, contents[language], lang=language)
    for language in with_terms:
        _add_lang_sec(entry, language, contents[language])


def _add_language_information(parent, written, **attributes):
    """The definition, source and note of one language, those it has, in that order."""
    if written.definition:
        _add(parent, "descrip", written.definition, type="definition", **attributes)
    if written.source:
        _add(parent, "admin", written.source, type="source", **attributes)
    if written.note:
        _add(parent, "note", written.note, **attributes)


def _add_lang_sec(entry, language, written):
    section = _add(entry, "langSec", lang=language)
    _add_language_information(section, written)
    if written.term:
        _add_term_sec(section, written.term, PREFERRED, "fullForm")
    for acronym in written.acronyms:
        _add_term_sec(section, acronym, ADMITTED, "acronym")
    for variant in written.variants:
        _add_term_sec(section, variant, ADMITTED, "variant")
    for wording in written.deprecated:
        # Whether a wording to avoid is a full form or an abbreviation, the glossary
        # does not know: no termType rather than a guess.
        _add_term_sec(section, wording, DEPRECATED)


def _add_term_sec(section, term, status, term_type=None):
    term_sec = _add(section, "termSec")
    _add(term_sec, "term", term)
    if term_type:
        _add(term_sec, "termNote", term_type, type="termType")
    _add(term_sec, "termNote", status, type="administrativeStatus")


# -- reading ------------------------------------------------------------------------


# Usage statuses (administrativeStatus, normativeAuthorization) of wordings not to use:
# they come in as the language's wordings to avoid.
DEPRECATED_STATUSES = {"deprecated", "superseded", "obsolete", "forbidden", "notrecommended"}
# A language's texts beside its terms, by the `_Entry` field that collects them.
LANGUAGE_TEXTS = ("definitions", "notes", "sources")


@dataclass
class _Term:
    wording: str
    term_type: str  # lowercased termType, "" when absent
    status: str  # "preferred", "admitted", "deprecated"…, "" when absent
    abbreviates: bool = False  # has an abbreviatedFormFor: it is an acronym

    @property
    def is_acronym(self):
        return self.abbreviates or self.term_type in ACRONYM_TERM_TYPES

    @property
    def is_deprecated(self):
        return self.status in DEPRECATED_STATUSES


@dataclass
class _Entry:
    """What one conceptEntry/termEntry says, per content language, and what it holds that
    the glossary does not keep."""

    xml_id: str
    terms: dict = field(default_factory=dict)  # language -> [_Term]
    definitions: dict = field(default_factory=dict)  # language -> [text]
    notes: dict = field(default_factory=dict)  # language -> [text]
    sources: dict = field(default_factory=dict)  # language -> [text]
    subjects: list = field(default_factory=list)  # texts of its subject fields
    targets: list = field(default_factory=list)  # ids the entry cross-references
    ids: set = field(default_factory=set)  # every id inside the entry
    first_wording: str = ""  # its first term in any language, to name it in messages
    other_languages: set = field(default_factory=set)  # languages the glossary lacks
    # LANGUAGE_TEXTS found in languages the glossary lacks
    elsewhere: set = field(default_factory=set)
    unkept: list = field(default_factory=list)  # data categories with no home here
    other_categories: list = field(default_factory=list)  # and those we know nothing of


def read_tbx(data):
    """The concepts of a TBX file (v3 `<tbx>` or v2 `<martif>`) as records, in file order,
    with what the file holds that they do not (`Reading.left_out`).

    Our own export comes back as it left: its ids are the slugs. Another tool's file is
    foreign: its ids are free text, so its entries get slugs from their terms (the writer
    matches them with existing concepts), they say only what they hold (nothing they lack
    is cleared), and no language is ever filled from another: an entry without a term in
    the default language is left out, and said to be. Raises UnreadableFile for anything
    that is not a readable TBX file.
    """
    root = _parse(data)
    own = _is_own_export(root)
    languages = content_languages()
    left_out = _Tally()
    entries = [
        _read_entry(element, languages)
        for element in root.iter(etree.Element)
        if _local(element) in ("conceptEntry", "termEntry")
    ]
    kept = {}  # entry index -> (where, contents)
    for number, entry in enumerate(entries, 1):
        where = _entry_label(number, entry)
        contents = _entry_contents(entry, languages, own=own)
        if entry.other_languages:
            left_out.add(
                _("entries in languages the glossary does not hold ({languages})").format(
                    languages=", ".join(sorted(entry.other_languages))
                ),
                where,
            )
        for texts in LANGUAGE_TEXTS:
            if texts in entry.elsewhere:
                left_out.add(ELSEWHERE[texts], where)
        for category in entry.unkept:
            left_out.add(UNKEPT[category], where)
        for category in entry.other_categories:
            left_out.add(_("other information ({category})").format(category=category), where)
        default = contents.get(languages[0], Content())
        if not default.term and default.deprecated and not default.acronyms:
            # Naming the concept by a wording to avoid would be the opposite of the file.
            left_out.add(
                _("entries whose only terms in {language} are to be avoided, not imported").format(
                    language=languages[0]
                ),
                where,
            )
        elif not any(content.term for content in contents.values()):
            left_out.add(
                _("entries with no term in {languages}, not imported").format(
                    languages=", ".join(languages)
                ),
                where,
            )
        elif not default.term:
            left_out.add(
                _("entries with no term in {language}, not imported").format(language=languages[0]),
                where,
            )
        else:
            kept[number - 1] = (where, contents)
    if not kept:
        raise UnreadableFile(
            _("This TBX file has no concept with a term in {language}.").format(
                language=languages[0]
            )
            + _tally_sentence(left_out)
        )
    slugs = _slugs(entries, kept, own)
    owner = {xml_id: i for i in kept for xml_id in entries[i].ids}
    domains = {
        i: _domains(entries[i].subjects, own, left_out, where) for i, (where, _c) in kept.items()
    }
    records = Reading(left_out=left_out.items())
    for i, (where, contents) in kept.items():
        see_also = []
        for target in entries[i].targets:
            other = owner.get(target)
            if other is not None and other != i:
                see_also.append(slugs[other])
        records.append(
            ConceptRecord(
                slug=slugs[i],
                status=None,  # a file's concepts keep their status; new ones are published
                contents=contents,
                see_also=tuple(dict.fromkeys(see_also)),
                # Our own export says every domain; another tool's entry without a subject
                # field says nothing of them.
                domains=domains[i] if own or domains[i] else None,
                where=where,
                foreign=not own,
                adds_links=True,
            )
        )
    return records


# Data categories an entry may hold that the glossary has no place for.
UNKEPT = {
    "context": gettext_lazy("contexts (examples of use)"),
    "transaction": gettext_lazy("history records (who made or changed an entry, when)"),
    # A subject field whose text makes no slug (punctuation, another script).
    "subjectField": gettext_lazy("subject fields with no Latin letter or digit"),
}
# A language's texts in a language the glossary does not hold.
ELSEWHERE = {
    "definitions": gettext_lazy("definitions in languages the glossary does not hold"),
    "notes": gettext_lazy("notes in languages the glossary does not hold"),
    "sources": gettext_lazy("sources in languages the glossary does not hold"),
}


# Data categories the reader turns into the glossary's fields (read from terms and their
# notes, or from the entry); any other one with text is reported as left out.
READ_CATEGORIES = {
    "definition",
    "note",
    "usageNote",
    "source",
    "subjectField",
    "crossReference",
    "termType",
    "administrativeStatus",
    "normativeAuthorization",
    "abbreviatedFormFor",
}


class _Tally:
    def __init__(self):
        self.found = {}

    def add(self, what, where):
        key = str(what)
        self.found.setdefault(key, LeftOut(key)).add(where)

    def items(self):
        return list(self.found.values())


def _tally_sentence(tally):
    found = tally.items()
    if not found:
        return ""
    return " " + "; ".join(f"{item.count} {item.what}" for item in found) + "."


def _is_own_export(root):
    """Whether the file is one of our own exports, whose ids are our slugs."""
    return any(
        _local(element) == "p" and (element.text or "").strip() == OWN_EXPORT
        for header in root.iter(etree.Element)
        if _local(header) in ("tbxHeader", "martifHeader")
        for element in header.iter(etree.Element)
    )


def _entry_label(number, entry):
    if entry.first_wording:
        return _("entry {number} (“{term}”)").format(number=number, term=entry.first_wording)
    return _("entry {number}").format(number=number)


def _domains(subjects, own, left_out, where):
    """The domain slugs an entry's subject fields name, in file order.

    Our own export writes the slug itself; another tool's subject field is a name
    (`Software`, `Hardware \\ Devices`), whose slug is made as a term's is.
    """
    slugs = []
    for subject in subjects:
        slug = subject if own and SLUG_PATTERN.fullmatch(subject) else text.slug_for(subject)
        if slug:
            slugs.append(slug)
        else:
            left_out.add(UNKEPT["subjectField"], where)
    return tuple(dict.fromkeys(slugs))


def _slugs(entries, kept, own):
    """The slug of each kept entry: its id in our own export; else one made from its terms,
    unique in the file (the writer makes it unique in the glossary too)."""
    slugs, taken = {}, set()
    for i, (_where, contents) in kept.items():
        slug = slug_for_id(entries[i].xml_id) if own else ""
        if not slug:
            base = next(
                (text.slug_for(c.term) for c in contents.values() if text.slug_for(c.term or "")),
                "concept",
            )
            slug, number = base, 1
            while slug in taken:
                number += 1
                slug = f"{base}-{number}"
        taken.add(slug)
        slugs[i] = slug
    return slugs


def slug_for_id(xml_id):
    """The slug an id stands for (`id_for_slug` undone), or "" when it is not a valid slug."""
    xml_id = xml_id or ""
    candidate = xml_id[1:] if xml_id.startswith("_") else xml_id
    if SLUG_PATTERN.fullmatch(candidate) and len(candidate) <= 100:
        return candidate
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
        texts = _language_texts(category)
        if name == "term":
            wording = text.clean_term(_text(node))
            if not wording:
                continue
            entry.first_wording = entry.first_wording or wording
            language = _language_of(node, languages)
            if language:
                entry.terms.setdefault(language, []).append(_read_term(node, wording))
            else:
                entry.other_languages.add(_language_tag(node) or "?")
        elif texts and not _belongs_elsewhere(node):
            value = _definition_text(node)
            language = _language_of(node, languages)
            if language and value:
                getattr(entry, texts).setdefault(language, []).append(value)
            elif value:
                entry.elsewhere.add(texts)
        elif category == "subjectField":
            subject = " ".join(_text(node).split())
            if subject:
                entry.subjects.append(subject)
        elif category == "crossReference" and node.get("target"):
            entry.targets.append(node.get("target").lstrip("#"))
        elif category in UNKEPT and " ".join(_text(node).split()):
            entry.unkept.append(category)
        elif name == "transac":
            entry.unkept.append("transaction")
        elif name in ("transacNote", "date") or texts:
            continue  # part of a transaction or a context already counted
        elif (
            name in TYPED_ELEMENTS
            and category not in READ_CATEGORIES
            and " ".join(_text(node).split())
        ):
            entry.other_categories.append(category or name)
    return entry


def _language_texts(category):
    """The `_Entry` field that collects an element of this data category: definitions,
    notes (a `<note>`, a usage note, however spelt: `Usage note`) or sources; else None."""
    folded = category.replace(" ", "").lower()
    if folded == "definition":
        return "definitions"
    if folded in ("note", "usagenote"):
        return "notes"
    if folded == "source":
        return "sources"
    return None


def _belongs_elsewhere(node):
    """Whether a note or source belongs to something the glossary does not keep: a
    transaction (who changed the entry) or a context (an example sentence and its source)."""
    parent = node.getparent()
    if parent is None or not _local(parent).endswith("Grp"):
        return False
    return _local(parent) == "transacGrp" or any(
        _category(sibling) == "context" for sibling in parent.iterchildren(etree.Element)
    )


def _language_tag(element):
    """The primary language subtag an element is in, whatever the language."""
    for node in (element, *element.iterancestors()):
        tag = node.get(XML_LANG)
        if tag:
            return re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return ""


def _read_term(term, wording):
    container = next(
        (node for node in term.iterancestors() if _local(node) in TERM_CONTAINERS),
        term.getparent(),
    )
    read = _Term(wording, "", "")
    for note in container.iter(etree.Element):
        category = _category(note)
        value = " ".join(_text(note).split())
        if category == "termType" and not read.term_type:
            read.term_type = value.lower()
        elif category in ("administrativeStatus", "normativeAuthorization") and not read.status:
            read.status = _status_word(value)
        elif category == "abbreviatedFormFor":
            read.abbreviates = True
    return read


def _status_word(value):
    """`preferredTerm-admn-sts`, `preferredTerm` and `preferred` all read `preferred`."""
    word = value.strip().lower().removesuffix("-admn-sts")
    return word.removesuffix("term") or word


def _entry_contents(entry, languages, *, own):
    """{language: Content} of an entry. Our own export says everything (an absent part is
    empty); another tool's file says only what it holds (an absent part is None: the
    concept keeps it)."""
    contents = {}
    for language in languages:
        terms = entry.terms.get(language, [])
        term, acronyms, variants = _sort_terms([t for t in terms if not t.is_deprecated])
        names = {term, *acronyms, *variants}
        # A wording the file also gives as one in use stays in use.
        deprecated = tuple(
            dict.fromkeys(t.wording for t in terms if t.is_deprecated and t.wording not in names)
        )
        definition, note, source = (
            _joined(getattr(entry, texts).get(language, ())) for texts in LANGUAGE_TEXTS
        )
        if own:
            contents[language] = Content(
                term=term,
                acronyms=tuple(acronyms),
                variants=tuple(variants),
                deprecated=deprecated,
                definition=definition,
                note=note,
                source=source,
            )
        elif term or acronyms or variants or deprecated or definition or note or source:
            contents[language] = Content(
                term=term or None,
                acronyms=tuple(acronyms) or None,
                variants=tuple(variants) or None,
                deprecated=deprecated or None,
                definition=definition or None,
                note=note or None,
                source=source or None,
            )
    return contents


def _joined(texts):
    """Several definitions, notes or sources of one language as one text: paragraphs, each
    once."""
    return "\n\n".join(dict.fromkeys(texts))


def _sort_terms(terms):
    """(term, acronyms, variants) of one language's terms in use, in document order.

    The term is the first preferred one, else the first that names the concept in full
    (fullForm or no termType), else the first that is no acronym. Acronyms and
    abbreviations (or anything marked as the abbreviated form of another term) are
    acronyms; every other term (admitted, shortForm, variant…) is a variant.
    """
    names = [t for t in terms if not t.is_acronym]
    term = (
        next((t for t in names if t.status == "preferred"), None)
        or next((t for t in names if t.term_type in MAIN_TERM_TYPES), None)
        or next(iter(names), None)
    )
    chosen = term.wording if term else ""
    acronyms = [t.wording for t in terms if t.is_acronym and t.wording != chosen]
    variants = [t.wording for t in names if t is not term and t.wording != chosen]
    return chosen, list(dict.fromkeys(acronyms)), list(dict.fromkeys(variants))
