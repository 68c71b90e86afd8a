"""Stick figures keep their proportions whatever the pose; a movement's frame fits its drawing."""

import math

import pytest

from unknot.documents import figure, posing
from unknot.documents.figure import Movement, Path, Pose, Track

STAND = Pose(
    hip=(0.0, posing.STANDING_HIP),
    trunk=90.0,
    near_arm=(-90.0, -90.0),
    far_arm=(-90.0, -90.0),
    near_leg=(-90.0, -90.0, 0.0),
    far_leg=(-90.0, -90.0, 0.0),
)
REACH = Pose(
    hip=STAND.hip,
    trunk=90.0,
    near_arm=(90.0, 90.0),
    far_arm=(-90.0, -90.0),
    near_leg=STAND.near_leg,
    far_leg=STAND.far_leg,
)
RAISE_ARM = Movement(
    "Raise one arm.",
    STAND,
    REACH,
    "standing.",
    "one arm up.",
    ("near_arm",),
    arrows=(Track("near_hand"),),
)


def test_limb_lengths_are_kept_by_every_pose() -> None:
    start = (0.0, 0.0)
    thigh_end = figure.chain(start, (37.0,), (figure.LEG[0],))[-1]
    assert round((thigh_end[0] ** 2 + thigh_end[1] ** 2) ** 0.5, 6) == figure.LEG[0]


def test_a_standing_figure_stands_on_the_floor() -> None:
    joints = figure.joints(STAND)
    assert joints["near_ankle"][1] == pytest.approx(figure.FLOOR - 2.5)
    assert joints["head"][1] < joints["shoulder"][1] < joints["hip"][1]  # y grows downwards


@pytest.mark.parametrize("target", [(10.0, 30.0), (25.0, 5.0), (-20.0, 40.0)])
@pytest.mark.parametrize("bend", [1, -1])
def test_aim_puts_the_end_of_a_limb_on_its_target(target: tuple[float, float], bend: int) -> None:
    hip = (0.0, 50.0)
    angles = posing.leg(hip, target, bend=bend)
    ankle = figure.chain(figure.on_floor(*hip), angles[:2], figure.LEG[:2])[-1]
    assert ankle == pytest.approx(figure.on_floor(*target), abs=0.01)  # angles kept to 0.01°


def test_half_way_between_two_poses_every_angle_turns_half_way() -> None:
    middle = figure.between(STAND, REACH, 0.5)
    assert middle.near_arm == (0.0, 0.0) and middle.far_arm == STAND.far_arm


def test_the_arrow_follows_the_tracked_joint_from_start_to_end() -> None:
    path = figure.arrow_path(RAISE_ARM, RAISE_ARM.arrows[0])
    shoulder = figure.joints(STAND)["shoulder"]
    # The hand swings round the shoulder, past the hand by `beyond`: a quarter circle and more.
    radii = {round(math.dist(shoulder, p), 6) for p in path}
    assert radii == {round(sum(figure.ARM) + 8.0, 6)}
    assert path[0][1] > shoulder[1] > path[-1][1]  # from below the shoulder to above it (y down)


def test_the_frame_holds_every_shape_of_both_panels() -> None:
    drawn = figure.panels(RAISE_ARM)
    frame = figure.frame(drawn)
    second = frame.dx + frame.panel + figure.GAP
    for shapes, dx in ((drawn.start, frame.dx), (drawn.end, second)):
        for shape in shapes:
            left, top, right, bottom = shape.box()
            assert left + dx >= 0 and right + dx <= frame.width
            assert top + frame.dy >= figure.LABEL_BAND and bottom + frame.dy <= frame.height


def test_the_frame_is_as_tall_as_the_tallest_pose_needs() -> None:
    lying = Pose(
        hip=(0.0, 8.0),
        trunk=180.0,
        near_arm=(0.0, 0.0),
        far_arm=(0.0, 0.0),
        near_leg=(0.0, 0.0, 80.0),
        far_leg=(0.0, 0.0, 80.0),
    )
    rolled = Movement(
        "Roll.",
        lying,
        lying,
        "lying.",
        "lying.",
        ("trunk",),
        arrows=(Path(((0.0, 20.0), (20.0, 20.0))),),
    )
    low = figure.size(rolled)[1]
    tall = figure.size(RAISE_ARM)[1]
    assert low < 0.5 * tall  # a lying figure gets a low frame, not a standing one's


def test_svg_names_the_figure_and_escapes_its_words() -> None:
    text = figure.svg("Arm <raise> & hold", RAISE_ARM)
    assert '<title id="title">Arm &lt;raise&gt; &amp; hold</title>' in text
    assert "Raise one arm. Start: standing. End: one arm up." in text
    assert ">Start</text>" in text and ">End</text>" in text
