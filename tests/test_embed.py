"""The glossary on other intranet pages: the description, the details, and who may read
or frame them (CORS, frame-ancestors), with and without listed origins, intranet mode too."""

import functools
import gzip
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from glossary_site.settings import envorigins
from terms import embed
from terms.models import GlossaryState, Status
from terms.records import Content
from tests.conftest import make_concept

INTRANET = "http://intranet.example"
OTHER = "http://elsewhere.example"


def description_url(language="fr"):
    return f"/embed/{language}/{GlossaryState.current()}/terms.json"


def details_url(slugs, language="fr"):
    return f"/embed/{language}/{GlossaryState.current()}/details.json?concepts={','.join(slugs)}"


def read_description(client, **headers):
    response = client.get(description_url(), headers=headers)
    assert response.status_code == 200
    return json.loads(response.content)


def spelled_lines(data):
    """The description's lines with each folded wording written out, as the script reads
    them: codes of `width` digits, each a place in `words`."""
    words, width = data["words"].split(" "), data["width"]
    digits = embed.CODE_DIGITS

    def spelled(part):
        if part.startswith(("=", "/")):
            return part
        places = [
            functools.reduce(lambda n, d: n * len(digits) + digits.index(d), part[i : i + width], 0)
            for i in range(0, len(part), width)
        ]
        return " ".join(words[place] for place in places)

    return ["|".join(map(spelled, line.split("|"))) for line in data["concepts"]]


def lines_by_slug(data):
    """{slug: [wordings]} of the description's lines, the slug found as the script finds it."""
    found = {}
    for line in spelled_lines(data):
        parts = line.split("|")
        slugs = [part[1:] for part in parts if part.startswith("/")]
        wordings = [part for part in parts if not part.startswith("/")]
        slug = slugs[0] if slugs else "-".join(wordings[0].split())[:80]
        found[slug] = wordings
    return found


# -- the description -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_description_lists_published_wordings_folded_and_acronyms_as_written(client, seed):
    make_concept("brouillon", fr="Concept en cours", acronyms_fr=["CEC"], status=Status.DRAFT)
    data = read_description(client)
    concepts = lines_by_slug(data)
    assert concepts["responsable-de-la-reussite-client"] == [
        "responsable de la reussite client",
        "customer success manager",
        "=CSM",
    ]
    assert "=ACV" in concepts["valeur-annuelle-du-contrat"]
    assert "valeur moyenne du contrat" in concepts["valeur-annuelle-du-contrat"]
    assert concepts["chargee-de-compte"][0] == "chargee de compte"
    assert "onboarding" in concepts["integration"]
    # A one-word variant is matched as written, as in definitions.
    assert "=Decouverte" in concepts["demo-decouverte"]
    assert "brouillon" not in concepts
    assert data["entry"] == "/fr/terms/{slug}/"
    assert data["details"] == f"/embed/fr/{GlossaryState.current()}/details.json"


def test_a_wording_two_concepts_share_names_the_older_and_slugs_are_given_when_not_derived():
    concepts = {
        1: ("pipeline", {"fr": Content(term="Pipeline")}),
        2: ("pipe-2", {"fr": Content(term="Pipeline", variants=("Tuyau",))}),
        3: ("etape", {"fr": Content(term="Étape", acronyms=("ÉT",), unlinked=("Étape",))}),
    }
    lines = embed.description_lines(concepts)
    # A one-word variant is matched as written, as the mention matcher does.
    assert lines == ["=ET|/etape", "=Tuyau|/pipe-2", "pipeline"]


def test_the_description_stays_under_150_kb_gzipped_at_10000_concepts():
    from tests.embed_pages import synthetic_concepts

    words, width, lines = embed.coded(embed.description_lines(synthetic_concepts(10_000)))
    data = json.dumps({"words": " ".join(words), "width": width, "concepts": lines})
    size = len(gzip.compress(data.encode(), compresslevel=9))
    assert size < 150 * 1024, size


def test_folded_wordings_are_sent_as_codes_of_their_words_the_commonest_shortest():
    many = [f"mot{n} de client" for n in range(70)]
    words, width, lines = embed.coded(["=CSM|/csm", "client de rien|=CDR", *many])
    assert words[:2] == ["client", "de"]  # in every line: the first places
    assert width == 2  # 73 words: more than 64 codes of one digit
    data = {"words": " ".join(words), "width": width, "concepts": lines}
    assert sorted(spelled_lines(data)) == sorted(["=CSM|/csm", "client de rien|=CDR", *many])
    for line in lines:
        for part in line.split("|"):
            if not part.startswith(("=", "/")):
                assert len(part) % width == 0 and set(part) <= set(embed.CODE_DIGITS)
    assert embed.coded([]) == ([], 1, [])


@pytest.mark.django_db
def test_an_old_generation_leads_to_the_current_description(client, published_concept):
    old = GlossaryState.current()
    make_concept("pipeline", fr="Pipeline")
    response = client.get(f"/embed/fr/{old}/terms.json", headers={"Origin": INTRANET})
    assert response.status_code == 302
    assert response["Location"] == description_url()
    assert response["Cache-Control"] == "no-cache"


@pytest.mark.django_db
def test_the_description_is_gzipped_for_whoever_accepts_it_and_kept_for_a_year(
    client, published_concept
):
    response = client.get(description_url(), headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip"
    data = json.loads(gzip.decompress(response.content))
    assert spelled_lines(data) == ["churn rate|taux d attrition|/churn"]
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert {"Origin", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    again = client.get(description_url(), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
def test_an_unknown_language_is_a_json_404(client, published_concept):
    response = client.get(f"/embed/de/{GlossaryState.current()}/terms.json")
    assert response.status_code == 404
    assert json.loads(response.content)["code"] == "not_found"


# -- the details -------------------------------------------------------------------------


@pytest.mark.django_db
def test_details_show_the_term_the_other_language_and_the_start_of_the_definition(client, seed):
    make_concept("brouillon", fr="Concept en cours", status=Status.DRAFT)
    slugs = ["responsable-de-la-reussite-client", "brouillon", "nulle-part"]
    data = json.loads(client.get(details_url(slugs)).content)
    assert list(data["concepts"]) == ["responsable-de-la-reussite-client"]
    csm = data["concepts"]["responsable-de-la-reussite-client"]
    assert csm["term"] == "Responsable de la réussite client"
    assert csm["other"] == [{"language": "en", "term": "Customer success manager"}]
    assert csm["definition"].startswith("Le rôle des CSM est de stimuler")
    assert csm["definition"].endswith("…") and len(csm["definition"]) <= 242
    assert csm["url"] == "/fr/terms/responsable-de-la-reussite-client/"
    english = json.loads(client.get(details_url(slugs[:1], "en")).content)["concepts"]
    assert english[slugs[0]]["term"] == "Customer success manager"
    assert english[slugs[0]]["acronyms"] == ["CSM"]
    assert english[slugs[0]]["url"] == "/en/terms/responsable-de-la-reussite-client/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "concepts", ["<script>", ",".join(f"c{n}" for n in range(200)), "a" * 101, "x%27"]
)
def test_a_bad_details_request_is_a_json_400_naming_the_parameter(
    client, published_concept, settings, concepts
):
    settings.GLOSSARY_EMBED_ORIGINS = [INTRANET]
    url = f"/embed/fr/{GlossaryState.current()}/details.json"
    response = client.get(url, {"concepts": concepts}, headers={"Origin": INTRANET})
    assert response.status_code == 400
    assert json.loads(response.content)["parameter"] == "concepts"
    assert response["Access-Control-Allow-Origin"] == INTRANET


# -- who may read and frame -------------------------------------------------------------

EMBEDDING = ["/embed/glossary.js", "description", "details"]


def embedding_url(name):
    if name == "description":
        return description_url()
    if name == "details":
        return details_url(["churn"])
    return name


@pytest.mark.django_db
@pytest.mark.parametrize("name", EMBEDDING)
def test_without_listed_origins_no_page_elsewhere_may_read_the_glossary(
    client, published_concept, name
):
    response = client.get(embedding_url(name), headers={"Origin": INTRANET})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response
    assert "Origin" in response["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", EMBEDDING)
def test_a_listed_origin_may_read_the_embedding_endpoints_with_credentials(
    client, published_concept, settings, name
):
    settings.GLOSSARY_EMBED_ORIGINS = [INTRANET, "https://news.example:8443"]
    response = client.get(embedding_url(name), headers={"Origin": INTRANET})
    assert response["Access-Control-Allow-Origin"] == INTRANET
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in response["Vary"]
    refused = client.get(embedding_url(name), headers={"Origin": OTHER})
    assert "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Credentials" not in refused


@pytest.mark.django_db
def test_listed_origins_get_no_cors_on_the_reader_pages_nor_the_api(
    client, published_concept, settings
):
    settings.GLOSSARY_EMBED_ORIGINS = [INTRANET]
    for path in ["/fr/", "/fr/terms/churn/", "/api/concepts/", "/fr/terms/churn/card/"]:
        response = client.get(path, headers={"Origin": INTRANET})
        assert "Access-Control-Allow-Origin" not in response, path


@pytest.mark.django_db
def test_without_listed_origins_the_card_is_as_unframeable_as_every_page(client, published_concept):
    response = client.get("/fr/terms/churn/card/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "Taux d’attrition" in response.content.decode()


@pytest.mark.django_db
def test_listed_origins_alone_may_frame_the_card(client, published_concept, settings):
    settings.GLOSSARY_EMBED_ORIGINS = [INTRANET, "https://news.example:8443"]
    response = client.get("/en/terms/churn/card/")
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors http://intranet.example https://news.example:8443;" in policy + ";"
    assert "'none'" not in policy.split("frame-ancestors")[1]
    assert "script-src 'self'" in policy
    page = response.content.decode()
    assert "Churn rate" in page and 'target="_top"' in page
    # Every other page stays unframeable.
    for path in ["/en/", "/en/terms/churn/", "/en/embed/"]:
        other = client.get(path)
        assert other["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in other["Content-Security-Policy"], path


@pytest.mark.django_db
def test_drafts_and_unknown_slugs_have_no_card(client, draft_concept):
    assert client.get("/fr/terms/brouillon/card/").status_code == 404
    assert client.get("/fr/terms/nulle-part/card/").status_code == 404


@pytest.mark.django_db
def test_intranet_mode_asks_the_reader_to_sign_in_as_the_api_does(
    published_concept, employee, settings
):
    settings.GLOSSARY_REQUIRE_LOGIN = True
    settings.GLOSSARY_EMBED_ORIGINS = [INTRANET]
    anonymous = Client()
    refused = anonymous.get(description_url(), headers={"Origin": INTRANET})
    assert refused.status_code == 403
    assert json.loads(refused.content)["code"] == "sign_in_required"
    # The script can tell a refusal from a network failure: it may read the answer.
    assert refused["Access-Control-Allow-Origin"] == INTRANET
    assert refused["Access-Control-Allow-Credentials"] == "true"
    assert anonymous.get(details_url(["churn"])).status_code == 403
    # The script is code, like the static files: it reads nothing without a session.
    assert anonymous.get("/embed/glossary.js").status_code == 200
    assert anonymous.get("/fr/terms/churn/card/").status_code == 302
    assert anonymous.get("/fr/embed/").status_code == 302

    reader = Client()
    reader.force_login(employee)
    allowed = reader.get(description_url(), headers={"Origin": INTRANET})
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] == INTRANET
    assert allowed["Access-Control-Allow-Credentials"] == "true"
    # A shared proxy must not hand the glossary to someone who is not signed in.
    assert allowed["Cache-Control"].startswith("private,")
    assert reader.get("/fr/terms/churn/card/").status_code == 200


# -- the script and the example page ---------------------------------------------------


@pytest.mark.django_db
def test_the_script_names_the_current_generation_and_is_revalidated(client, published_concept):
    response = client.get("/embed/glossary.js")
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert f'"generation": {GlossaryState.current()}' in response.content.decode()
    assert (
        client.get("/embed/glossary.js", headers={"If-None-Match": response["ETag"]}).status_code
        == 304
    )
    make_concept("pipeline", fr="Pipeline")
    changed = client.get("/embed/glossary.js", headers={"If-None-Match": response["ETag"]})
    assert changed.status_code == 200
    assert f'"generation": {GlossaryState.current()}' in changed.content.decode()


@pytest.mark.django_db
def test_the_example_page_shows_the_snippet_in_the_readers_language(
    client, published_concept, settings
):
    settings.GLOSSARY_BASE_URL = "https://glossaire.example"
    french = client.get("/fr/embed/").content.decode()
    assert (
        "&lt;script src=&quot;https://glossaire.example/embed/glossary.js&quot; defer&gt;" in french
    )
    assert "Options" in french and "data-first" in french
    assert "Le glossaire sur vos pages" in french
    english = client.get("/en/embed/").content.decode()
    assert "The glossary on your intranet pages" in english
    assert "https://glossaire.example/en/terms/churn/card/" in english


# -- settings ----------------------------------------------------------------------------


def test_embed_origins_are_read_from_the_environment_and_checked(monkeypatch):
    monkeypatch.setenv("GLOSSARY_EMBED_ORIGINS", "https://intranet.example, http://127.0.0.1:8080")
    assert envorigins("GLOSSARY_EMBED_ORIGINS") == [
        "https://intranet.example",
        "http://127.0.0.1:8080",
    ]
    monkeypatch.setenv("GLOSSARY_EMBED_ORIGINS", "")
    assert envorigins("GLOSSARY_EMBED_ORIGINS") == []
    for wrong in ["*", "intranet.example", "https://intranet.example/news", "ftp://x.example"]:
        monkeypatch.setenv("GLOSSARY_EMBED_ORIGINS", wrong)
        with pytest.raises(ImproperlyConfigured, match="GLOSSARY_EMBED_ORIGINS"):
            envorigins("GLOSSARY_EMBED_ORIGINS")
