"""Half-open UTC intervals and the sweep operations on sorted, merged lists of them.

Every operation is a linear two-pointer walk (after one sort in `merge`), which is what keeps
availability at O((W + B) log B + S) instead of testing each slot against each appointment.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple


class Span(NamedTuple):
    start: datetime
    end: datetime


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sort, drop empty spans, and coalesce overlapping or touching ones."""
    out: list[Span] = []
    for span in sorted(spans):
        if span.end <= span.start:
            continue
        if out and span.start <= out[-1].end:
            if span.end > out[-1].end:
                out[-1] = Span(out[-1].start, span.end)
        else:
            out.append(span)
    return out


def subtract(base: Sequence[Span], cut: Sequence[Span]) -> list[Span]:
    """`base` minus `cut`; both merged. A cut spanning several base spans is revisited."""
    out: list[Span] = []
    first = 0
    for span in base:
        while first < len(cut) and cut[first].end <= span.start:
            first += 1
        start = span.start
        k = first
        while k < len(cut) and cut[k].start < span.end:
            if cut[k].start > start:
                out.append(Span(start, cut[k].start))
            start = max(start, cut[k].end)
            k += 1
        if start < span.end:
            out.append(Span(start, span.end))
    return out


def intersect(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    """Intersection of two merged lists."""
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i].start, b[j].start)
        end = min(a[i].end, b[j].end)
        if start < end:
            out.append(Span(start, end))
        # Advance whichever ends first; it cannot meet anything later in the other list.
        if a[i].end <= b[j].end:
            i += 1
        else:
            j += 1
    return out


def contains(spans: Sequence[Span], start: datetime, end: datetime) -> bool:
    """True if [start, end) lies inside a single span of the merged list."""
    i = bisect_right(spans, start, key=lambda s: s.start) - 1
    return i >= 0 and spans[i].start <= start and end <= spans[i].end


def overlaps(spans: Sequence[Span], start: datetime, end: datetime) -> bool:
    """True if [start, end) shares any instant with the merged list (touching is fine)."""
    i = bisect_right(spans, start, key=lambda s: s.end)
    return i < len(spans) and spans[i].start < end
