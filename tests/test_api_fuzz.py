"""The API fuzzed against its own OpenAPI document (issue 17): no input gives a 5xx, and every answer agrees with
the document (status code, content type, body schema), for every role, on SQLite and PostgreSQL."""

import base64

import pytest
import schemathesis
from conftest import PASSWORD
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

ROLES = {"practice": "praktijk", "handler": "behandelaar", "coach": "coach", "process_owner": "eigenaar"}
EXAMPLES = 6  # per operation, role and database: bounded, so make test stays fast


@pytest.fixture
def api_schema(app, cases):
    cases.make(at_task="decide_measures")  # a complaint (id 1) with tasks, letters and history to find
    cases.make()
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_no_input_gives_a_server_error_or_an_undocumented_answer(case):
    for username in ROLES.values():  # every role sends every generated request
        token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
        case.call_and_validate(headers={"Authorization": f"Basic {token}"},
                               checks=[checks.not_a_server_error, checks.status_code_conformance,
                                       checks.content_type_conformance, checks.response_schema_conformance])
