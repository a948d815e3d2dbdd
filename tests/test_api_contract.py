"""The API keeps its own description, checked by Schemathesis on every run.

Schemathesis reads /api/openapi.json from the app, generates requests from it — valid
ones, and each way of breaking each parameter (wrong type, out of bounds, repeated,
empty, an undeclared method) — sends them to the real app in-process, through
Django's WSGI handler on the test database, and checks every answer against the
description: no 5xx, only declared status codes, declared headers and content types,
bodies that match their schema, invalid requests refused and valid ones accepted.
"""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

# A fixed seed, derandomized generation and no example database: CI sends the same few
# hundred requests on every run (about 460, in a few seconds).
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261201,
        "generation": {
            "mode": "all",
            "max-examples": 100,
            "deterministic": True,
            "database": "none",
        },
    }
)
# Far fewer would mean the configuration stopped generating, not that the API is right.
MIN_CASES_PER_OPERATION = 100

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)


@pytest.fixture(scope="module")
def generated_cases():
    cases = Counter()
    yield cases
    # Quoted in notes: `pytest -s tests/test_api_contract.py` shows it.
    print(f"\nSchemathesis generated {sum(cases.values())} cases: {dict(cases)}")
    for operation, count in cases.items():
        assert count >= MIN_CASES_PER_OPERATION, f"{operation}: only {count} cases"


@pytest.fixture
def one_connection():
    """Keep the test's database connection across requests, as Django's test client does:
    the WSGI handler would close it at the end of each request, and with it the test's
    transaction (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The seed is loaded once per operation, not per case: the API only reads.
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], database=None)
def test_the_api_answers_as_its_description_says(case, seed, one_connection, generated_cases):
    generated_cases[case.operation.label] += 1
    case.call_and_validate()
