"""The policy pack's directory: ``PulumiPolicy.yaml`` and the ``__main__.py`` the engine runs.

The policies themselves are in ``fdipsec_pulumi.policy``; see ``docs/policy.md``.
"""
