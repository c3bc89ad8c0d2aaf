"""What the engine runs (``python -m pulumi.policy <engine> <this directory>``): serve the pack.

The interpreter is the project's own (the first ``python3`` on PATH, or ``PULUMI_PYTHON_CMD``), so the
pack uses the ``fdipsec_pulumi`` and ``pulumi-policy`` installed there: no virtualenv of its own.
"""

from fdipsec_pulumi.policy.policies import serve

serve()
