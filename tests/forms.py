"""Reading a page's form as a browser would send it, for tests that save real forms."""

import html.parser


class FormFields(html.parser.HTMLParser):
    """The name → value pairs a browser sends for the forms of a page (inputs, checked
    boxes, selected options, text areas), enough to save an admin form unchanged."""

    def __init__(self):
        super().__init__()
        self.fields = []
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if "checked" in attrs else "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append(tuple(self.textarea))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


def form_fields(page):
    """[(name, value)] of the page's form fields as a browser sends them."""
    parser = FormFields()
    parser.feed(page)
    return parser.fields


def with_values(fields, **changes):
    """The fields with some values replaced (by name), the CSRF token left out."""
    return [
        (name, changes.get(name, value)) for name, value in fields if name != "csrfmiddlewaretoken"
    ]


def post_data(fields):
    """Name-value pairs as Django's test client posts them (repeated names as lists)."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data
