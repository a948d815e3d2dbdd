"""The seed glossary with terminology depth, for the interchange and API tests: wordings to
avoid, notes and sources on a few concepts, four named domains, and a draft that belongs to
a domain of its own (which no public face may show) and to a public one.

The wordings, notes and sources are test data, not the seed's: the seed says nothing of them.
"""

from terms.models import Concept, Domain
from terms.writer import import_file

DEPTH_CSV = (
    "slug,status,domains,term_fr,deprecated_fr,note_fr,source_fr,deprecated_en,note_en,source_en\n"
    "vente-sedentaire,published,ways-of-selling,Vente sédentaire,Télévente,"
    "Ne dites pas « télévente ».,Playbook commercial 2025,Telesales | Phone sales,"
    "Say inside sales.,https://example.com/playbook-2025\n"
    'chargee-de-compte,published,roles,Chargé·e de compte,,"Au pluriel : chargé·es de compte.\n\n'
    'En interne : AE.",https://example.com/roles?team=sales&year=2025,,,\n'
    "taux-d-attrition,published,metrics | customer-lifecycle,Taux d’attrition,,,,,,\n"
    "responsable-de-la-reussite-client,published,roles | customer-lifecycle,"
    "Responsable de la réussite client,,,,,,\n"
    "poste-secret,draft,roles | secret-project,Poste secret,Nom de code,Note interne.,,,,\n"
).encode()

DOMAIN_NAMES = {
    "roles": {"fr": "Rôles", "en": "Roles"},
    "metrics": {"fr": "Indicateurs", "en": "Metrics"},
    "customer-lifecycle": {"fr": "Cycle de vie client"},  # no English name: the French one
    "ways-of-selling": {"fr": "Façons de vendre", "en": "Ways of selling"},
    "secret-project": {"fr": "Projet secret", "en": "Secret project"},
}
# Published concepts per domain; `secret-project` holds a draft only.
PUBLISHED_COUNTS = {"customer-lifecycle": 2, "metrics": 1, "roles": 2, "ways-of-selling": 1}


def deepen_seed():
    """Add the depth to a glossary holding the seed: the seed's own domains are taken away
    (these tests count their own), the import completes the concepts it names (a column it
    lacks leaves their fields alone), then editors name the domains."""
    slugs = Concept.objects.values_list("slug", flat=True)
    no_domains = "slug,domains\n" + "".join(f"{slug},\n" for slug in slugs)
    assert import_file(no_domains.encode(), file_name="no-domains.csv").ok
    Domain.objects.all().delete()
    report = import_file(DEPTH_CSV, file_name="depth.csv")
    assert report.ok, report.problems
    for slug, names in DOMAIN_NAMES.items():
        Domain.objects.filter(slug=slug).update(names=names)
