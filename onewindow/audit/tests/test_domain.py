"""The chain rules without a database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.audit import domain


def build_chain(stream: str, changes_list: list[dict], algorithm: str = "sha256") -> list[domain.Link]:
    links, prev = [], domain.GENESIS_HASH
    for seq, changes in enumerate(changes_list, start=1):
        payload = domain.event_payload(
            {
                "stream": stream,
                "seq": seq,
                "occurred_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=seq),
                "actor_id": 7,
                "organisation_id": None,
                "action": "cases.case_accepted",
                "target_type": "cases.case",
                "target_id": "1",
                "changes": domain.normalise_changes(changes),
                "request_id": "",
                "algorithm": algorithm,
            }
        )
        event_hash = domain.event_hash(algorithm, payload, prev)
        links.append(domain.Link(stream, seq, prev, event_hash, algorithm, payload))
        prev = event_hash
    return links


def breaks(links: list[domain.Link]) -> list[domain.Break]:
    checker = domain.ChainChecker()
    return [b for link in links if (b := checker.feed(link)) is not None]


changes_strategy = st.dictionaries(
    st.text(min_size=1, max_size=5), st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=3
)


@given(st.lists(changes_strategy, min_size=1, max_size=8), st.sampled_from(["sm3", "sha256"]))
def test_an_untouched_chain_has_no_break(changes_list, algorithm):
    assert breaks(build_chain("case:1", changes_list, algorithm)) == []


@given(st.lists(changes_strategy, min_size=2, max_size=8), st.data())
def test_editing_any_event_breaks_the_chain_at_that_event(changes_list, data):
    links = build_chain("case:1", changes_list)
    victim = data.draw(st.integers(0, len(links) - 1))
    edited = dict(links[victim].payload, changes={"tampered": True})
    links[victim] = domain.Link(**{**links[victim].__dict__, "payload": edited})
    assert breaks(links) == [domain.Break("case:1", victim + 1, "事件内容与哈希不符（事件被改动）")]


def test_a_deleted_event_breaks_the_chain_at_the_missing_seq():
    links = build_chain("case:1", [{}] * 5)
    del links[2]
    found = breaks(links)
    assert [(b.stream, b.seq) for b in found] == [("case:1", 3)]


def test_each_stream_reports_only_its_first_break_and_other_streams_still_verify():
    first = build_chain("a", [{}] * 4)
    first[1] = domain.Link(**{**first[1].__dict__, "hash": "f" * 64})
    second = build_chain("b", [{}] * 3)
    assert [(b.stream, b.seq) for b in breaks(first + second)] == [("a", 2)]


def test_an_event_recorded_with_an_unknown_algorithm_is_a_break():
    links = build_chain("a", [{}])
    links[0] = domain.Link(**{**links[0].__dict__, "algorithm": "md5"})
    assert breaks(links)[0].reason.startswith("无法计算的哈希算法")


def test_sm3_and_sha256_give_different_known_digests():
    assert domain.digest("sha256", b"abc").startswith("ba7816bf")
    assert domain.digest("sm3", b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    with pytest.raises(domain.UnknownAlgorithm):
        domain.digest("md5", b"abc")


@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=6), st.integers(1, 99), st.just("a" * 64)),
        max_size=9,
        unique_by=lambda h: h[0],
    )
)
def test_the_heads_root_ignores_the_order_heads_are_listed_in(heads):
    assert domain.heads_root("sha256", heads) == domain.heads_root("sha256", list(reversed(heads)))


def test_changing_one_head_changes_the_root():
    heads = [("a", 1, "0" * 64), ("b", 2, "1" * 64), ("c", 3, "2" * 64)]
    changed = [*heads[:2], ("c", 3, "3" * 64)]
    assert domain.heads_root("sm3", heads) != domain.heads_root("sm3", changed)


def test_changes_are_normalised_to_what_json_storage_gives_back():
    assert domain.normalise_changes({"amount": dt.date(2026, 1, 2), "pair": ("a", "b")}) == {
        "amount": "2026-01-02",
        "pair": ["a", "b"],
    }


def test_a_pseudonym_is_stable_and_hides_the_value():
    value = domain.pseudonym("key", "13800138000")
    assert value == domain.pseudonym("key", "13800138000")
    assert "13800138000" not in value
    assert value != domain.pseudonym("other-key", "13800138000")
