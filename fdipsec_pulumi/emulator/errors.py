"""Refusals, in the seeds' error vocabulary.

The backend raises these without knowing about HTTP responses; the routes render them as
``{"error": ..., "message": ...}``. Keeping the wording here is what makes every 400 follow the seeds'
"Value for <property> must be of <type>" form.
"""

from __future__ import annotations

from collections.abc import Mapping


class ApiError(Exception):
    def __init__(
        self, status: int, error: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> dict[str, str]:
        return {"error": self.error, "message": self.message}


def invalid(prop: str, expected: str, detail: str | None = None) -> ApiError:
    message = f"Value for {prop} must be of {expected}"
    return ApiError(400, "invalid_request", f"{message}: {detail}" if detail else message)


def not_found(noun: str, ident: str) -> ApiError:
    return ApiError(404, "not_found", f"{noun} {ident} not found")


def conflict(message: str) -> ApiError:
    return ApiError(409, "conflict", message)


UNAUTHORIZED = ApiError(
    401, "unauthorized", "Bearer token is missing or invalid", {"WWW-Authenticate": "Bearer"}
)


def unknown_frontdoor(frontdoor_id: str) -> ApiError:
    # The seeds answer an unknown Frontdoor with 403 but the error code "not_found".
    return ApiError(403, "not_found", f"Frontdoor {frontdoor_id} not found")
