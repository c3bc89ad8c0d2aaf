"""A local emulator of the Frontdoor V2 IPsec API: the offline default and the tests' server.

Behaviour the seeds leave open, decided here (docs/emulator.md has the full account):

- Provisioning is lazy and clock-driven (``state.py``): NEW -> DEPLOYED after ``tunnel_delay`` /
  ``share_delay``; DELETING -> DELETED -> gone (404) after ``delete_delay`` each. A delay of 0 means
  the next read already shows the next status; a create or delete itself always answers NEW or DELETING.
- A share created on a tunnel that is not DEPLOYED yet is accepted and stays NEW until the tunnel is
  DEPLOYED; its own delay starts then. Its tunnel must be NEW or DEPLOYED (400 otherwise).
- DELETED resources stay readable (and listed) for one ``delete_delay``, then answer 404. A tunnel still
  holds its location, and a share its ingress port, until it reaches DELETED.
- tunnel-config and sample-config answer 409 ``conflict`` until the tunnel is DEPLOYED; so do PUT and
  PATCH on a share that is being deleted. DELETE on something already going away answers 202 again.
- The pre-shared key appears only in sample-config (text/plain); never in JSON, logs or the control API.
- Without explicit credentials the bearer token ``fdipsec-local-token`` and the OAuth2 client
  ``fdipsec-local:fdipsec-local-secret`` are accepted, for Frontdoor ``3d6d2b6e-...-9a9d2e1f0b1c``.
"""

from fdipsec_pulumi.emulator.app import create_app
from fdipsec_pulumi.emulator.backend import Backend
from fdipsec_pulumi.emulator.control_client import ControlClient
from fdipsec_pulumi.emulator.server import EmulatorServer

__all__ = ["Backend", "ControlClient", "EmulatorServer", "create_app"]
