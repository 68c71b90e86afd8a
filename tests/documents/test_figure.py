"""Stick figures keep their proportions, whatever the pose."""

from unknot.documents import figure


def test_limb_lengths_are_kept_by_every_pose() -> None:
    start = (0.0, 0.0)
    thigh_end = figure.chain(start, (37.0,), (figure.LEG[0],))[-1]
    assert round((thigh_end[0] ** 2 + thigh_end[1] ** 2) ** 0.5, 6) == figure.LEG[0]
