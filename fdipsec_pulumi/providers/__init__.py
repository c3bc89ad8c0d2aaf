"""Dynamic-provider implementations. Classes here are pickled into state by reference: never move them.

Importing this package in Pulumi's dynamic-provider host process (and only there) starts a watch that ends
that process when the engine is gone; see ``hostprocess``.
"""

from fdipsec_pulumi.providers import hostprocess

hostprocess.activate()
