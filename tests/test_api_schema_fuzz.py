"""The API against its own OpenAPI schema (schemathesis, from PyPI): generated requests for
every operation, a bounded number each, through the WSGI app on the test database, as town
leadership. No answer may be a server error or disagree with the schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import positive_data_acceptance

EXAMPLES = 4

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi_app():
    # As Django's test client does: a request must not close the test's connection (and
    # with it the transaction each test rolls back).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_matches_its_schema_and_never_fails(wsgi_app, leader):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            # Anew for each call: the generated requests include revoking the token.
            token = Token.objects.get_or_create(user=leader)[0].key
            # Every check but "a schema-valid request is accepted": the ledgers' filters
            # refuse (400, documented) values that their free-text parameters allow.
            case.call_and_validate(headers={"Authorization": f"Token {token}"},
                                   excluded_checks=[positive_data_acceptance])

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collected, reported together below
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert operations > 30
    assert not failures, "\n\n".join(failures)
