"""Which column of a spreadsheet holds what: the glossary's own columns, Weblate's glossary
layout recognised by itself, or the columns an editor assigned (a mapping).

A mapping is {file column: field}, the file column as `column_key` names it and the
field one of the spreadsheet's columns (`spreadsheet.export_columns`), or IGNORE.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import get_language_info, override
from django.utils.translation import gettext as _

from terms import text
from terms.interchange.errors import UnreadableFile
from terms.languages import content_languages, default_language
from terms.records import field_names

IGNORE = ""
# The last column of an export: the version (last update) each row was made from.
VERSION_COLUMN = "updated_at"
SAMPLES = 3

# What Weblate writes in a glossary's CSV or XLSX download (translate-toolkit's CSV
# columns), and what it reads back: `source` and `target` at least.
WEBLATE_COLUMNS = (
    "location",
    "source",
    "target",
    "id",
    "fuzzy",
    "context",
    "translator_comments",
    "developer_comments",
)
WEBLATE = "Weblate"


@dataclass
class Layout:
    """A spreadsheet's columns and what the glossary makes of them.

    `columns`: the file's column keys in file order, `headers` the same as written,
    `samples` the first values under each; `mapping` says where each column goes, `tool`
    names the layout when it was recognised (Weblate). `group_by`: columns whose equal
    values make rows one concept (Weblate writes one row per translation of a term).
    """

    columns: list
    headers: dict
    samples: dict
    mapping: dict = field(default_factory=dict)
    tool: str = ""
    own: bool = False
    group_by: tuple = ()

    # Set when the import stopped for want of a mapping: `mapping` is only a suggestion.
    undecided: bool = False

    @property
    def key(self):
        """The same for every file with these columns, in any order."""
        return hashlib.sha256("\x1f".join(sorted(self.columns)).encode()).hexdigest()

    @property
    def foreign(self):
        """Rows name no concept by slug: they are another tool's entries."""
        return "slug" not in self.mapping.values()

    def ignored(self):
        return [column for column in self.columns if self.mapping.get(column) == IGNORE]

    def describe(self):
        """`source → term_en, target → term_fr`, for reports."""
        return ", ".join(
            f"{self.headers[column]} → {self.mapping[column]}"
            for column in self.columns
            if self.mapping.get(column)
        )


class ColumnsNeeded(UnreadableFile):
    """A spreadsheet whose columns are not the glossary's: someone must say which of its
    columns go where. `layout` holds its columns, their first values and a suggestion."""

    def __init__(self, message, layout):
        super().__init__(message)
        self.layout = layout


def column_key(header, position):
    """A column's name as mappings know it: its header folded to lowercase, or its letter
    when the header is blank (`#C`)."""
    name = text.cell_text(header).strip().lstrip("\ufeff").strip().lower()
    return name or f"#{column_letter(position)}"


def column_letter(position):
    """Spreadsheet letters of a 0-based column position: A, B, … Z, AA…"""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def layout_of(raw_headers, rows, *, file_name="", mapping=None):
    """The Layout of a sheet with these headers and rows (lists of cells), read with
    `mapping` when given, else as the glossary's own, else as a recognised tool's; raises
    ColumnsNeeded when nothing says where its columns go, UnreadableFile for a mapping
    that does not fit the file."""
    columns = [column_key(header, i) for i, header in enumerate(raw_headers)]
    headers = {
        key: text.cell_text(header).strip().lstrip("\ufeff").strip() or f"({key[1:]})"
        for key, header in zip(columns, raw_headers, strict=True)
    }
    samples = {column: [] for column in columns}
    for row in rows:
        for column, cell in zip(columns, row, strict=False):
            value = text.cell_text(cell).strip()
            if value and len(samples[column]) < SAMPLES:
                samples[column].append(value[:80])
        if all(len(values) >= SAMPLES for values in samples.values()):
            break
    layout = Layout(columns, headers, samples)
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise UnreadableFile(
            _("Column(s) given twice: {columns}.").format(columns=", ".join(repeated))
        )
    known = set(fields())
    if mapping:
        layout.mapping = checked_mapping(mapping, layout)
        if _is_weblate(layout):
            _read_as_weblate(layout)
        return layout
    if all(column in known for column in columns):
        layout.mapping = {column: column for column in columns}
        layout.own = True
        return layout
    if _weblate(layout, file_name):
        if not layout.undecided:
            return layout
        raise ColumnsNeeded(
            _(
                "This looks like a Weblate glossary (columns {columns}), but neither it nor its "
                "name ({name}) says which language its “target” column is in: say where its "
                "columns go."
            ).format(
                columns=", ".join(layout.headers[c] for c in layout.columns),
                name=repr(file_name or "?"),
            ),
            layout,
        )
    layout.mapping = suggested_mapping(layout)
    layout.undecided = True
    unknown = [headers[c] for c in columns if c not in known]
    raise ColumnsNeeded(
        _("Unknown column(s): {unknown}. Expected columns: {known}.").format(
            unknown=", ".join(repr(h) for h in unknown), known=", ".join(fields())
        )
        + " "
        + _("Say which of the file's columns go where, or leave them out."),
        layout,
    )


def fields():
    """Every field a column can go to, in the spreadsheets' order: the record's fields, then
    the version an export's row was made from."""
    return [*field_names(), VERSION_COLUMN]


def checked_mapping(mapping, layout):
    """The complete mapping of the file's columns: a column the mapping leaves out keeps its
    own name when that is one of ours, and is ignored otherwise. Raises UnreadableFile for
    a column the file lacks, a field we do not have, or a field given two columns."""
    known = fields()
    given = {column_key(column, 0): target.strip() for column, target in mapping.items()}
    missing = [column for column in given if column not in layout.columns]
    if missing:
        raise UnreadableFile(
            _("The file has no column {missing}; its columns are {columns}.").format(
                missing=", ".join(repr(m) for m in missing),
                columns=", ".join(repr(layout.headers[c]) for c in layout.columns),
            )
        )
    wrong = sorted({t for t in given.values() if t != IGNORE and t not in known})
    if wrong:
        raise UnreadableFile(
            _("Unknown field(s) {wrong}: a column can go to {known}, or nowhere.").format(
                wrong=", ".join(repr(w) for w in wrong), known=", ".join(known)
            )
        )
    complete = {
        column: given.get(column, column if column in known else IGNORE)
        for column in layout.columns
    }
    targets = [t for t in complete.values() if t != IGNORE]
    twice = sorted({t for t in targets if targets.count(t) > 1})
    if twice:
        raise UnreadableFile(
            _("Two columns go to {fields}: choose one column for each field.").format(
                fields=", ".join(twice)
            )
        )
    return complete


def parse_map_options(options):
    """{file column: field} from `SOURCE=FIELD` options (an empty FIELD: ignore the column);
    raises ValueError with the option that does not read."""
    mapping = {}
    for option in options or ():
        column, sign, target = option.partition("=")
        if not sign or not column.strip():
            raise ValueError(option)
        mapping[column.strip()] = target.strip()
    return mapping


def _weblate(layout, file_name):
    """Whether the columns are Weblate's glossary layout; if so, the layout reads them:
    `source` and `target` are terms, the target's language named by the file's name (as
    Weblate names its downloads, `project-glossary-fr.csv`); without it, the mapping is
    only a suggestion (`undecided`)."""
    if not _is_weblate(layout):
        return False
    named = _language_in_name(file_name)
    target = named or default_language()
    others = [code for code in content_languages() if code != target]
    source = "en" if "en" in others else (others[0] if others else None)
    layout.mapping = dict.fromkeys(layout.columns, IGNORE)
    layout.mapping["source"] = f"term_{source}" if source else IGNORE
    layout.mapping["target"] = f"term_{target}"
    _read_as_weblate(layout)
    layout.undecided = named is None
    return True


def _is_weblate(layout):
    columns = set(layout.columns)
    return {"source", "target"} <= columns and columns <= set(WEBLATE_COLUMNS)


def _read_as_weblate(layout):
    """Weblate writes one row per translation: rows of one source term (in one context) are
    one concept."""
    layout.tool = WEBLATE
    layout.group_by = tuple(c for c in ("context", "source") if c in layout.columns)


def _language_in_name(file_name):
    """The one content language a file's name names (`glossary-fr.csv`, `fr.xlsx`), if any."""
    stem = PurePath(file_name or "").stem.lower()
    words = set(re.split(r"[-_.\s]+", stem))
    named = [code for code in content_languages() if code in words]
    return named[0] if len(named) == 1 else None


def suggested_mapping(layout):
    """A first guess at where each column goes, from its header's words (`English`,
    `Définition`, `Acronyme FR`…); what it cannot place is ignored. Editors check it."""
    mapping, taken = {}, set()
    for column in layout.columns:
        guess = _guess(layout.headers[column])
        if guess and guess not in taken:
            taken.add(guess)
            mapping[column] = guess
        else:
            mapping[column] = IGNORE
    return mapping


PART_WORDS = {
    "slug": ("slug", "identifiant", "identifier"),
    "status": ("status", "statut", "etat"),
    "definition": ("definition", "description", "explanation", "explication", "meaning", "sens"),
    "acronyms": ("acronym", "acronyme", "sigle", "abbreviation", "abreviation"),
    "variants": ("variant", "variante", "synonym", "synonyme"),
    "see_also": ("see also", "voir aussi", "related", "lien"),
    "term": ("term", "terme", "word", "mot", "source", "target", "cible", "traduction"),
}


def _guess(header):
    folded = text.fold(header).replace("_", " ")
    words = re.findall(r"\w+", folded)
    if not words:
        return None
    if folded.strip() in fields():
        return folded.strip()
    language = _language_of(words)
    for part, names in PART_WORDS.items():
        if any(re.search(rf"\b{re.escape(name)}", folded) for name in names):
            if part in ("slug", "status", "see_also"):
                return part
            return f"{part}_{language or default_language()}"
    if language:
        return f"term_{language}"
    return None


def _language_of(words):
    for code in content_languages():
        names = _language_names(code)
        if any(word == code or any(word.startswith(n) for n in names) for word in words):
            return code
    return None


def _language_names(code):
    """Folded names of a language in its own tongue and in each content language."""
    info = get_language_info(code)
    names = {info["name"], info["name_local"]}
    for language in content_languages():
        with override(language):
            names.add(_(info["name"]))
    return {text.fold(name) for name in names if len(name) >= 4}
