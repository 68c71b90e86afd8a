"""The pose of every library exercise, as joint angles (drawn by unknot.documents.figure)."""

from typing import TypedDict

from unknot.documents.figure import FLOOR, PROP_INK, Point, Pose

# Props, in the diagram's coordinates.
MAT = f'<rect x="40" y="{FLOOR - 1:g}" width="130" height="3" fill="#c9d3d8"/>'
CHAIR = (
    f'<polyline points="40,58 40,96 82,96 82,{FLOOR:g}" fill="none" stroke="{PROP_INK}" '
    f'stroke-width="3"/><line x1="40" y1="96" x2="40" y2="{FLOOR:g}" stroke="{PROP_INK}" '
    'stroke-width="3"/>'
)
CUSHION = f'<rect x="74" y="{FLOOR - 6:g}" width="22" height="6" rx="3" fill="#c9d3d8"/>'
BOX = f'<rect x="108" y="100" width="30" height="{FLOOR - 100:g}" fill="#e9d8b4" stroke="#8a6d2c"/>'
POST = f'<line x1="22" y1="16" x2="22" y2="{FLOOR:g}" stroke="{PROP_INK}" stroke-width="4"/>'


def _weight(x: float, y: float) -> str:
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{PROP_INK}"/>'


class _Base(TypedDict, total=False):
    """The arguments of Pose that a family of poses shares, spread into each with **."""

    hip: Point
    trunk: float
    props: tuple[str, ...]


SUPINE: _Base = {"hip": (118.0, 121.0), "trunk": 180.0, "props": (MAT,)}
HOOK = (55.0, -75.0, 0.0)
ARMS_DOWN = (0.0, 0.0)
QUAD: _Base = {"hip": (128.0, 92.0), "trunk": 167.0}
KNEEL = (-90.0, 0.0, -30.0)
ARM_DOWN = (-90.0, -90.0)

SIDE_GLIDE = Pose(
    "Standing side-on to a wall with the shoulder and bent elbow against it; the hips glide "
    "sideways towards the wall.",
    hip=(60, 68),
    trunk=92,
    near_arm=(-160, 90),
    far_arm=(-80, -60),
    near_leg=(-92, -90, 0),
    far_leg=(-94, -92, 0),
    props=(POST,),
    arrows=("M80,60 L40,60",),
)

POSES: dict[str, Pose] = {
    "knee_to_chest": Pose(
        "Lying on the back with one knee drawn towards the chest, hands behind the thigh; "
        "the other foot flat on the floor.",
        **SUPINE,
        near_arm=(40, 10),
        far_arm=ARMS_DOWN,
        near_leg=(115, -15, 80),
        far_leg=HOOK,
        arrows=("M150,80 Q132,70 118,80",),
    ),
    "double_knee_to_chest": Pose(
        "Lying on the back holding both knees towards the chest.",
        **SUPINE,
        near_arm=(40, 10),
        far_arm=(45, 15),
        near_leg=(115, -15, 80),
        far_leg=(120, -10, 80),
    ),
    "pelvic_tilt": Pose(
        "Lying on the back, knees bent and feet flat; the low back flattens gently to the floor.",
        **SUPINE,
        near_arm=ARMS_DOWN,
        far_arm=ARMS_DOWN,
        near_leg=HOOK,
        far_leg=(60, -78, 0),
        arrows=("M98,98 Q104,104 104,114",),
    ),
    "cat_camel": Pose(
        "On hands and knees with the back rounded up towards the ceiling and the head dropped.",
        **QUAD,
        near_arm=ARM_DOWN,
        far_arm=ARM_DOWN,
        near_leg=KNEEL,
        far_leg=KNEEL,
        neck=215,
        bend=(0, -14),
        arrows=("M106,66 L106,52",),
    ),
    "prone_lying": Pose(
        "Lying face down propped on the elbows, hips and legs relaxed on the floor.",
        hip=(130, 121),
        trunk=154.4,
        near_arm=(-90, 180),
        far_arm=(-90, 180),
        near_leg=(0, 0, 10),
        far_leg=(0, 0, 10),
        neck=165,
        props=(MAT,),
    ),
    "prone_press_up": Pose(
        "Lying face down and pushing the upper body up on straight arms while the hips stay "
        "on the floor.",
        hip=(130, 121),
        trunk=117.6,
        near_arm=ARM_DOWN,
        far_arm=ARM_DOWN,
        near_leg=(0, 0, 10),
        far_leg=(0, 0, 10),
        neck=125,
        bend=(6, 4),
        props=(MAT,),
        arrows=("M124,92 L124,76",),
    ),
    "standing_extension": Pose(
        "Standing with the hands on the lower back, leaning back gently from the waist with "
        "straight knees.",
        hip=(100, 68),
        trunk=105,
        near_arm=(-120, -30),
        far_arm=(-125, -35),
        near_leg=(-88, -90, 0),
        far_leg=(-92, -92, 0),
        arrows=("M120,-4 Q108,-14 94,-10",),
    ),
    "seated_flexion": Pose(
        "Sitting on a chair with the feet apart, bending forward so the hands slide down towards "
        "the floor.",
        hip=(50, 92),
        trunk=20,
        neck=-10,
        near_arm=(-75, -80),
        far_arm=(-78, -82),
        near_leg=(0, -90, 0),
        far_leg=(-2, -92, 0),
        props=(CHAIR,),
        arrows=("M112,58 Q124,72 118,92",),
    ),
    "side_glide_left": SIDE_GLIDE,
    "side_glide_right": SIDE_GLIDE,  # the mirror image: the same drawing from the side
    "lumbar_rotation": Pose(
        "Lying on the back, knees bent and together, rolling both knees slowly to one side.",
        **SUPINE,
        near_arm=ARMS_DOWN,
        far_arm=ARMS_DOWN,
        near_leg=(30, -60, 0),
        far_leg=(38, -66, 0),
        arrows=("M150,82 Q164,92 160,108",),
    ),
    "figure_four_stretch": Pose(
        "Lying on the back with one ankle resting across the other knee, drawing the "
        "supporting thigh towards the chest.",
        **SUPINE,
        near_arm=(45, 10),
        far_arm=(50, 15),
        near_leg=(30, 145, 90),
        far_leg=(80, -20, 70),
    ),
    "hamstring_stretch": Pose(
        "Lying on the back with one leg raised nearly straight, a strap looped around the foot "
        "and held in both hands.",
        **SUPINE,
        near_arm=(70, 62),
        far_arm=(72, 64),
        near_leg=(82, 82, 170),
        far_leg=(0, 0, 80),
        strap=True,
    ),
    "hip_flexor_stretch": Pose(
        "Half kneeling with the back knee on a cushion and the front foot flat, trunk upright, "
        "hips shifted forward.",
        hip=(95, 93),
        trunk=90,
        near_arm=(-100, -30),
        far_arm=(-95, -40),
        near_leg=(0, -90, 0),
        far_leg=(-110, 180, 190),
        props=(CUSHION,),
        arrows=("M112,80 L128,80",),
    ),
    "abdominal_bracing": Pose(
        "Lying on the back with knees bent, one hand resting on the belly and one on the chest.",
        **SUPINE,
        near_arm=(50, -20),
        far_arm=(60, -70),
        near_leg=HOOK,
        far_leg=(60, -78, 0),
    ),
    "bird_dog": Pose(
        "On hands and knees with one arm reaching forward and the opposite leg reaching back, "
        "both at the height of the back.",
        **QUAD,
        near_arm=(178, 178),
        far_arm=ARM_DOWN,
        near_leg=KNEEL,
        far_leg=(-4, -4, -80),
    ),
    "dead_bug": Pose(
        "Lying on the back with arms pointing to the ceiling and hips and knees bent to a right "
        "angle; one leg lowers slowly towards the floor.",
        **SUPINE,
        near_arm=(90, 90),
        far_arm=(168, 172),
        near_leg=(90, 0, 80),
        far_leg=(18, 8, 80),
        arrows=("M172,96 L172,112",),
    ),
    "bridge": Pose(
        "Lying on the back with knees bent, hips lifted so shoulders, hips and knees make a line.",
        hip=(112, 102.4),
        trunk=205,
        near_arm=ARMS_DOWN,
        far_arm=ARMS_DOWN,
        near_leg=(15, -80, 0),
        far_leg=(18, -82, 0),
        props=(MAT,),
        arrows=("M112,120 L112,108",),
    ),
    "side_plank": Pose(
        "Side-lying propped on one forearm, hips lifted so the body is straight from head to "
        "knees.",
        hip=(115, 108),
        trunk=160,
        near_arm=(-90, 180),
        far_arm=(-30, -150),
        near_leg=(-22, 0, -60),
        far_leg=(-20, 0, -60),
        props=(MAT,),
        arrows=("M115,124 L115,114",),
    ),
    "front_plank": Pose(
        "Holding a straight line from head to heels on the forearms and toes.",
        hip=(120, 107),
        trunk=171,
        near_arm=(-90, 180),
        far_arm=(-90, 180),
        near_leg=(-8, -10, -70),
        far_leg=(-8, -10, -70),
        props=(MAT,),
    ),
    "sit_to_stand": Pose(
        "Rising from a chair: leaning forward from the hips with a long back, feet under the "
        "knees.",
        hip=(85, 86),
        trunk=60,
        near_arm=(-60, -20),
        far_arm=(-55, -15),
        near_leg=(-10, -95, 0),
        far_leg=(-12, -93, 0),
        props=(CHAIR,),
        arrows=("M70,70 Q76,50 92,42",),
    ),
    "hip_hinge": Pose(
        "Standing and tipping forward from the hips with soft knees, a stick held along the back "
        "touching head, upper back and tailbone.",
        hip=(92, 64),
        trunk=35,
        near_arm=(160, 40),
        far_arm=(-150, -10),
        near_leg=(-80, -95, 0),
        far_leg=(-82, -93, 0),
        props=(
            '<line x1="80" y1="60" x2="142" y2="17" stroke="#8a6d2c" '
            'stroke-width="3" stroke-linecap="round"/>',
        ),
        arrows=("M76,54 L64,54",),
    ),
    "lifting_practice": Pose(
        "Squatting close to a box with a long back, hands on the box, ready to stand up with it.",
        hip=(78, 87),
        trunk=50,
        near_arm=(-78, -86),
        far_arm=(-76, -84),
        near_leg=(-15, -110, 0),
        far_leg=(-18, -108, 0),
        props=(BOX,),
        arrows=("M150,112 L150,84",),
    ),
    "goblet_squat": Pose(
        "Squatting with a tall chest, holding a weight against the chest.",
        hip=(82, 92),
        trunk=72,
        near_arm=(-70, 100),
        far_arm=(-72, 98),
        near_leg=(-5, -105, 0),
        far_leg=(-8, -103, 0),
        props=(_weight(101, 77),),
    ),
    "romanian_deadlift": Pose(
        "Hinging at the hips with a long back, a weight sliding down the front of the legs.",
        hip=(90, 65),
        trunk=30,
        near_arm=ARM_DOWN,
        far_arm=(-88, -88),
        near_leg=(-84, -94, 0),
        far_leg=(-86, -92, 0),
        props=(_weight(128, 92),),
    ),
    "suitcase_carry": Pose(
        "Walking tall with a weight held in one hand at the side, not leaning.",
        hip=(100, 68),
        trunk=90,
        near_arm=ARM_DOWN,
        far_arm=(-100, -80),
        near_leg=(-78, -90, 0),
        far_leg=(-100, -98, 0),
        props=(_weight(100, 74),),
        arrows=("M130,40 L160,40",),
    ),
    "pallof_press": Pose(
        "Standing side-on to a band tied to a post, hands pressed straight out in front of the "
        "chest.",
        hip=(100, 68),
        trunk=90,
        near_arm=(0, 0),
        far_arm=(2, 2),
        near_leg=(-80, -90, 0),
        far_leg=(-96, -92, 0),
        props=(POST, '<line x1="22" y1="26" x2="142" y2="24" stroke="#0b5563" stroke-width="2"/>'),
        arrows=("M120,12 L140,12",),
    ),
    "walking": Pose(
        "Walking upright at an easy pace, arms swinging.",
        hip=(100, 68),
        trunk=92,
        near_arm=(-115, -75),
        far_arm=(-70, -40),
        near_leg=(-70, -88, 0),
        far_leg=(-110, -118, -20),
        arrows=("M130,40 L160,40",),
    ),
    "posture_breaks": Pose(
        "Standing up from a chair with hands on the hips, leaning back gently.",
        hip=(110, 68),
        trunk=100,
        near_arm=(-110, -20),
        far_arm=(-115, -25),
        near_leg=(-88, -90, 0),
        far_leg=(-92, -92, 0),
        props=(CHAIR,),
        arrows=("M126,-2 Q114,-12 100,-8",),
    ),
}
