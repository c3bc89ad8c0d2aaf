"""Dynamic-provider implementations. Classes here are pickled into state by reference: never move them.

Pulumi's dynamic-provider host imports this package to unpickle them; only there does importing it change
anything (see diagnostics.install_in_host), so a program, a test or a script imports it without effects.
"""

from fdipsec_pulumi.providers.diagnostics import install_in_host

install_in_host()
