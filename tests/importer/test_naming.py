"""Resource names from API names: readable, valid as Python names, distinct, and independent of order."""

from __future__ import annotations

import itertools
import keyword

from fdipsec_pulumi.importer import naming


def test_a_slug_is_the_api_name_in_lowercase_ascii_words() -> None:
    assert naming.slug("Customer A / DC-1") == "customer-a-dc-1"
    assert naming.slug("Zürich Ünïcödé") == "zurich-unicode"
    assert naming.slug("東京") == ""
    assert naming.slug("back\\slash\u200bzero") == "back-slash-zero"
    assert naming.slug("x" * 300) == "x" * naming.MAX_LENGTH
    assert naming.slug("a" * 62 + " b") == "a" * 62  # no trailing hyphen after the cut


def test_names_that_would_not_make_a_plain_variable_get_their_kind_in_front() -> None:
    assert naming.fitted("tunnel", "10-net") == "tunnel-10-net"
    assert naming.fitted("share", "list") == "share-list"
    assert naming.fitted("share", "class") == "share-class"
    assert naming.fitted("share", "match") == "share-match"
    assert naming.fitted("tunnel", "pulumi") == "tunnel-pulumi"
    assert naming.fitted("tunnel", "dc1") == "dc1"


def test_every_candidate_is_a_usable_variable() -> None:
    names = ["10.0.0.0/8", "class", "id", "東京", "Customer A", "-", "type", "None"]
    for name in names:
        for candidate in naming.tunnel_candidates(name, "tnl-1") + naming.share_candidates(
            name, "shr-1", "dc"
        ):
            variable = naming.variable(candidate)
            assert naming.usable(variable) and not keyword.iskeyword(variable), (name, candidate)


def test_a_name_without_ascii_falls_back_to_the_id() -> None:
    assert naming.tunnel_candidates("東京", "tnl-7") == ["tunnel-tnl-7"]
    assert naming.share_candidates("", "shr-7", "dc") == ["share-shr-7"]


def test_clashes_move_every_member_on_and_nobody_else() -> None:
    candidates = {
        ("tunnel", "tnl-1"): naming.tunnel_candidates("dc1", "tnl-1"),
        ("tunnel", "tnl-2"): naming.tunnel_candidates("dc2", "tnl-2"),
        ("share", "shr-1"): naming.share_candidates("app-db", "shr-1", "dc1"),
        ("share", "shr-2"): naming.share_candidates("app-db", "shr-2", "dc2"),
        ("share", "shr-3"): naming.share_candidates("web", "shr-3", "dc1"),
    }
    assert naming.assign(candidates) == {
        ("tunnel", "tnl-1"): "dc1",
        ("tunnel", "tnl-2"): "dc2",
        ("share", "shr-1"): "dc1-app-db",
        ("share", "shr-2"): "dc2-app-db",
        ("share", "shr-3"): "web",
    }


def test_same_names_on_the_same_tunnel_take_their_ids() -> None:
    candidates = {
        ("share", "shr-a"): naming.share_candidates("db", "shr-a", "dc1"),
        ("share", "shr-b"): naming.share_candidates("db", "shr-b", "dc1"),
        ("tunnel", "tnl-1"): naming.tunnel_candidates("db", "tnl-1"),
    }
    assigned = naming.assign(candidates)
    assert assigned == {
        ("share", "shr-a"): "db-shr-a",
        ("share", "shr-b"): "db-shr-b",
        ("tunnel", "tnl-1"): "db-tnl-1",
    }


def test_names_are_distinct_and_do_not_depend_on_the_order_of_the_listing() -> None:
    objects = [
        (("tunnel", "tnl-1"), naming.tunnel_candidates("DC 1", "tnl-1")),
        (("tunnel", "tnl-2"), naming.tunnel_candidates("dc-1", "tnl-2")),
        (("tunnel", "tnl-3"), naming.tunnel_candidates("dc1-db", "tnl-3")),
        (("share", "shr-1"), naming.share_candidates("db", "shr-1", "dc1")),
        (("share", "shr-2"), naming.share_candidates("dc1-db", "shr-2", "dc1")),
        (("share", "shr-3"), naming.share_candidates("db", "shr-3", "dc1")),
    ]
    results = [naming.assign(dict(order)) for order in itertools.permutations(objects)]
    first = results[0]
    assert all(result == first for result in results)
    assert len(set(first.values())) == len(first)
    variables = {naming.variable(name) for name in first.values()}
    assert len(variables) == len(first) and all(naming.usable(v) for v in variables)


def test_ids_alike_once_lowercased_still_get_distinct_names() -> None:
    assigned = naming.assign(
        {
            ("tunnel", "TNL-1"): naming.tunnel_candidates("東京", "TNL-1"),
            ("tunnel", "tnl-1"): naming.tunnel_candidates("東京", "tnl-1"),
        }
    )
    assert sorted(assigned.values()) == ["tunnel-tnl-1-1", "tunnel-tnl-1-2"]
