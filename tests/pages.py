"""Reading a page as its reader does: the words shown, and the text of some elements."""

import html.parser
import re


class VisibleStrings(html.parser.HTMLParser):
    """The strings a page shows or reads out: its text outside scripts and styles, and the
    attributes that speak (title, placeholder, aria-label, alt, button values)."""

    SILENT = {"script", "style", "template"}
    SPOKEN = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.silent = 0
        self.strings = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SILENT:
            self.silent += 1
        self.strings += [attrs[name] for name in self.SPOKEN if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.strings.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SILENT:
            self.silent -= 1

    def handle_data(self, data):
        if not self.silent and data.strip():
            self.strings.append(" ".join(data.split()))


def visible_strings(page):
    parser = VisibleStrings()
    parser.feed(page)
    return parser.strings


class ElementTexts(html.parser.HTMLParser):
    """The text of every element matching a tag and, optionally, one of its classes or its
    id, nested tags included, spaces collapsed."""

    VOID = {"input", "img", "br", "hr", "meta", "link", "source", "col", "wbr"}

    def __init__(self, tag, *, css_class=None, element_id=None):
        super().__init__()
        self.tag, self.css_class, self.element_id = tag, css_class, element_id
        self.depth = 0
        self.texts = []

    def _matches(self, tag, attrs):
        if tag != self.tag:
            return False
        if self.css_class and self.css_class not in (attrs.get("class") or "").split():
            return False
        return not self.element_id or attrs.get("id") == self.element_id

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif self._matches(tag, dict(attrs)):
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data

    def result(self):
        return [" ".join(text.split()) for text in self.texts]


def texts_of(page, tag, *, css_class=None, element_id=None):
    """[text] of the page's `tag` elements (with `css_class` or `element_id`)."""
    parser = ElementTexts(tag, css_class=css_class, element_id=element_id)
    parser.feed(page)
    return parser.result()


def option_value(page, select_name, label):
    """The value of the option shown as `label` in the select named `select_name`."""
    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select named {select_name}"
    for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1]):
        if html.unescape(text).strip() == label:
            return value
    raise AssertionError(f"no option {label!r} in {select_name}")
