"""``fdipsec-import``: bring an existing Frontdoor under Pulumi by writing the program that declares it.

The engine's own ``pulumi import`` cannot load a dynamic provider (pulumi#16175), and ``import_`` written
by hand must copy every input exactly or the import is refused. This package reads a Frontdoor's tunnels
and shares once and writes a Python module that declares each of them with ``import_``, so one ``pulumi
up`` adopts the lot without a single write to the API (docs/adoption.md).

Modules: ``fields`` (an API object as constructor arguments: the one place that knows the inputs),
``inventory`` (what to import and what to leave out), ``naming`` (resource and variable names),
``source`` (Python literals and calls, already formatted), ``module`` (the generated file),
``stackconfig`` (the current stack's ``fdipsec:*`` config), ``cli``.
"""
