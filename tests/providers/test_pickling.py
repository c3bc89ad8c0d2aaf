"""What goes into state: providers are pickled by reference, carry no configuration, and importing the
package (which the dynamic-provider host does to unpickle them) does nothing by itself."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.providers.tunnel import TunnelProvider

from .conftest import TOKEN, configure_request

PROVIDERS = [TunnelProvider, ShareProvider]
# Where the pickles in users' state point: literals, because ``cls.__module__`` moves with the class.
PICKLED_AT = {
    TunnelProvider: (b"fdipsec_pulumi.providers.tunnel", b"TunnelProvider"),
    ShareProvider: (b"fdipsec_pulumi.providers.share", b"ShareProvider"),
}
SECRET = "s3cr3t-token-that-must-not-reach-state"


@pytest.mark.parametrize("cls", PROVIDERS)
def test_pickle_is_a_small_reference(cls: type) -> None:
    pickled = dill.dumps(cls(), recurse=True)
    assert len(pickled) < 200
    module, name = PICKLED_AT[cls]
    assert module in pickled and name in pickled


@pytest.mark.parametrize("cls", PROVIDERS)
def test_configuring_one_instance_leaks_nothing_into_another_pickle(cls: type, server: object) -> None:
    configured = cls()
    configured.configure(configure_request(server, **{"fdipsec:token": SECRET}))  # type: ignore[arg-type]
    assert configured.settings().token == SECRET

    for pickled in (dill.dumps(cls(), recurse=True), base64.b64decode(serialize_provider(cls()))):
        assert SECRET.encode() not in pickled
        assert TOKEN.encode() not in pickled
        assert b"_stack_config" not in pickled
        assert len(pickled) < 200


@pytest.mark.parametrize("cls", PROVIDERS)
def test_even_a_configured_instance_pickles_without_its_configuration(cls: type, server: object) -> None:
    provider = cls()
    provider.configure(configure_request(server, **{"fdipsec:token": SECRET}))  # type: ignore[arg-type]

    pickled = dill.dumps(provider, recurse=True)

    assert SECRET.encode() not in pickled
    # Byte for byte an unconfigured one, so recorded `__provider` values never churn.
    assert pickled == dill.dumps(cls(), recurse=True)
    assert getattr(dill.loads(pickled), "_stack_config", None) is None  # noqa: S301 - our own bytes


@pytest.mark.parametrize("cls", PROVIDERS)
def test_unpickled_provider_is_configured_from_scratch(cls: type, server: object) -> None:
    restored = dill.loads(base64.b64decode(serialize_provider(cls())))  # noqa: S301 - our own bytes
    assert type(restored) is cls
    restored.configure(configure_request(server))  # type: ignore[arg-type]
    assert restored.settings().token == TOKEN


def test_import_has_no_side_effects() -> None:
    # A fresh interpreter, so nothing imported by this test session counts.
    probe = textwrap.dedent(
        """
        import json, os, socket, sys, threading

        def refuse(*args, **kwargs):
            raise AssertionError("network access during import")

        socket.socket.connect = refuse
        socket.create_connection = refuse
        before_env = dict(os.environ)
        before_files = sorted(os.listdir("."))
        # Some SDK releases start a thread of their own on import (3.216: grpc's poller); only ours count.
        import pulumi
        before_threads = threading.active_count()
        import fdipsec_pulumi
        import fdipsec_pulumi.providers.share, fdipsec_pulumi.providers.tunnel
        import pulumi.runtime.settings as settings
        print(json.dumps({
            "threads": threading.active_count() - before_threads,
            "env_changed": dict(os.environ) != before_env,
            "files_changed": sorted(os.listdir(".")) != before_files,
            "heavy": sorted(m for m in sys.modules if m.split(".")[0] in ("uvicorn", "fastapi", "pulumi_aws")
                            or m.startswith("fdipsec_pulumi.emulator")),
            "monitor": settings.SETTINGS.monitor is not None,
            "exports": sorted(fdipsec_pulumi.__all__),
        }))
        """
    )
    env = {"PATH": "/usr/bin:/bin", "FDIPSEC_API_URL": "http://127.0.0.1:9/frontdoor"}
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    *printed, last = proc.stdout.strip().splitlines()
    assert printed == [], "import printed something"
    report = json.loads(last)
    assert report["threads"] == 0
    assert not report["env_changed"] and not report["files_changed"]
    assert report["heavy"] == []
    assert report["monitor"] is False
    assert {"IpsecTunnel", "IpsecShare"} <= set(report["exports"])


def test_a_program_pickles_the_providers_without_loading_the_client() -> None:
    # What a program runs: import the package, declare resources (which pickle a provider each). The
    # client, requests and pydantic load in the provider host only (providers/shell.py).
    probe = textwrap.dedent(
        """
        import json, sys
        from pulumi.dynamic.dynamic import serialize_provider
        import fdipsec_pulumi
        from fdipsec_pulumi.providers.share import ShareProvider
        from fdipsec_pulumi.providers.tunnel import TunnelProvider
        pickles = [serialize_provider(TunnelProvider()), serialize_provider(ShareProvider())]
        print(json.dumps({
            "loaded": sorted({m.split(".")[0] for m in sys.modules} & {"requests", "pydantic", "urllib3"}),
            "client": sorted(m for m in sys.modules if m.startswith("fdipsec_pulumi.client")),
            "pickles": pickles,
        }))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    report = json.loads(proc.stdout)
    assert report["loaded"] == [] and report["client"] == []
    assert report["pickles"] == [serialize_provider(TunnelProvider()), serialize_provider(ShareProvider())]


@pytest.mark.parametrize("cls", PROVIDERS)
def test_the_pickled_class_hands_each_call_to_its_implementation(cls: type, server: object) -> None:
    provider = cls()
    provider.configure(configure_request(server))  # type: ignore[arg-type]
    assert provider.impl().settings().token == TOKEN
    assert provider.settings().token == TOKEN  # anything else is the implementation's
    with pytest.raises(AttributeError):
        provider.__setstate__  # noqa: B018 - never through the implementation
