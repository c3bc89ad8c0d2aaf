"""One emulator per session, reset before every test, and a small HTTP helper around it.

The tests talk HTTP to a real server (real sockets) because that is what the emulator is for; the
backend is also reachable (``api.backend``) for the few assertions HTTP cannot make.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fdipsec_pulumi.client.models import DEFAULT_FRONTDOOR_ID
from fdipsec_pulumi.emulator import Backend, EmulatorServer

FD = DEFAULT_FRONTDOOR_ID
TOKEN = "fdipsec-local-token"


class Api:
    def __init__(self, server: EmulatorServer) -> None:
        self.server = server
        self.backend: Backend = server.backend
        self.base = f"{server.url}/v2/{FD}"
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, self.base + path, timeout=10, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(method, f"{self.server.root_url}/_emulator{path}", json=body, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def resources(self) -> dict[str, list[dict[str, Any]]]:
        resources: dict[str, list[dict[str, Any]]] = self.control("GET", "/resources")
        return resources

    def create_tunnel(self, n: int = 1, **overrides: Any) -> dict[str, Any]:
        body = {"name": f"site-{n}", "peerPublicIp": f"203.0.113.{n}", "peerCidr": f"172.{16 + n}.0.0/16"}
        response = self.post("/ipsec-tunnels", json={**body, **overrides})
        assert response.status_code == 202, response.text
        created: dict[str, Any] = response.json()
        return created

    def create_share(self, tunnel_id: str, port: int = 8443, **overrides: Any) -> dict[str, Any]:
        body = {
            "name": f"app-{port}",
            "ipsecTunnelId": tunnel_id,
            "envZId": "ijcrWb-ZOq",
            "target": f"10.20.100.1:{port}",
            "ingressPort": port,
        }
        response = self.post("/ipsec-shares", json={**body, **overrides})
        assert response.status_code == 202, response.text
        created: dict[str, Any] = response.json()
        return created

    def status(self, kind: str, resource_id: str) -> str | int:
        response = self.get(f"/ipsec-{kind}/{resource_id}")
        return response.json()["status"] if response.status_code == 200 else response.status_code


@pytest.fixture(scope="session")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as server:
        yield server


@pytest.fixture
def api(server: EmulatorServer) -> Iterator[Api]:
    api = Api(server)
    api.control("POST", "/reset")
    yield api
    api.http.close()
