"""The shape of a field table: one row per API field of one resource kind, with everything the package
needs to know about it.

Each row is written once, in ``fields/tunnel.py`` or ``fields/share.py``. What mypy and IDEs must see (the
Args classes, the resources' output getters, the wire models, the lookup results) is generated from the
rows into ordinary source by ``scripts/generate.py``, and a test fails when that source is stale; what
only runs (the providers' key lists, the emulator's record fields, a lookup's values) is read from the
rows at import time. Import-safe: plain data, no network, no config.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

# Fields every API object carries, which the emulator's records keep as attributes of their own.
ENVELOPE = ("id", "frontdoorId", "status", "statusMessage")


def snake_case(wire: str) -> str:
    """``peerPublicIp`` to ``peer_public_ip``, as pydantic's ``to_snake`` does; our own, because a program
    imports the tables and pydantic's costs it an import of pydantic (``providers/shell.py``)."""
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", wire)
    words = re.sub(r"([a-z])([A-Z])", r"\1_\2", words)
    words = re.sub(r"([0-9])([A-Z])", r"\1_\2", words)
    words = re.sub(r"([a-z])([0-9])", r"\1_\2", words)
    return words.replace("-", "_").lower()


class Input(Enum):
    REQUIRED = "required"
    OPTIONAL = "optional"


class Change(Enum):
    """What the engine does when an input changes."""

    IN_PLACE = "updates in place"
    REPLACE = "replaces"


class Source(Enum):
    """Where a field's value comes from."""

    OBJECT = "object"  # the API's tunnel or share document
    CONFIG = "config"  # GET .../tunnel-config, once DEPLOYED
    SAMPLE = "sample"  # GET .../sample-config, once DEPLOYED


@dataclass(frozen=True)
class Field:
    """One API field. ``wire`` is the API's name, which is also the state key; the Python name is its
    snake_case unless ``python`` says otherwise."""

    wire: str
    type: str
    description: str
    input: Input | None = None
    change: Change | None = None
    # For an optional input: what the API (or the stack) does when the program omits it.
    default: str = ""
    # The validating type in client/models.py (``PublicIPv4``), and the rule in words for the reference.
    validator: str = ""
    rule: str = ""
    # An omitted input that the server (or the stack's config) fills in: leaving it out is never a diff.
    server_filled: bool = False
    secret: bool = False
    source: Source = Source.OBJECT
    # Sent in the URL path rather than the request body (frontdoorId).
    path: bool = False
    # A state key (the resource has it as an output); ``id`` and ``statusMessage`` are not.
    state: bool = True
    # In the lookup results; a secret never is, since a lookup's result cannot be marked secret.
    lookup: bool = True
    # May be absent from the API's document even once DEPLOYED.
    nullable: bool = False
    # The API leaves it empty until the object is DEPLOYED.
    deployed_only: bool = False
    # The wire model's type when it differs from ``type`` (the status enum).
    model_type: str = ""
    # Other names the API accepts for it in a request (``envId`` for ``envZId``).
    accepts: tuple[str, ...] = ()
    python: str = ""

    @property
    def name(self) -> str:
        return self.python or snake_case(self.wire)

    @property
    def in_body(self) -> bool:
        return self.input is not None and not self.path

    @property
    def output_type(self) -> str:
        return f"{self.type} | None" if self.nullable else self.type

    @property
    def lookup_type(self) -> str:
        return f"{self.type} | None" if self.response_optional else self.type

    @property
    def response_optional(self) -> bool:
        """Whether the wire model lets the API leave it out."""
        return self.nullable or self.deployed_only or (self.input is Input.OPTIONAL and not self.path)


@dataclass(frozen=True)
class Derived:
    """A top-level output read from the configuration document's one endpoint (the API returns one
    endpoint per tunnel), for composing with other providers without digging through ``tunnel_config``."""

    endpoint_field: str
    description: str


@dataclass(frozen=True)
class Table:
    """The fields of one resource kind, in the order the API's documents show them."""

    kind: str  # the resource class: IpsecTunnel
    noun: str  # in sentences: tunnel
    description: str
    fields: tuple[Field, ...]
    derived: tuple[Derived, ...] = ()
    # Wire-model class names (client/models.py).
    create_model: str = ""
    patch_model: str = ""
    response_model: str = ""
    example: str = field(default="", repr=False)

    def __getitem__(self, wire: str) -> Field:
        for row in self.fields:
            if row.wire == wire:
                return row
        raise KeyError(wire)

    # --- what the providers and resources read at run time ------------------------------------------

    @property
    def input_fields(self) -> tuple[Field, ...]:
        """The inputs in the order signatures, diffs and request bodies list them: required ones first,
        then optional ones, then those sent in the URL path."""
        inputs = [f for f in self.fields if f.input is not None]
        return tuple(sorted(inputs, key=lambda f: (f.path, f.input is Input.OPTIONAL)))

    @property
    def inputs(self) -> tuple[str, ...]:
        """The inputs' state keys: what a diff compares."""
        return tuple(f.wire for f in self.input_fields)

    @property
    def body(self) -> tuple[str, ...]:
        """The inputs a create sends in its body."""
        return tuple(f.wire for f in self.input_fields if f.in_body)

    @property
    def server_filled(self) -> tuple[str, ...]:
        return tuple(f.wire for f in self.input_fields if f.server_filled)

    def changing(self, change: Change) -> tuple[str, ...]:
        return tuple(f.wire for f in self.input_fields if f.change is change)

    @property
    def secrets(self) -> list[str]:
        return [f.wire for f in self.fields if f.secret]

    @property
    def state_names(self) -> dict[str, str]:
        """Python name -> state key, for every state key the resource has."""
        return {f.name: f.wire for f in self.fields if f.state}

    @property
    def output_only(self) -> list[str]:
        """Python names of the outputs that are not inputs too."""
        return [f.name for f in self.fields if f.state and f.input is None]

    @property
    def python_inputs(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.input_fields)

    @property
    def record_fields(self) -> tuple[str, ...]:
        """What the emulator keeps in a record's ``fields``: the document's fields besides the envelope."""
        return tuple(f.wire for f in self.fields if f.source is Source.OBJECT and f.wire not in ENVELOPE)

    @property
    def deployed_only(self) -> frozenset[str]:
        return frozenset(f.wire for f in self.fields if f.source is Source.OBJECT and f.deployed_only)

    def state_values(self, remote: Any) -> dict[str, Any]:
        """A wire model's values under their state keys: what a provider records as outputs."""
        return {
            f.wire: plain(getattr(remote, f.name))
            for f in self.fields
            if f.state and f.source is Source.OBJECT
        }

    def lookup_values(self, remote: Any) -> dict[str, Any]:
        """A wire model's values under their Python names: what a lookup result holds."""
        return {
            f.name: plain(getattr(remote, f.name))
            for f in self.fields
            if f.lookup and f.source is Source.OBJECT
        }


def plain(value: Any) -> Any:
    """An enum member (the status) as its value, the way state and results hold it."""
    return value.value if isinstance(value, Enum) else value
