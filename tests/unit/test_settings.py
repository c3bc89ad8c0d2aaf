"""Settings resolution: precedence, credential choice, messages that say what to set, hidden secrets."""

from __future__ import annotations

import pytest
import requests

from fdipsec_pulumi.client.auth import ClientCredentials, MissingCredentials, StaticToken, token_source_for
from fdipsec_pulumi.client.errors import ConfigurationError
from fdipsec_pulumi.client.settings import DEFAULT_API_URL, Settings


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
    assert from_env == Settings("http://a/frontdoor", None, "fd", "cid", "sec", "http://idp/token")
    assert Settings.resolve(environ={"FDIPSEC_TOKEN": "tok"}).token == "tok"


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
        "or FDIPSEC_TOKEN, or fdipsec:clientId/fdipsec:clientSecret "
        "or FDIPSEC_CLIENT_ID/FDIPSEC_CLIENT_SECRET"
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
