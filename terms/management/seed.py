"""The seed glossary: its domains, named in every language, then its 39 concepts.

`make run` (through `load_seed`) and the tests' `seed` fixture load it with this one
function, so the glossary they start from is the same. The concepts come through the
normal import; an import names a domain it creates after its slug ("cycle-de-vie-client"
→ "Cycle de vie client", in the default language only), so the seed's domains are made
first, with the names its editors chose in `domains.csv` — an editorial starting point
the editors change in the admin.
"""

import csv
from pathlib import Path

from terms.languages import content_languages
from terms.models import Domain, GlossaryState
from terms.writer import import_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = FIXTURES / "glossaire-ventes.csv"
DOMAINS = FIXTURES / "domains.csv"


def seed_domains():
    """{slug: {language: name}} of the seed's domains (columns slug, name_fr, name_en…)."""
    with open(DOMAINS, encoding="utf-8", newline="") as file:
        return {
            row["slug"]: {
                code: row[f"name_{code}"] for code in content_languages() if row.get(f"name_{code}")
            }
            for row in csv.DictReader(file)
        }


def load_seed():
    """Create the seed's domains (a domain that exists keeps its names), then import the
    seed glossary; returns the import's report."""
    for slug, names in seed_domains().items():
        Domain.objects.get_or_create(slug=slug, defaults={"names": names})
    GlossaryState.bump()  # the domains' pages, even if the import were to change nothing
    return import_file(SEED.read_bytes(), file_name=SEED.name)
