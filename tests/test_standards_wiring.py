"""TBX and SKOS reach users: the commands, the admin and the public download links."""

import pytest
import rdflib
from django.core.management import call_command
from django.test import Client
from lxml import etree

from terms.models import Concept, Status

TBX_NS = "{urn:iso:std:iso:30042:ed-2}"


@pytest.mark.django_db
def test_export_command_writes_tbx_and_skos_of_published_concepts(seed, tmp_path):
    Concept.objects.filter(slug="hybride").update(status=Status.DRAFT)
    tbx_path, skos_path = tmp_path / "g.tbx", tmp_path / "g.ttl"
    call_command("export_glossary", "--format", "tbx", "--output", str(tbx_path))
    call_command("export_glossary", "--format", "skos", "--output", str(skos_path))
    entries = etree.parse(str(tbx_path)).getroot().iter(f"{TBX_NS}conceptEntry")
    ids = {entry.get("id") for entry in entries}
    assert len(ids) == 38 and "hybride" not in ids
    graph = rdflib.Graph().parse(str(skos_path), format="turtle")
    concepts = set(graph.subjects(rdflib.RDF.type, rdflib.SKOS.Concept))
    assert len(concepts) == 38


@pytest.mark.django_db
def test_import_command_reads_a_tbx_file(db, tmp_path, capsys):
    call_command("import_glossary", "tests/data/tbx/v3-basic.tbx")
    assert "new" in capsys.readouterr().out
    assert Concept.objects.exists()


@pytest.mark.django_db
def test_a_reader_downloads_tbx_and_skos(seed, settings):
    """Concept IRIs come from GLOSSARY_BASE_URL, never from the host a request names: the
    same concept has the same IRI however the file was fetched (the SPEC)."""
    settings.GLOSSARY_BASE_URL = "https://glossary.example.com"
    client = Client()
    response = client.get("/exports/glossary.tbx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="glossary.tbx"'
    assert b"conceptEntry" in response.content
    response = client.get("/exports/glossary.ttl")
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    iri = rdflib.URIRef("https://glossary.example.com/fr/terms/chargee-de-compte/")
    assert (iri, rdflib.SKOS.prefLabel, rdflib.Literal("Account executive", lang="en")) in graph
    assert client.get("/exports/glossary.exe").status_code == 404


@pytest.mark.django_db
def test_every_page_links_to_the_downloads(seed):
    body = Client().get("/fr/").content.decode()
    assert 'href="/exports/glossary.tbx"' in body and 'href="/exports/glossary.ttl"' in body
