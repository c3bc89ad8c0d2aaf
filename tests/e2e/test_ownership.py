"""Never destroy or take over what is not ours, through the real engine (docs/adoption.md).

``import_`` only reads; once a resource is in state its ``import_`` means nothing; a stack never adopts a
look-alike it did not create; and ``replace_on_changes`` reaches the share provider.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SHARE_TYPE, TUNNEL_TYPE, Emulator, StackFactory, set_config
from tests.e2e.test_resources import SHARES, TUNNEL, output, tunnel_posts

pytestmark = pytest.mark.e2e

LEGACY = {"name": "legacy-dc", "peerPublicIp": "198.51.100.7", "peerCidr": "10.50.0.0/16"}


def test_import_of_a_tunnel_in_error_writes_nothing(make_stack: StackFactory, emulator: Emulator) -> None:
    legacy = emulator.create_deployed("ipsec-tunnels", LEGACY)
    failure = {"status": "ERROR", "reason": "BGP down"}
    emulator.call("POST", f"resources/tunnels/{legacy['id']}/status", failure)
    emulator.call("DELETE", "requests")

    stack = make_stack(tunnel=LEGACY, importTunnelId=legacy["id"])
    up = stack.up(check=False)

    assert up.returncode != 0
    expected = f"cannot import IpsecTunnel legacy-dc: tunnel {legacy['id']} ('legacy-dc') is ERROR (BGP down)"
    assert expected in output(up), output(up)
    assert "Import never writes" in output(up) and "remove import_" in output(up)
    assert emulator.mutations() == []
    [still] = emulator.tunnels()
    assert (still["id"], still["status"]) == (legacy["id"], "ERROR")
    assert stack.resources(TUNNEL_TYPE) == []


def test_import_of_a_missing_id_never_creates(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=LEGACY, importTunnelId="tnl-does-not-exist")
    up = stack.up(check=False)

    assert up.returncode != 0
    assert "there is no tunnel tnl-does-not-exist in Frontdoor" in output(up), output(up)
    assert emulator.mutations() == [] and emulator.tunnels() == []


def test_import_kept_in_the_program_then_a_replacement_creates_a_new_tunnel(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    legacy = emulator.create_deployed("ipsec-tunnels", LEGACY)
    stack = make_stack(tunnel=LEGACY, shares=SHARES[:1], importTunnelId=legacy["id"])
    stack.up()
    assert [t["id"] for t in stack.resources(TUNNEL_TYPE)] == [legacy["id"]]
    stack.run("preview", "--expect-no-changes")

    # import_ stays in the program; the peerCidr change replaces the tunnel delete-first, and the new
    # create must POST instead of re-importing the tunnel it just deleted.
    emulator.call("DELETE", "requests")
    set_config(stack, {"tunnel": {**LEGACY, "peerCidr": "10.51.0.0/16"}})
    stack.up()

    [tunnel] = emulator.tunnels()
    assert tunnel["id"] != legacy["id"] and tunnel["peerCidr"] == "10.51.0.0/16"
    assert len(tunnel_posts(emulator)) == 1
    assert [t["id"] for t in stack.resources(TUNNEL_TYPE)] == [tunnel["id"]]
    [share] = emulator.shares()
    assert share["ipsecTunnelId"] == tunnel["id"]
    stack.run("preview", "--expect-no-changes")


def test_a_second_stack_declaring_the_same_tunnel_is_refused(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    first = make_stack("first", tunnel=TUNNEL, shares=SHARES[:1])
    first.up()
    [theirs] = emulator.tunnels()
    emulator.call("DELETE", "requests")

    second = make_stack("second", tunnel=TUNNEL, shares=SHARES[:1])
    up = second.up(check=False)

    assert up.returncode != 0
    assert f"will not create IpsecTunnel e2e-dc1: tunnel {theirs['id']} (DEPLOYED)" in output(up), output(up)
    assert f'import_="{theirs["id"]}"' in output(up)
    assert emulator.mutations() == []
    assert second.resources(TUNNEL_TYPE) == [] and second.resources(SHARE_TYPE) == []

    second.run("destroy", "--yes", "--skip-preview")
    assert emulator.mutations() == []
    [still] = emulator.tunnels()
    assert (still["id"], still["status"]) == (theirs["id"], "DEPLOYED")
    assert len(emulator.shares()) == 1
    first.run("preview", "--expect-no-changes")
    first.run("refresh", "--expect-no-changes", "--yes")


def test_replace_on_changes_replaces_a_share_instead_of_updating_it(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES[:1], shareReplaceOnChanges=["target"])
    stack.up()
    [old] = emulator.shares()
    emulator.call("DELETE", "requests")

    set_config(stack, {"shares": [{**SHARES[0], "target": "10.20.100.9:8443"}]})
    up = stack.up()

    assert "1 replaced" in up.stdout, up.stdout
    methods = [e["method"] for e in emulator.mutations()]
    assert "PATCH" not in methods and methods.count("POST") == 1 and methods.count("DELETE") == 1
    [new] = [s for s in emulator.shares() if s["status"] != "DELETED"]
    assert new["id"] != old["id"] and new["target"] == "10.20.100.9:8443"
    stack.run("preview", "--expect-no-changes")
