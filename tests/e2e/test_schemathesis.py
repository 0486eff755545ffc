"""Property-based API tests: schemathesis generates requests for every operation of the
running server's /openapi.json (as an admin token, which may call them all) and checks
that none gets a server error and that every response body matches the documented schema.

Bounded (25 examples per operation and mode) and deterministic (derandomized), so it runs
in seconds and a failure reproduces. schemathesis' lazy pytest loader
(``schemathesis.pytest.from_fixture``) fails on pytest 9 (it sets ``Function._nodeid``), so
the operations are driven here through its Python API, one hypothesis run per operation.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 25
#: Operations that render a PDF (about 1 s a call) get fewer examples.
FEWER_EXAMPLES = {"/api/v1/reports/{kind}": 5}
#: The admin token must survive the run: a generated DELETE of its own id is redirected.
REVOKE = ("DELETE", "/api/v1/tokens/{token_id}")


@pytest.fixture(scope="module")
def api_schema(live_server: Any) -> Any:
    return schemathesis.openapi.from_url(f"{live_server.url}/openapi.json", timeout=10)


def fuzz(
    api_schema: Any,
    live_server: Any,
    mode: GenerationMode,
    checks: list[Callable[..., Any]],
    max_examples: int = MAX_EXAMPLES,
) -> list[str]:
    """Run every operation of the schema; the failures, one entry per operation."""
    headers = {"Authorization": f"Bearer {live_server.admin_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5, f"too few operations: {[o.label for o in operations]}"
    failures: list[str] = []

    def call(case: Any) -> None:
        own = str(live_server.admin_token_id)
        if (case.method, case.path) == REVOKE and str(case.path_parameters.get("token_id")) == own:
            case.path_parameters["token_id"] = live_server.admin_token_id + 10_000
        case.call_and_validate(headers=headers, checks=checks, timeout=30)

    for operation in operations:
        run = settings(
            max_examples=min(max_examples, FEWER_EXAMPLES.get(operation.path, max_examples)),
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(given(case=operation.as_strategy(generation_mode=mode))(call))
        began = time.perf_counter()
        try:
            run()
        except Unsatisfiable:
            continue  # nothing to make invalid (an operation without parameters)
        except (Exception, BaseExceptionGroup) as exc:  # try every operation, report all
            failures.append(f"--- {operation.label} ({mode.value})\n{exc}")
        finally:
            print(f"{operation.label} ({mode.value}): {time.perf_counter() - began:.1f} s")
    return failures


def server_exceptions(live_server: Any) -> str:
    """The exception lines of the server's log (its tracebacks' last lines), once each."""
    lines = live_server.log.read_text(encoding="utf-8", errors="replace").splitlines()
    found = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    return "\n".join(dict.fromkeys(found))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_and_bodies_as_documented(
    api_schema: Any, live_server: Any, mode: GenerationMode
) -> None:
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    failures = fuzz(api_schema, live_server, mode, checks)
    assert not failures, (
        f"{len(failures)} operation(s) failed:\n"
        + "\n".join(failures)
        + f"\n--- exceptions in the server log ({live_server.log}):\n"
        + server_exceptions(live_server)
    )


def test_status_codes_are_documented(api_schema: Any, live_server: Any) -> None:
    failures = fuzz(api_schema, live_server, GenerationMode.POSITIVE, [status_code_conformance], 5)
    assert not failures, f"{len(failures)} operation(s) failed:\n" + "\n".join(failures)
