"""Dynamic-provider implementations. Classes here are pickled into state by reference: never move them.

Pulumi's dynamic-provider host imports this package to unpickle them, and only there does importing it
change anything: the host prints our errors as their message alone (``diagnostics``), and a watch ends the
host when the engine is gone (``hostprocess``). A program, a test or a script imports it without effects,
and a program without the client either (``shell``).
"""

from fdipsec_pulumi.providers import hostprocess

if hostprocess.in_dynamic_provider_host():
    from fdipsec_pulumi.providers.diagnostics import install_in_host

    install_in_host()
    hostprocess.activate()
