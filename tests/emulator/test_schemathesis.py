"""Schemathesis against the live emulator: no 5xx, and every response as the OpenAPI document says.

The generated document is what clients and reviewers read, so it is tested like code. The run is
derandomized and bounded (a few dozen examples per operation), and about half the cases get the real
Frontdoor and real ids so generation reaches past the 403/404 front door into the handlers.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from fdipsec_pulumi.emulator import Backend, EmulatorServer, create_app

from .conftest import FD, TOKEN, Api

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    unsupported_method,
    ignored_auth,
    missing_required_header,
    use_after_free,
    ensure_resource_availability,
]


@pytest.fixture(scope="module")
def known_ids(server: EmulatorServer) -> dict[str, str]:
    """A deployed tunnel with a share, for cases that should reach an existing resource."""
    api = Api(server)
    api.control("POST", "/reset")
    tunnel = api.create_tunnel(1, locationId="schemathesis-lab")["id"]
    return {"tunnel": tunnel, "share": api.create_share(tunnel)["id"]}


# The document does not depend on state, so it is taken from a spare app at collection time; the cases
# then run against the session's live server.
schema = schemathesis.openapi.from_dict(create_app(Backend()).openapi())


@schema.auth()
class BearerToken:
    """Schemathesis' own auth hook, so cases that test a missing token really go without one."""

    def get(self, case: Any, context: Any) -> str:
        return TOKEN

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.parametrize()
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(
    case: Any, server: EmulatorServer, known_ids: dict[str, str]
) -> None:
    parameters = case.path_parameters or {}
    if "frontdoorId" in parameters and len(str(parameters["frontdoorId"])) % 4 != 0:
        parameters["frontdoorId"] = FD
    if "id" in parameters and len(str(parameters["id"])) % 2 == 0:
        parameters["id"] = known_ids["share" if "ipsec-shares" in case.path else "tunnel"]
    case.call_and_validate(base_url=server.root_url, checks=CHECKS)
