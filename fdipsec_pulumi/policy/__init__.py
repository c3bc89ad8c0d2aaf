"""IPsec guardrails: a CrossGuard policy pack for the tunnels and shares of this package.

The checks that matter most are between resources (two tunnels, a tunnel and a VPC), which a provider's
``check`` cannot see, as it is shown one resource at a time; a policy pack is shown the whole stack at
``pulumi preview``, before anything is written. ``python -m fdipsec_pulumi.policy`` prints the pack's
directory for ``pulumi preview --policy-pack``; the pack needs the ``[policy]`` extra (``pulumi-policy``).

Nothing here is imported by ``import fdipsec_pulumi``, so the package works without the extra.
"""
