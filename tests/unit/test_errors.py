"""The one response-to-exception mapping, and what a user reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import requests

from fdipsec_pulumi.client import errors
from fdipsec_pulumi.client.errors import error_from_response


def response(
    status: int, body: object = None, *, content_type: str = "application/json", **headers: str
) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r.reason = "Reason"
    r._content = json.dumps(body).encode() if not isinstance(body, bytes) else body
    r.headers["Content-Type"] = content_type
    r.headers.update(headers)
    return r


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.InvalidRequest),
        (401, errors.Unauthorized),
        (403, errors.Forbidden),
        (404, errors.NotFound),
        (409, errors.Conflict),
        (422, errors.InvalidRequest),
        (429, errors.RateLimited),
        (500, errors.ServerError),
        (502, errors.ServerError),
        (503, errors.ServerError),
        (504, errors.ServerError),
        (418, errors.FrontdoorError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[errors.FrontdoorError]) -> None:
    error = error_from_response(response(status, {"error": "x", "message": "m"}), method="GET", path="/p")
    assert type(error) is cls
    assert isinstance(error, errors.FrontdoorError)
    assert error.http_status == status


def test_sentence_carries_everything_a_user_needs() -> None:
    body = {"error": "invalid_request", "message": "Value for ingressPort must be of integer"}
    error = error_from_response(
        response(400, body, **{"X-Request-Id": "abc"}), method="POST", path="/frontdoor/v2/fd/ipsec-shares"
    )
    assert str(error) == (
        "Frontdoor API rejected POST /frontdoor/v2/fd/ipsec-shares (400 invalid_request): "
        "Value for ingressPort must be of integer [request id abc]"
    )
    assert (error.code, error.message, error.method, error.path, error.request_id) == (
        "invalid_request",
        "Value for ingressPort must be of integer",
        "POST",
        "/frontdoor/v2/fd/ipsec-shares",
        "abc",
    )
    assert repr(error) == (
        "InvalidRequest(http_status=400, code='invalid_request', method='POST', "
        "path='/frontdoor/v2/fd/ipsec-shares', request_id='abc')"
    )


def test_forbidden_and_unauthorized_say_what_to_check() -> None:
    forbidden = error_from_response(
        response(403, {"error": "not_found", "message": "Frontdoor fd not found"}), method="GET", path="/p"
    )
    assert "fdipsec:frontdoorId" in str(forbidden)
    unauthorized = error_from_response(
        response(401, {"error": "unauthorized", "message": "no"}), method="GET", path="/p"
    )
    assert "fdipsec:token or FDIPSEC_TOKEN" in str(unauthorized)


def test_retry_after_is_kept_on_rate_limited() -> None:
    error = error_from_response(
        response(429, {"error": "rate_limited", "message": "slow"}, **{"Retry-After": "2.5"}),
        method="GET",
        path="/p",
    )
    assert isinstance(error, errors.RateLimited) and error.retry_after == 2.5


def test_non_json_bodies_are_never_quoted() -> None:
    page = b"<html>PSK=topsecret Authorization: Bearer tok</html>"
    error = error_from_response(response(502, page, content_type="text/html"), method="GET", path="/p")
    assert "topsecret" not in str(error) and "tok" not in str(error)
    assert "text/html body is not shown" in str(error)


def test_known_secrets_are_scrubbed_from_api_messages() -> None:
    body = {"error": "unauthorized", "message": "token tok-123456 is expired"}
    error = error_from_response(response(401, body), method="GET", path="/p", secrets=["tok-123456", None])
    assert "tok-123456" not in str(error) and "[redacted]" in str(error)


def test_redaction_replaces_each_occurrence_once_and_never_its_own_marker() -> None:
    # "redacted" is itself a secret here: a second pass over the marker would mangle it.
    text = "a=redacted b=redactedredacted c=longer-secret-value d=longer-secret"
    secrets = ["redacted", "longer-secret", "longer-secret-value"]
    assert errors.redact(text, secrets) == ("a=[redacted] b=[redacted][redacted] c=[redacted] d=[redacted]")


def test_a_one_character_token_leaves_messages_readable() -> None:
    text = "ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded"
    assert errors.redact(text, ["t", "", None]) == text
    body = {"error": "unavailable", "message": "the gateway is restarting"}
    error = error_from_response(response(503, body), method="GET", path="/tunnels", secrets=["t"])
    assert "[redacted]" not in str(error) and "the gateway is restarting" in str(error)


def test_long_messages_are_truncated() -> None:
    error = error_from_response(response(400, {"error": "e", "message": "x" * 5000}), method="GET", path="/p")
    assert len(error.message) == 500


@pytest.mark.parametrize(
    ("header", "seconds"), [("3", 3.0), ("0.5", 0.5), ("-1", 0.0), ("soon", None), (None, None)]
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert errors.parse_retry_after(header) == seconds


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("Wed, 02 Dec 2026 04:00:07 GMT", 7.0),  # IMF-fixdate
        ("Wednesday, 02-Dec-26 04:00:30 GMT", 30.0),  # RFC 850, still allowed by RFC 9110
        ("Wed Dec  2 04:01:00 2026", 60.0),  # asctime
        ("Wed, 02 Dec 2026 03:59:00 GMT", 0.0),  # already past: retry now
        ("Wed, 32 Dec 2026 04:00:07 GMT", None),
    ],
)
def test_parse_retry_after_http_dates(header: str, seconds: float | None) -> None:
    now = datetime(2026, 12, 2, 4, 0, 0, tzinfo=UTC).timestamp()
    assert errors.parse_retry_after(header, now=lambda: now) == seconds


def test_transport_and_wait_errors_read_as_plain_sentences() -> None:
    error = errors.TransportError("no response", ambiguous=True, method="POST", path="/p")
    assert error.ambiguous
    assert str(error) == (
        "no response. Check that the API URL (fdipsec:apiUrl or FDIPSEC_API_URL) is right and reachable "
        "from here"
    )
    assert repr(error) == "TransportError(method='POST', path='/p')"
    assert repr(errors.WaitTimeout("late", last=None)) == "WaitTimeout('late')"
