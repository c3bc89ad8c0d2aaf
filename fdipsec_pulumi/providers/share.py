"""The IpsecShare dynamic provider, as pickled into state: never move or rename ``ShareProvider``.

Shares update in place (PATCH of the changed fields, then wait for DEPLOYED again, as the API
re-provisions them under the same id); only a move to another Frontdoor or tunnel replaces one. The
work is in ``providers/share_impl.py`` (``providers/shell.py`` says why).
"""

from __future__ import annotations

from fdipsec_pulumi.providers.shell import ProviderShell


class ShareProvider(ProviderShell):
    implementation = "fdipsec_pulumi.providers.share_impl:ShareProviderImpl"
