"""What a user's `mypy --strict` sees of the generated classes: typed Args and outputs, typed
supporting types, and a typo or a wrong type refused before anything runs."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = """\
import pulumi

from fdipsec_pulumi import IpsecShare, IpsecTunnel, IpsecTunnelArgs, get_ipsec_tunnel

tunnel = IpsecTunnel("t", IpsecTunnelArgs(name="a", peer_public_ip="203.0.113.1", peer_cidr="10.0.0.0/16"))
ip: pulumi.Output[str] = tunnel.outside_ip_address
life: pulumi.Output[int | None] = tunnel.tunnel_config.apply(lambda c: c.tunnels[0].phase1_lifetime_seconds)
reveal_type(tunnel.inside_cidr)
reveal_type(get_ipsec_tunnel("x").tunnel_config)
reveal_type(IpsecShare.get("s", "shr-1").ingress_port)
IpsecTunnelArgs(name="a", peer_public_ip="203.0.113.1", peer_cidr="x", peer_cdir="y")
IpsecTunnel("u", peer_cidr=5)
"""


def test_a_users_program_is_typed(tmp_path: Path) -> None:
    program = tmp_path / "program.py"
    program.write_text(PROGRAM)
    out, _, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(program)]
    )
    lines = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith(str(program))]
    assert lines[:3] == [
        'note: Revealed type is "pulumi.output.Output[str | None]"',
        'note: Revealed type is "fdipsec_pulumi.resources.types.IpsecTunnelConfig | None"',
        'note: Revealed type is "pulumi.output.Output[int]"',
    ], out
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 2 and status == 1, out
    assert 'Unexpected keyword argument "peer_cdir" for "IpsecTunnelArgs"' in errors[0]
    assert 'Argument "peer_cidr" to "IpsecTunnel" has incompatible type "int"' in errors[1]
