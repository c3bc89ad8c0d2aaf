"""Turns pydantic's validation errors into the seeds' 400 wording.

Request bodies and parameters are validated by the shared wire models (through FastAPI), so the
emulator and the client agree on what is valid; this module only words the refusal:
``Value for <property> must be of <type>: <what was wrong>``, naming the camelCase property.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from fdipsec_pulumi.client.models import TUNNEL_METRIC_WINDOWS
from fdipsec_pulumi.emulator.errors import ApiError
from fdipsec_pulumi.emulator.metrics import DURATION_TYPE
from fdipsec_pulumi.emulator.queries import SORT_TYPE
from fdipsec_pulumi.fields import SHARE, TUNNEL

BODY_TYPE = "type JSON object"
# The words for each validating type of client/models.py; a body field's type is its table row's.
_WORDING = {
    "TunnelName": "string of 1 to 255 characters",
    "ShareName": "share name (1-63 letters, digits and hyphens, no hyphen at either end)",
    "PublicIPv4": "public IPv4 address",
    "PrivateIPv4": "private IPv4 address",
    "IPv4Cidr": "IPv4 CIDR block",
    "Identifier": "string",
    "HostPort": "host:port",
    "Port": "integer from 1 to 65535",
}
# Query parameters.
_EXPECTED = {
    "page": "type integer >= 0",
    "size": "type integer from 1 to 2000",
    "sort": SORT_TYPE,
    "window": "one of " + ", ".join(TUNNEL_METRIC_WINDOWS),
    "duration": DURATION_TYPE,
}
_TABLES = {"ipsec-tunnels": TUNNEL, "ipsec-shares": SHARE}
_NOUN = {"ipsec-tunnels": "an IPsec tunnel", "ipsec-shares": "an IPsec share"}
_VALUE_ERROR_PREFIX = "Value error, "


def api_error(errors: Sequence[Mapping[str, Any]], path: str) -> ApiError:
    collection = next((c for c in _NOUN if f"/{c}" in path), None)
    messages = dict.fromkeys(_message(error, collection) for error in errors)
    return ApiError(400, "invalid_request", "; ".join(messages) or "Invalid request")


def _message(error: Mapping[str, Any], collection: str | None) -> str:
    loc = tuple(error.get("loc", ()))
    kind = str(error.get("type", ""))
    if kind == "json_invalid":
        reason = error.get("ctx", {}).get("error", "malformed JSON")
        return f"Value for body must be of type JSON: {reason} at position {loc[-1] if loc else 0}"
    prop = str(loc[1]) if len(loc) > 1 and isinstance(loc[1], str) else "body"
    if kind == "extra_forbidden":
        noun = _NOUN.get(collection or "", "the request")
        return f"Value for {prop} must be of none: {noun} has no property {prop}"
    expected = BODY_TYPE if prop == "body" else _expected(prop, collection)
    return f"Value for {prop} must be of {expected}: {_detail(error, kind)}"


def _expected(prop: str, collection: str | None) -> str:
    table = _TABLES.get(collection or "")
    validators = {f.wire: f.validator for f in table.fields if f.in_body} if table is not None else {}
    validator = validators.get(prop) or ("Identifier" if prop == "name" else "")
    if validator in _WORDING:
        return f"type {_WORDING[validator]}"
    return _EXPECTED.get(prop, "the documented type")


def _detail(error: Mapping[str, Any], kind: str) -> str:
    if kind == "missing":
        return "it is required"
    message = str(error.get("msg", "invalid value"))
    if kind == "value_error":
        return message.removeprefix(_VALUE_ERROR_PREFIX)
    value = error.get("input")
    if isinstance(value, bytes | bytearray):
        return "the body is not JSON; send it with Content-Type: application/json"
    return f"{message} (got {_show(value)})"


def _show(value: Any) -> str:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."
