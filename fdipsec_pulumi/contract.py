"""The names that users' Pulumi state depends on. Each is written into every stack that uses this package,
so renaming one orphans or churns every deployed resource: these values are frozen, and
tests/providers/test_contract.py asserts them as literals.
"""

from __future__ import annotations

from typing import Final

# Type tokens: part of every resource's URN (`class IpsecTunnel(Resource, module=..., name=...)`).
TUNNEL_TYPE: Final = "pulumi-python:dynamic/fdipsec:IpsecTunnel"
SHARE_TYPE: Final = "pulumi-python:dynamic/fdipsec:IpsecShare"

# The pickled provider, written by the SDK itself (pulumi.dynamic.dynamic.PROVIDER_KEY).
PROVIDER_KEY: Final = "__provider"
# ResourceOptions.custom_timeouts: the Python dynamic host never passes it to the provider.
TIMEOUTS_KEY: Final = "__timeouts"
# ResourceOptions.replace_on_changes: the Python dynamic host sends the engine no list of changed keys,
# so the engine cannot apply it to an in-place update by itself.
REPLACE_ON_CHANGES_KEY: Final = "__replaceOnChanges"
# ResourceOptions.import_: the engine's import step calls Read without the pickled provider
# (pulumi#16175), so create reads the named object instead. Dropped by check once the resource is in
# state, as the engine ignores its own import_ then.
IMPORT_KEY: Final = "__importId"
# Which resource of which stack this is (organization/project/stack/type/name): the key under which
# create journals the objects it POSTs, so that only this very resource's lost create is adopted.
OWNER_KEY: Final = "__owner"

HIDDEN_INPUTS: Final = (PROVIDER_KEY, TIMEOUTS_KEY, REPLACE_ON_CHANGES_KEY, IMPORT_KEY, OWNER_KEY)
# What each hidden input carries, in the words docs/reference.md shows a user reading `preview --json`.
HIDDEN_INPUT_MEANINGS: Final = {
    PROVIDER_KEY: "the pickled provider, by reference (module and class); secret",
    TIMEOUTS_KEY: "custom_timeouts in seconds, which the Python dynamic host never passes on",
    REPLACE_ON_CHANGES_KEY: "replace_on_changes, as state keys, applied by the provider's diff",
    IMPORT_KEY: "import_: the id create reads and adopts instead of POSTing; dropped once in state",
    OWNER_KEY: "organization/project/stack/type::name: the key create journals its POSTs under",
}
