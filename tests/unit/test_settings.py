"""Settings resolution: precedence, credential choice, messages that say what to set, hidden secrets."""

from __future__ import annotations

import pytest
import requests

from fdipsec_pulumi.client.auth import ClientCredentials, MissingCredentials, StaticToken, token_source_for
from fdipsec_pulumi.client.errors import ConfigurationError
from fdipsec_pulumi.client.settings import DEFAULT_API_URL, SOURCES, Settings


def never_post(url: str, form: dict[str, str], auth: tuple[str, str]) -> requests.Response:
    raise AssertionError("no token request expected")


def test_defaults_with_nothing_set() -> None:
    settings = Settings.resolve(environ={})
    assert settings == Settings()
    assert settings.api_url == DEFAULT_API_URL == "https://gateway.production.netfoundry.io/frontdoor"


def test_explicit_beats_config_beats_environment() -> None:
    environ = {
        "FDIPSEC_API_URL": "http://env/frontdoor",
        "FDIPSEC_FRONTDOOR_ID": "fd-env",
        "FDIPSEC_TOKEN": "t-env",
    }
    config = {"fdipsec:apiUrl": "http://config/frontdoor", "fdipsec:frontdoorId": "fd-config"}
    settings = Settings.resolve({"api_url": "http://explicit/frontdoor/"}, config, environ)
    assert settings.api_url == "http://explicit/frontdoor"
    assert settings.frontdoor_id == "fd-config"
    assert settings.token == "t-env"


def test_every_config_key_and_variable_is_read() -> None:
    config = {
        "fdipsec:apiUrl": "http://a/frontdoor",
        "fdipsec:token": "tok",
        "fdipsec:frontdoorId": "fd",
        "fdipsec:clientId": "cid",
        "fdipsec:clientSecret": "sec",
        "fdipsec:tokenUrl": "http://idp/token",
        "fdipsec:username": "alice",
        "other:key": "ignored",
    }
    environ = {
        "FDIPSEC_API_URL": "http://a/frontdoor",
        "FDIPSEC_FRONTDOOR_ID": "fd",
        "FDIPSEC_CLIENT_ID": "cid",
        "FDIPSEC_CLIENT_SECRET": "sec",
        "FDIPSEC_TOKEN_URL": "http://idp/token",
    }
    from_config = Settings.resolve(config=config, environ={})
    from_env = Settings.resolve(environ=environ)
    assert from_config.token == "tok" and from_config.client_id is None  # same source: the token wins
    assert from_config.username == "alice"
    assert from_env == Settings("http://a/frontdoor", None, "fd", "cid", "sec", "http://idp/token")
    assert Settings.resolve(environ={"FDIPSEC_TOKEN": "tok"}).token == "tok"
    assert Settings.resolve(environ={"FDIPSEC_USERNAME": "bob"}).username == "bob"


def test_blank_values_count_as_unset() -> None:
    settings = Settings.resolve({"token": "  "}, {"fdipsec:token": ""}, {"FDIPSEC_TOKEN": " tok\n"})
    assert settings.token == "tok"


def test_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FDIPSEC_FRONTDOOR_ID", "fd-process")
    assert Settings.resolve().frontdoor_id == "fd-process"


def test_credentials_from_the_higher_source_win_as_a_whole() -> None:
    config = {"fdipsec:clientId": "cid", "fdipsec:clientSecret": "sec"}
    settings = Settings.resolve(config=config, environ={"FDIPSEC_TOKEN": "stray"})
    assert (settings.token, settings.client_id, settings.client_secret) == (None, "cid", "sec")
    settings = Settings.resolve(
        config={"fdipsec:token": "tok"}, environ={"FDIPSEC_CLIENT_ID": "c", "FDIPSEC_CLIENT_SECRET": "s"}
    )
    assert (settings.token, settings.client_id, settings.client_secret) == ("tok", None, None)


def test_client_id_and_secret_may_come_from_different_sources() -> None:
    settings = Settings.resolve(config={"fdipsec:clientId": "cid"}, environ={"FDIPSEC_CLIENT_SECRET": "sec"})
    assert (settings.client_id, settings.client_secret) == ("cid", "sec")


def test_unknown_explicit_setting_is_refused() -> None:
    with pytest.raises(TypeError, match="apiUrl"):
        Settings.resolve({"apiUrl": "http://x"}, environ={})


def test_bad_url_names_key_and_variable() -> None:
    with pytest.raises(ConfigurationError, match="fdipsec:apiUrl or FDIPSEC_API_URL"):
        Settings.resolve(config={"fdipsec:apiUrl": "gateway.example/frontdoor"}, environ={})
    with pytest.raises(ConfigurationError, match="fdipsec:tokenUrl or FDIPSEC_TOKEN_URL"):
        Settings(token_url="ftp://idp/token")


def test_token_url_is_derived_from_the_api_url() -> None:
    assert (
        Settings(api_url="http://127.0.0.1:9/frontdoor").effective_token_url
        == "http://127.0.0.1:9/oauth/token"
    )
    assert Settings(token_url="https://idp/oauth2/token").effective_token_url == "https://idp/oauth2/token"


def test_missing_frontdoor_id_names_key_and_variable() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings().require_frontdoor_id()
    assert "fdipsec:frontdoorId" in str(caught.value) and "FDIPSEC_FRONTDOOR_ID" in str(caught.value)
    assert Settings(frontdoor_id="fd").require_frontdoor_id() == "fd"
    assert Settings(frontdoor_id="fd").require_frontdoor_id("other") == "other"


def test_missing_credentials_fail_at_first_use_naming_keys_and_variables() -> None:
    source = token_source_for(Settings(), never_post, lambda: 0.0)
    assert isinstance(source, MissingCredentials)
    with pytest.raises(ConfigurationError) as caught:
        source.token()
    assert str(caught.value) == (
        "no Frontdoor credentials: set fdipsec:token (pulumi config set --secret fdipsec:token ...) "
        "or FDIPSEC_TOKEN (with fdipsec:username or FDIPSEC_USERNAME for HTTP Basic), "
        "or fdipsec:clientId/fdipsec:clientSecret or FDIPSEC_CLIENT_ID/FDIPSEC_CLIENT_SECRET"
    )


def test_half_a_client_credential_names_the_other_half() -> None:
    source = token_source_for(Settings(client_id="cid"), never_post, lambda: 0.0)
    with pytest.raises(ConfigurationError, match="fdipsec:clientSecret or FDIPSEC_CLIENT_SECRET"):
        source.token()


def test_credential_kinds() -> None:
    assert isinstance(token_source_for(Settings(token="t"), never_post, lambda: 0.0), StaticToken)
    both = Settings(client_id="c", client_secret="s")
    assert isinstance(token_source_for(both, never_post, lambda: 0.0), ClientCredentials)


def test_repr_hides_secrets() -> None:
    settings = Settings(token="tok-SECRET", client_id="cid", client_secret="sec-SECRET")
    text = repr(settings) + str(settings)
    assert "SECRET" not in text
    assert "token=<redacted>" in text and "client_id='cid'" in text
    assert "SECRET" not in repr(StaticToken("tok-SECRET"))


# --- the username (HTTP Basic) ------------------------------------------------------------------


def test_username_is_a_setting_like_the_others() -> None:
    assert SOURCES["username"] == ("fdipsec:username", "FDIPSEC_USERNAME")
    settings = Settings.resolve(config={"fdipsec:username": "alice"}, environ={"FDIPSEC_USERNAME": "bob"})
    assert settings.username == "alice"  # the stack beats the environment


def test_username_and_token_may_come_from_different_sources() -> None:
    settings = Settings.resolve(config={"fdipsec:username": "alice"}, environ={"FDIPSEC_TOKEN": "tok"})
    assert (settings.username, settings.token) == ("alice", "tok")
    source = token_source_for(settings, never_post, lambda: 0.0)
    assert isinstance(source, StaticToken) and source.authorization("tok").startswith("Basic ")


def test_a_username_from_a_lower_source_falls_with_the_token_it_belongs_to() -> None:
    """A stray FDIPSEC_USERNAME/FDIPSEC_TOKEN in a shell does not disturb a stack's client credentials."""
    settings = Settings.resolve(
        config={"fdipsec:clientId": "cid", "fdipsec:clientSecret": "sec"},
        environ={"FDIPSEC_TOKEN": "stray", "FDIPSEC_USERNAME": "stray-user"},
    )
    assert (settings.token, settings.username, settings.client_id) == (None, None, "cid")
    alone = Settings.resolve(
        config={"fdipsec:clientId": "cid", "fdipsec:clientSecret": "sec"}, environ={"FDIPSEC_USERNAME": "u"}
    )
    assert alone.username is None
    assert isinstance(token_source_for(alone, never_post, lambda: 0.0), ClientCredentials)


def test_a_winning_token_keeps_its_username() -> None:
    settings = Settings.resolve(
        config={"fdipsec:token": "tok", "fdipsec:username": "alice"},
        environ={"FDIPSEC_CLIENT_ID": "c", "FDIPSEC_CLIENT_SECRET": "s"},
    )
    assert (settings.token, settings.username, settings.client_id) == ("tok", "alice", None)


@pytest.mark.parametrize(
    "environ",
    [{}, {"FDIPSEC_TOKEN": "tok-from-env"}],
    ids=["no token", "token from a lower source"],
)
def test_username_beside_client_credentials_is_an_error_naming_both(environ: dict[str, str]) -> None:
    config = {"fdipsec:clientId": "cid", "fdipsec:clientSecret": "sec-xyzzy", "fdipsec:username": "alice"}
    settings = Settings.resolve(config=config, environ=environ)
    assert (settings.username, settings.client_id, settings.token) == ("alice", "cid", None)
    source = token_source_for(settings, never_post, lambda: 0.0)
    with pytest.raises(ConfigurationError) as caught:
        source.token()
    text = str(caught.value)
    assert "fdipsec:username or FDIPSEC_USERNAME" in text
    assert "fdipsec:clientId/fdipsec:clientSecret or FDIPSEC_CLIENT_ID/FDIPSEC_CLIENT_SECRET" in text
    assert "pulumi config rm fdipsec:username" in text and "xyzzy" not in text


def test_username_without_a_token_names_the_token() -> None:
    source = token_source_for(Settings(username="alice"), never_post, lambda: 0.0)
    with pytest.raises(ConfigurationError) as caught:
        source.token()
    assert "fdipsec:username or FDIPSEC_USERNAME" in str(caught.value)
    assert "pulumi config set --secret fdipsec:token" in str(caught.value)


def test_a_username_with_a_colon_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings.resolve(config={"fdipsec:username": "alice:tok-SECRET"}, environ={})
    assert "fdipsec:username or FDIPSEC_USERNAME" in str(caught.value)
    assert "SECRET" not in str(caught.value)


def test_repr_shows_the_username_and_hides_the_token() -> None:
    settings = Settings(token="tok-SECRET", username="alice")
    assert "SECRET" not in repr(settings) and "username='alice'" in repr(settings)
    assert "SECRET" not in repr(StaticToken("tok-SECRET", "alice"))


def test_token_url_derived_is_reported() -> None:
    assert Settings().token_url_derived
    assert not Settings(token_url="https://idp/token").token_url_derived


def test_the_retry_timeout_is_seconds_from_config_or_environment() -> None:
    assert Settings.resolve(environ={}).retry_timeout == 60
    assert Settings.resolve(environ={"FDIPSEC_RETRY_TIMEOUT": "5"}).retry_timeout == 5
    chosen = Settings.resolve(config={"fdipsec:retryTimeout": "2.5"}, environ={"FDIPSEC_RETRY_TIMEOUT": "9"})
    assert chosen.retry_timeout == 2.5
    assert SOURCES["retry_timeout"] == ("fdipsec:retryTimeout", "FDIPSEC_RETRY_TIMEOUT")


@pytest.mark.parametrize("value", ["soon", "0", "-3", "inf", "nan"])
def test_a_retry_timeout_that_is_no_duration_names_the_setting(value: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings.resolve(environ={"FDIPSEC_RETRY_TIMEOUT": value})
    assert str(caught.value) == (
        f"{value!r} is not a positive number of seconds; fix fdipsec:retryTimeout or FDIPSEC_RETRY_TIMEOUT"
    )


@pytest.mark.parametrize("field", ["api_url", "token_url"])
def test_a_url_carrying_credentials_is_refused_without_repeating_them(field: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings(**{field: "https://alice:s3cr3t-passw0rd@gateway.example/frontdoor"})
    assert "s3cr3t-passw0rd" not in str(caught.value)
    assert f"the {field} holds credentials (user:password@host)" in str(caught.value)
