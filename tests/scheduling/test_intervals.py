"""The sweep operations agree with plain sets of minutes."""

from datetime import datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from unknot.scheduling.intervals import Span, contains, intersect, merge, overlaps, subtract

from ._builders import utc

T0 = utc(2025, 1, 1)


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


def span(a: int, b: int) -> Span:
    return Span(at(a), at(b))


def minute_set(spans: list[Span]) -> set[int]:
    return {
        m
        for s in spans
        for m in range(
            int((s.start - T0) / timedelta(minutes=1)), int((s.end - T0) / timedelta(minutes=1))
        )
    }


spans_st = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 60)).map(lambda p: span(p[0], p[0] + p[1])),
    max_size=8,
)


def test_merge_coalesces_touching_and_drops_empty() -> None:
    assert merge([span(5, 10), span(0, 5), span(20, 20), span(8, 12)]) == [span(0, 12)]


def test_subtract_splits_around_cuts() -> None:
    assert subtract([span(0, 100)], [span(10, 20), span(50, 60)]) == [
        span(0, 10),
        span(20, 50),
        span(60, 100),
    ]


def test_one_cut_across_several_bases() -> None:
    assert subtract([span(0, 10), span(20, 30)], [span(5, 25)]) == [span(0, 5), span(25, 30)]


@given(spans_st, spans_st)
def test_operations_match_sets(a: list[Span], b: list[Span]) -> None:
    ma, mb = merge(a), merge(b)
    assert minute_set(ma) == minute_set(a)
    assert all(x.end < y.start for x, y in pairwise(ma))
    assert minute_set(subtract(ma, mb)) == minute_set(a) - minute_set(b)
    assert minute_set(intersect(ma, mb)) == minute_set(a) & minute_set(b)


@given(spans_st, st.integers(0, 260), st.integers(1, 30))
def test_contains_and_overlaps_match_sets(a: list[Span], start: int, length: int) -> None:
    merged = merge(a)
    wanted = set(range(start, start + length))
    assert contains(merged, at(start), at(start + length)) == (wanted <= minute_set(merged))
    assert overlaps(merged, at(start), at(start + length)) == bool(wanted & minute_set(merged))
