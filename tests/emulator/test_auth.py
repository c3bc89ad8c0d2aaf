"""OAuth2 client credentials: issuing, expiring (on the emulator's clock) and refusing tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from fdipsec_pulumi.emulator import EmulatorServer

from .conftest import Api

CLIENT = {"client_id": "fdipsec-local", "client_secret": "fdipsec-local-secret"}


def issue(api: Api, **form: str) -> requests.Response:
    return requests.post(api.server.token_url, data={"grant_type": "client_credentials", **form}, timeout=10)


def call(api: Api, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.get(f"{api.base}/ipsec-tunnels", headers=headers, timeout=10).status_code


def test_form_credentials_get_a_working_token(api: Api) -> None:
    response = issue(api, **CLIENT)
    assert response.status_code == 200
    body = response.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    assert response.headers["Cache-Control"] == "no-store"
    assert call(api, body["access_token"]) == 200


def test_basic_auth_credentials_work_too(api: Api) -> None:
    response = requests.post(
        api.server.token_url,
        data={"grant_type": "client_credentials"},
        auth=(CLIENT["client_id"], CLIENT["client_secret"]),
        timeout=10,
    )
    assert response.status_code == 200
    assert call(api, response.json()["access_token"]) == 200


def test_tokens_expire_after_the_ttl(api: Api) -> None:
    api.control("PUT", "/config", {"tokenTtl": 60})
    token = issue(api, **CLIENT).json()
    assert token["expires_in"] == 60
    api.control("POST", "/advance", {"seconds": 59})
    assert call(api, token["access_token"]) == 200
    api.control("POST", "/advance", {"seconds": 1})
    assert call(api, token["access_token"]) == 401
    assert call(api, issue(api, **CLIENT).json()["access_token"]) == 200


def test_wrong_client_or_grant_is_refused(api: Api) -> None:
    wrong = issue(api, client_id="fdipsec-local", client_secret="nope")
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    unknown = issue(api, client_id="someone", client_secret="x")
    assert unknown.status_code == 401
    grant = requests.post(api.server.token_url, data={"grant_type": "password", **CLIENT}, timeout=10)
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")


def test_explicit_credentials_replace_the_defaults(emulator_factory: Callable[..., EmulatorServer]) -> None:
    server = emulator_factory(tokens=["t-1", "t-2"], clients={"ci": "s3cret"}, token_ttl=5)
    api = Api(server)
    for token, status in [("t-1", 200), ("t-2", 200), ("fdipsec-local-token", 401)]:
        assert call(api, token) == status
    assert issue(api, **CLIENT).status_code == 401
    issued: dict[str, Any] = issue(api, client_id="ci", client_secret="s3cret").json()
    assert issued["expires_in"] == 5
    assert call(api, issued["access_token"]) == 200
