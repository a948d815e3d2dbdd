"""Pure text helpers: folding, sort keys, letters, slugs, value lists, mentions.

Nothing here touches Django or the database, so every rule about how words
compare, sort and link is testable on its own.
"""

import difflib
import functools
import re
import unicodedata

VALUE_SEPARATOR = " | "

# Characters that a reader types or omits at will and that must never stop a
# match or change the order: apostrophes of every kind, the middle dot of
# inclusive writing (Chargé·e), hyphens and dashes, quotes.
_APOSTROPHES = "'\u2019\u2018\u02bc\u2032`\u00b4"
_JOINERS = "\u00b7\u2027\u22c5\u2219"  # middle dots: Chargé·e reads as Chargée
_LIGATURES = {
    "œ": "oe",
    "Œ": "OE",
    "æ": "ae",
    "Æ": "AE",
    "ß": "ss",
    "ﬁ": "fi",
    "ﬂ": "fl",
}
_LIGATURE_TABLE = str.maketrans(_LIGATURES)
# Joiners vanish, apostrophes become word breaks, ligatures expand. Only the non-ASCII ones
# need replacing (the others are word breaks anyway), and a definition holds few of them:
# str.replace of each one present is twice as fast as str.translate over the whole text
# (1.0 s against 2.2 s for 10,000 long definitions).
_FOLD_REPLACEMENTS = [
    (character, replacement)
    for character, replacement in {
        **{c: "" for c in _JOINERS},
        **{c: " " for c in _APOSTROPHES},
        **_LIGATURES,
    }.items()
    if not character.isascii()
]
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Control characters other than tab and line ends: invisible, and refused by XLSX.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_accents(text):
    """Remove diacritics and expand ligatures (é → e, œ → oe), keeping case."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURE_TABLE))
    return "".join(c for c in text if not unicodedata.combining(c))


def fold(text):
    """The comparison form of a text: lowercase ASCII words separated by single spaces.

    `Chargé·e de compte` → `chargee de compte`, `Taux d’attrition` →
    `taux d attrition`, `PME/PMI` → `pme pmi`. Used for search and sort keys,
    so that what a reader types on a plain keyboard meets what editors wrote.
    """
    text = text or ""
    # ASCII text needs no replacement: its apostrophes are word breaks like any other
    # character outside [0-9a-z] below.
    if not text.isascii():
        # Only [0-9a-z] survives below, so dropping every non-ASCII character left after
        # decomposition is the same as stripping accents, and much faster.
        for character, replacement in _FOLD_REPLACEMENTS:
            if character in text:
                text = text.replace(character, replacement)
        text = unicodedata.normalize("NFKD", text)
        text = text.encode("ascii", "ignore").decode("ascii")
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


@functools.lru_cache(maxsize=100_000)
def fold_word(word):
    """`fold` for one word or short wording, cached: texts repeat the same words."""
    return fold(word)


@functools.lru_cache(maxsize=100_000)
def exact_word(word):
    """`strip_accents` for one word, cached: how acronyms are compared, case kept."""
    return strip_accents(word)


@functools.lru_cache(maxsize=100_000)
def sort_key(text):
    """A key whose plain byte order is the order a French or English reader expects.

    Accents, case, apostrophes and punctuation are folded away; word breaks
    sort before any letter (`Vente à distance` < `Vente assistée`). The key is
    made only of `0-9a-z` so that every database collation (SQLite's binary,
    PostgreSQL's C or a glibc locale) orders it the same way: a word break is
    written `0`, and a digit `1` followed by the digit, which keeps numbers
    after word breaks and before letters.
    """
    parts = []
    for char in fold(text):
        if char == " ":
            parts.append("0")
        elif char.isdigit():
            parts.append("1" + char)
        else:
            parts.append(char)
    # Truncated to fit an indexed column; 200 characters decide any real order.
    return "".join(parts)[:200]


@functools.lru_cache(maxsize=100_000)
def letter_of(text):
    """The index letter a text files under: `Échelle` → `E`, `Œuvre` → `O`, `3D` → `#`."""
    folded = fold(text)
    if folded and "a" <= folded[0] <= "z":
        return folded[0].upper()
    return "#"


def slug_for(text):
    """A URL slug from a term: `Chargé·e de compte` → `chargee-de-compte`."""
    slug = "-".join(fold(text).split())
    return slug[:80].rstrip("-")


def cell_text(value):
    """A spreadsheet cell as text, whatever the spreadsheet made of it (None, numbers, text)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def split_values(cell):
    """Values of a multi-valued cell (`AE | CSM`), trimmed, without empties or repeats."""
    values = []
    seen = set()
    for raw in (cell or "").split("|"):
        value = " ".join(_CONTROL.sub("", raw).split())
        if value and value not in seen:
            seen.add(value)
            values.append(value)
    return values


def join_values(values):
    return VALUE_SEPARATOR.join(values)


def clean_term(text):
    """A term as an editor means it: inner runs of spaces collapsed, ends trimmed."""
    return " ".join(_CONTROL.sub("", text or "").split())


def clean_definition(text):
    """Plain-text paragraphs: unified line ends, no trailing spaces, no blank runs."""
    text = _CONTROL.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    paragraphs = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", paragraphs)


def paragraphs(text):
    """Split a definition into paragraphs at blank lines (single line ends are kept)."""
    return [p for p in re.split(r"\n\s*\n", text or "") if p.strip()]


# -- mentions ---------------------------------------------------------------------

# A word: letters and digits, with inner middle dots (Chargé·e is one word).
_INNER_DOTS = "\u00b7\u2027"
_WORD = re.compile(f"[^\\W_]+(?:[{_INNER_DOTS}][^\\W_]+)*")


class MentionMatcher:
    """Finds, in a text, the wordings that name concepts: whole words, longest first.

    Terms and variants match whatever the case and accents (`réussite client`
    names *Réussite client*); acronyms match only as written (`AE` names
    *Chargé·e de compte*, `ae` does not). Build one matcher per batch of
    definitions: building is the costly part.
    """

    def __init__(self, names):
        """`names`: iterable of (wording, target, case_sensitive)."""
        self.folded = {}
        self.exact = {}
        # First words of every name: most words of a text start none, and are
        # passed over with one lookup.
        self.first_folded = set()
        self.first_exact = set()
        # Every beginning of every name: a match grows word by word while it is one.
        self.exact_beginnings = set()
        self.folded_beginnings = set()
        for wording, target, case_sensitive in names:
            words = tuple(_words(wording, exact=case_sensitive))
            if not words:
                continue
            table = self.exact if case_sensitive else self.folded
            table.setdefault(words, target)
            (self.first_exact if case_sensitive else self.first_folded).add(words[0])
            beginnings = self.exact_beginnings if case_sensitive else self.folded_beginnings
            beginnings.update(words[:length] for length in range(1, len(words) + 1))

    def segments(self, text, *, exclude=None, first_only=True):
        """The text cut into [piece, target-or-None]; `exclude` (the page's own concept) is
        never linked, and with `first_only` each target is linked at its first mention."""
        return segments_of(text, self.spans(text, exclude=exclude, first_only=first_only))

    def spans(self, text, *, exclude=None, first_only=True):
        """[[start, end, target], …]: where `segments` links, as character offsets. What a
        definition stores: its pieces written out again doubled every long definition."""
        tokens = list(_WORD.finditer(text))
        words = [token.group() for token in tokens]
        folded = list(map(fold_word, words))
        raw = list(map(exact_word, words))
        first_folded, first_exact = self.first_folded, self.first_exact
        # Long definitions are mostly words that start no name: only the others are tried.
        starts = [
            index
            for index, (fold_, exact) in enumerate(zip(folded, raw, strict=True))
            if fold_ in first_folded or exact in first_exact
        ]
        spans, linked, next_free = [], set(), 0
        for index in starts:
            if index < next_free:
                continue
            match = self._match_at(index, folded, raw)
            if match is None:
                continue
            length, target = match
            if target != exclude and not (first_only and target in linked):
                spans.append([tokens[index].start(), tokens[index + length - 1].end(), target])
                linked.add(target)
            next_free = index + length
        return spans

    def _match_at(self, index, folded, raw):
        """(length, target) of the longest name starting at word `index`; of a case-sensitive
        name and another of the same length, the case-sensitive one."""
        exact = _longest(self.exact, self.exact_beginnings, raw, index)
        folded = _longest(self.folded, self.folded_beginnings, folded, index)
        if exact is None or (folded is not None and folded[0] > exact[0]):
            return folded
        return exact


def _longest(names, beginnings, words, index):
    found = None
    key = ()
    for length in range(1, len(words) - index + 1):
        key += (words[index + length - 1],)
        if key not in beginnings:
            break
        target = names.get(key)
        if target is not None:
            found = (length, target)
    return found


def _words(wording, *, exact):
    if exact:
        return [strip_accents(m.group()) for m in _WORD.finditer(wording)]
    return [fold(m.group()) for m in _WORD.finditer(wording)]


def segments_of(text, spans):
    """`text` cut into [piece, target-or-None] at `spans` ([[start, end, target], …])."""
    if spans and len(spans[0]) == 2:
        # Links stored as pieces before migration 0021 (by a server still running the
        # code of before it, during an upgrade): already cut.
        return spans
    segments, cursor = [], 0
    for start, end, target in spans:
        if start > cursor:
            segments.append([text[cursor:start], None])
        segments.append([text[start:end], target])
        cursor = end
    if cursor < len(text):
        segments.append([text[cursor:], None])
    return segments


def linked_targets(spans):
    return {target for _start, _end, target in spans}


# -- search analysis ----------------------------------------------------------------

_STEMMERS = {}


def _stemmer(language):
    if language not in _STEMMERS:
        import snowballstemmer

        _STEMMERS[language] = snowballstemmer.stemmer(language)
    return _STEMMERS[language]


def words_of(text):
    """The folded words of a text: `Chargé·e d’affaires` → ['chargee', 'd', 'affaires']."""
    return fold(text).split()


@functools.lru_cache(maxsize=50_000)
def stems_of(word):
    """French and English Snowball stems of a folded word, so that plural and feminine
    forms meet in both languages (`comptes`, `compte` → `compt`; `commerciale` →
    `commercial`). Applied alike when indexing and when searching. Cached: a
    glossary repeats the same few thousand words."""
    return frozenset((_stemmer("french").stemWord(word), _stemmer("english").stemWord(word)))


def stemmed(folded_text):
    """Every stem of every word of a text already folded (`fold`), space-separated, for the
    search index."""
    return " ".join(map(_stems_text, folded_text.split()))


def distinct_stems(folded_text):
    """Each stem of the words of a text already folded, once, in order of first appearance:
    what a definition's stems column needs to match. Every occurrence repeated made a
    long definition's stems the largest part of its search index (24 of the 47 MB of text
    at 10,000 long definitions), for a frequency only the ranking of a stem read, and the
    words of the definition itself still count theirs."""
    words = dict.fromkeys(folded_text.split())
    return " ".join(dict.fromkeys(" ".join(map(_stems_text, words)).split()))


@functools.lru_cache(maxsize=50_000)
def _stems_text(word):
    return " ".join(sorted(stems_of(word)))


def within_one_edit(a, b):
    """True when `b` is `a` with one letter wrong, missing, extra or two swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def edit_distance(a, b):
    """Levenshtein distance, for ranking "did you mean" proposals."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def highlight(text, query_words):
    """`text` cut into [piece, matched] pieces where a word matches a query word:
    same folded prefix, or same stem. The template escapes every piece."""
    wanted_stems = set()
    for word in query_words:
        wanted_stems |= stems_of(word)
    prefixes = tuple(query_words)
    pieces, cursor = [], 0
    for match in _WORD.finditer(text):
        word = fold_word(match.group())
        hit = word.startswith(prefixes) or not wanted_stems.isdisjoint(stems_of(word))
        if hit and word:
            if match.start() > cursor:
                pieces.append([text[cursor : match.start()], False])
            pieces.append([match.group(), True])
            cursor = match.end()
    if cursor < len(text):
        pieces.append([text[cursor:], False])
    return pieces


def word_spans(text):
    """Match objects of the words of `text` (letters and digits, inner middle dots kept)."""
    return _WORD.finditer(text)


_WORD_CHARACTER = re.compile(r"[^\W_]")
# What a character stands for in a word, one character for one: a folded letter or digit,
# a break (a space) when it is no word character, _JOINED for a middle dot, _UNSURE for a
# word character that folds to several characters or none (œ, ø, a Greek letter).
_JOINED, _UNSURE = "\x02", "\x01"


# Characters after this one are worked out each time, not kept: a text of every Chinese
# character would otherwise leave tens of thousands of entries in each worker.
_KEPT_UP_TO = "\u2fff"


class _OneForOne(dict):
    def __missing__(self, character):
        if character in _INNER_DOTS:
            value = _JOINED
        elif _WORD_CHARACTER.match(character):
            folded = fold(character)
            value = folded if len(folded) == 1 else _UNSURE
        else:
            value = " "
        if character <= _KEPT_UP_TO:
            self[character] = value
        return value


_ONE_FOR_ONE = _OneForOne()
_LATIN_1_FOLDED = bytes(ord(_ONE_FOR_ONE[chr(code)]) for code in range(256))
_BEYOND_LATIN_1 = re.compile("[^\x00-\xff]")


class _LatinOneStandIn(dict):
    """For a character beyond Latin-1, one of Latin-1 that `_LATIN_1_FOLDED` folds the
    same way: its folded letter, a space, the middle dot, or æ (unsure)."""

    def __missing__(self, character):
        folded = _ONE_FOR_ONE[character]
        value = {_JOINED: "\u00b7", _UNSURE: "\u00e6"}.get(folded, folded)
        if character <= _KEPT_UP_TO:
            self[character] = value
        return value


_LATIN_1_STAND_IN = _LatinOneStandIn()
_FOLDED_WORD_BYTES = frozenset(b"0123456789abcdefghijklmnopqrstuvwxyz")


def first_word_starting(text, prefixes):
    """The position in `text` of its first word (as `word_spans` finds them) whose folded
    form starts with one of `prefixes` (folded words), or None.

    `word_spans` then `fold_word` on every word until one matches is what this answers,
    with C code instead of a Python step per word: a search page looks for its query in 20
    definitions, and that walk was the costliest part of the page. The text is folded one
    character for one (so a position in it is one in the text) into bytes, where a word
    starts after a space. A text holding a word character that does not fold to one
    character (œ, a Greek letter) is walked."""
    prefixes = [prefix.encode("ascii") for prefix in prefixes if prefix]
    if not prefixes:
        return None
    latin_1 = _BEYOND_LATIN_1.sub(lambda match: _LATIN_1_STAND_IN[match.group()], text)
    folded = latin_1.encode("latin-1").translate(_LATIN_1_FOLDED)
    if _UNSURE.encode() in folded:
        return _first_word_starting_by_walk(text, tuple(p.decode() for p in prefixes))
    joined = []
    if _JOINED.encode() in folded:
        # A dot between two word characters joins them (Chargé·e is one word, `chargee`);
        # any other ends a word. Joining dots are taken out, and counted back after.
        dots = bytearray(folded)
        position = folded.find(b"\x02")
        while position >= 0:
            if (
                0 < position < len(dots) - 1
                and dots[position - 1] in _FOLDED_WORD_BYTES
                and dots[position + 1] in _FOLDED_WORD_BYTES
            ):
                joined.append(position)
            else:
                dots[position] = ord(" ")
            position = folded.find(b"\x02", position + 1)
        folded = bytes(dots).replace(b"\x02", b"")
    spaced = b" " + folded
    starts = [spaced.find(b" " + prefix) for prefix in prefixes]
    found = min((start for start in starts if start >= 0), default=None)
    if found is None:
        return None
    # Back to the text: each joining dot taken out before the word was one character.
    return found + sum(1 for taken, position in enumerate(joined) if position - taken <= found)


def _first_word_starting_by_walk(text, prefixes):
    for match in _WORD.finditer(text):
        if fold_word(match.group()).startswith(prefixes):
            return match.start()
    return None


def written_words(text):
    """The words of `text` as written, each once, in order of first appearance."""
    return dict.fromkeys(_WORD.findall(text))


# -- differences ------------------------------------------------------------------------

_DIFF_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old, new):
    """`old` turned into `new`, as [piece, kind] with kind "same", "removed" or "added",
    word by word (spaces kept), for showing an editor what a change does."""
    old_words = _DIFF_TOKEN.findall(old or "")
    new_words = _DIFF_TOKEN.findall(new or "")
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(["".join(old_words[a_start:a_end]), "same"])
            continue
        if a_end > a_start:
            pieces.append(["".join(old_words[a_start:a_end]), "removed"])
        if b_end > b_start:
            pieces.append(["".join(new_words[b_start:b_end]), "added"])
    return pieces
