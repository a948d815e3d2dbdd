"""`check --deploy` warns before concept IRIs are built from a local or malformed address."""

import pytest
from django.core import checks

from terms.checks import check_base_url


def warnings_for(settings, base_url, debug=False):
    settings.DEBUG = debug
    settings.GLOSSARY_BASE_URL = base_url
    return [message.id for message in check_base_url(None)]


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]/", "http://0.0.0.0:8000"],
)
def test_a_local_address_is_a_warning_when_debug_is_off(settings, base_url):
    assert warnings_for(settings, base_url) == ["terms.W001"]


@pytest.mark.parametrize(
    "base_url",
    [
        "glossary.example.com",
        "ftp://glossary.example.com",
        "https://",
        "https://x.example/?a=1",
        "",
    ],
)
def test_an_address_that_is_not_absolute_http_is_a_warning(settings, base_url):
    assert warnings_for(settings, base_url) == ["terms.W002"]


@pytest.mark.parametrize(
    "base_url",
    ["https://glossary.example.com", "https://intranet.example.com/glossary", "http://10.0.0.5"],
)
def test_a_public_address_passes(settings, base_url):
    assert warnings_for(settings, base_url) == []


def test_a_developer_with_debug_on_is_left_alone(settings):
    assert warnings_for(settings, "http://127.0.0.1:8000", debug=True) == []


def test_the_warning_is_a_deploy_check(settings):
    settings.DEBUG = False
    settings.GLOSSARY_BASE_URL = "http://127.0.0.1:8000"
    deploy = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "terms.W001" in [message.id for message in deploy]
    everyday = checks.run_checks(tags=[checks.Tags.security])
    assert "terms.W001" not in [message.id for message in everyday]
