"""One table per resource kind: every field's API name, Python name, type, rule and behaviour."""

from fdipsec_pulumi.fields.share import SHARE
from fdipsec_pulumi.fields.table import Change, Derived, Field, Input, Source, Table
from fdipsec_pulumi.fields.tunnel import TUNNEL

TABLES = (TUNNEL, SHARE)

__all__ = ["SHARE", "TABLES", "TUNNEL", "Change", "Derived", "Field", "Input", "Source", "Table"]
