"""Makes FastAPI's generated OpenAPI document tell the truth about this API.

FastAPI documents what the routes declare; a few things the emulator does at other layers it cannot
see: errors are 400 not 422, every API call needs a bearer token (checked in ``guard``), every 2xx also
comes as ``application/hal+json`` (with Spring's page shape for lists), and every response carries
``X-Request-Id``. Schemathesis checks responses against this document, so it must be exact.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from fdipsec_pulumi.client.models import ErrorBody, HalPageMetadata, Share, Tunnel
from fdipsec_pulumi.emulator.guard import API_PREFIX
from fdipsec_pulumi.emulator.negotiation import HAL, JSON

_REF = "#/components/schemas/{model}"
_DESCRIPTIONS = {
    400: "Invalid request: the message names the offending property",
    401: "Bearer token is missing or invalid",
    403: "Unknown Frontdoor",
    404: "No such resource",
    406: "The Accept header allows no available representation",
    409: "The resource is not in a state that allows this yet",
}


class HalLink(BaseModel):
    href: str


class HalPageLinks(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    self_: HalLink = Field(alias="self")
    first: HalLink
    last: HalLink
    prev: HalLink | None = None
    next: HalLink | None = None


class HalTunnels(BaseModel):
    ipsecTunnels: list[Tunnel]


class HalShares(BaseModel):
    ipsecShares: list[Share]


class HalTunnelPage(BaseModel):
    embedded: HalTunnels = Field(alias="_embedded")
    links: HalPageLinks = Field(alias="_links")
    page: HalPageMetadata


class HalSharePage(BaseModel):
    embedded: HalShares = Field(alias="_embedded")
    links: HalPageLinks = Field(alias="_links")
    page: HalPageMetadata


# Operations whose HAL representation is a page rather than the JSON body plus links.
HAL_PAGES: dict[str, type[BaseModel]] = {"listTunnels": HalTunnelPage, "listShares": HalSharePage}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}


def install(app: FastAPI) -> None:
    """Replaces ``app.openapi`` with one that post-processes FastAPI's document once."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            _amend(spec)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _amend(spec: dict[str, Any]) -> None:
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    _, hal = models_json_schema([(model, "serialization") for model in HAL_PAGES.values()], ref_template=_REF)
    for name, schema in hal.get("$defs", {}).items():
        schemas.setdefault(name, schema)
    components["securitySchemes"] = {"bearerAuth": {"type": "http", "scheme": "bearer"}}
    for path, operations in spec.get("paths", {}).items():
        for operation in operations.values():
            _amend_operation(path, operation)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def _amend_operation(path: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)
    if not path.startswith(API_PREFIX):
        return
    operation["security"] = [{"bearerAuth": []}]
    page_model = HAL_PAGES.get(operation.get("operationId", ""))
    for code, response in responses.items():
        response.setdefault("headers", {})["X-Request-Id"] = {
            "description": "Identifies the request in the emulator's log",
            "schema": {"type": "string"},
        }
        content = response.get("content", {})
        if not code.startswith("2") and content:
            # Errors are JSON even where the success is text (sample-config).
            response["content"] = {JSON: next(iter(content.values()))}
        elif JSON in content:
            schema = (
                {"$ref": _REF.format(model=page_model.__name__)} if page_model else content[JSON]["schema"]
            )
            content[HAL] = {"schema": schema}
