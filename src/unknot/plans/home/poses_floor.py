"""The floor exercises' movements: lying on the back or front, on hands and knees, kneeling.
Places are (across, height above the floor); the head is to the left in every one of them."""

from unknot.documents.figure import Movement, Path, Pose, Track
from unknot.documents.posing import arm, leg, toward
from unknot.documents.props import cushion, mat, strap

LYING = 8.0  # the hip's height when lying: the back rests on the mat
HIP = (0.0, LYING)
FEET = (27.0, 4.5)  # where the feet rest in crook lying
MAT = mat(-74, 44)
BY_SIDES = (-6.0, 0.0)
HOOK = leg(HIP, FEET)
SUPINE = {"hip": HIP, "trunk": 180.0, "neck": 165.0}


def _hook(**changes: object) -> Pose:
    """Lying on the back, knees bent, feet flat, arms by the sides."""
    values: dict[str, object] = {
        **SUPINE,
        "near_arm": BY_SIDES,
        "far_arm": BY_SIDES,
        "near_leg": HOOK,
        "far_leg": HOOK,
    }
    return Pose(**{**values, **changes})  # type: ignore[arg-type]


KNEE_UP = (120.0, -8.0, 75.0)  # thigh drawn to the chest


def _hands_on(thigh: tuple[float, float, float]) -> tuple[float, float]:
    """An arm whose hand holds the thigh, just behind the knee."""
    from math import cos, radians, sin

    knee = (HIP[0] + 24 * cos(radians(thigh[0])), HIP[1] + 24 * sin(radians(thigh[0])))
    return arm(HIP, 180.0, knee, bend=-1)


KNEE_TO_CHEST = Movement(
    "Hold behind one thigh and draw that knee gently towards your chest.",
    start=_hook(),
    end=_hook(near_leg=KNEE_UP, near_arm=_hands_on(KNEE_UP), far_arm=_hands_on(KNEE_UP)),
    start_text="lying on the back, both knees bent and feet flat.",
    end_text="one knee drawn towards the chest, the hands behind the thigh; the other foot "
    "stays flat.",
    moving=("near_leg",),
    arrows=(Track("near_knee"),),
    props=(MAT,),
)

BOTH_UP = (125.0, -2.0, 75.0)
DOUBLE_KNEE_TO_CHEST = Movement(
    "Bring both knees up and hold them towards your chest.",
    start=_hook(),
    end=_hook(
        near_leg=KNEE_UP, far_leg=BOTH_UP, near_arm=_hands_on(KNEE_UP), far_arm=_hands_on(BOTH_UP)
    ),
    start_text="lying on the back, knees bent and feet flat.",
    end_text="both knees held towards the chest.",
    moving=("near_leg", "far_leg"),
    arrows=(Track("near_knee"),),
    props=(MAT,),
)

PELVIC_TILT = Movement(
    "Tighten your lower tummy so your low back presses gently into the floor.",
    start=_hook(bend=(0.0, -7.0)),
    end=_hook(bend=(0.0, 2.5)),
    start_text="lying on the back, knees bent, a small gap under the low back.",
    end_text="the low back pressed flat to the floor.",
    moving=("trunk",),
    arrows=(Path(((-19.0, 34.0), (-19.0, 16.0))),),
    props=(MAT,),
)

BELLY = (-20.0, 16.0)
ABDOMINAL_BRACING = Movement(
    "Breathe in so your belly rises; as you breathe out, gently firm up your waist.",
    start=_hook(
        bend=(0.0, -8.0),
        near_arm=arm(HIP, 180, (BELLY[0], BELLY[1] + 4), bend=1),
        far_arm=arm(HIP, 180, (-36.0, 16.0), bend=1),
    ),
    end=_hook(near_arm=arm(HIP, 180, BELLY, bend=1), far_arm=arm(HIP, 180, (-36.0, 14.0), bend=1)),
    start_text="lying on the back, knees bent, one hand on the belly and one on the chest; "
    "breathing in, the belly rises.",
    end_text="breathing out, the waist gently firmed and the belly flatter.",
    moving=("trunk",),
    arrows=(Path(((-12.0, 40.0), (-12.0, 24.0))),),
    props=(MAT,),
)

LUMBAR_ROTATION = Movement(
    "Let both knees roll slowly to one side, keeping your shoulders on the floor.",
    start=_hook(),
    end=_hook(near_leg=(28.0, -40.0, -10.0), far_leg=(34.0, -46.0, -10.0)),
    start_text="lying on the back, knees bent and together, feet flat.",
    end_text="both knees rolled down to one side, towards you; the shoulders stay on the floor.",
    moving=("near_leg", "far_leg"),
    arrows=(Track("near_knee", beyond=9.0),),
    props=(MAT,),
)

SUPPORT = (112.0, -12.0, 70.0)  # the supporting thigh drawn towards the chest


def _crossed(support: tuple[float, float, float]) -> tuple[float, float, float]:
    """The other leg, its ankle resting across the supporting knee."""
    from math import cos, radians, sin

    knee = (HIP[0] + 30 * cos(radians(support[0])), HIP[1] + 30 * sin(radians(support[0])))
    return leg(HIP, (knee[0] + 3, knee[1] + 4), bend=-1, foot=40.0)


FIGURE_FOUR_STRETCH = Movement(
    "Rest one ankle across the other knee, then draw the supporting thigh towards you.",
    start=_hook(far_leg=_crossed(HOOK)),
    end=_hook(
        near_leg=SUPPORT,
        far_leg=_crossed(SUPPORT),
        near_arm=_hands_on(SUPPORT),
        far_arm=_hands_on(SUPPORT),
    ),
    start_text="lying on the back with one ankle resting across the other knee.",
    end_text="the supporting thigh drawn towards the chest, the hands behind it.",
    moving=("near_leg",),
    arrows=(Track("near_knee"),),
    props=(MAT,),
)

STRAP_HANDS = (-16.0, 34.0)
HAMSTRING_STRETCH = Movement(
    "With a strap around one foot, raise that leg with the knee nearly straight.",
    start=_hook(
        near_leg=(100.0, -4.0, 75.0),
        near_arm=arm(HIP, 180, STRAP_HANDS, 1),
        far_arm=arm(HIP, 180, STRAP_HANDS, 1),
    ),
    end=_hook(
        near_leg=(80.0, 76.0, 166.0),
        near_arm=arm(HIP, 180, (-14.0, 40.0), 1),
        far_arm=arm(HIP, 180, (-14.0, 40.0), 1),
    ),
    start_text="lying on the back, one knee bent up, a strap looped round that foot and held in "
    "both hands.",
    end_text="that leg raised with the knee nearly straight, until a stretch is felt behind the "
    "thigh.",
    moving=("near_leg",),
    arrows=(Track("near_toe", beyond=10.0),),
    props=(MAT, strap()),
)

DEAD_BUG_ARMS = (90.0, 90.0)
DEAD_BUG = Movement(
    "Lower one heel towards the floor and the opposite arm overhead, slowly.",
    start=_hook(
        near_leg=(90.0, 0.0, 80.0),
        far_leg=(92.0, 2.0, 80.0),
        near_arm=DEAD_BUG_ARMS,
        far_arm=DEAD_BUG_ARMS,
    ),
    end=_hook(
        near_leg=(20.0, 0.0, 70.0),
        far_leg=(92.0, 2.0, 80.0),
        near_arm=DEAD_BUG_ARMS,
        far_arm=(172.0, 174.0),
    ),
    start_text="lying on the back, hips and knees bent to a right angle, arms pointing to the "
    "ceiling.",
    end_text="one leg lowered and straightened, the opposite arm reaching overhead.",
    moving=("near_leg", "far_arm"),
    arrows=(Track("near_ankle"), Track("far_hand")),
    props=(MAT,),
)

BRIDGE_HIP = (0.0, 36.0)
BRIDGE_TRUNK = 180.0 + 37.0  # shoulders stay on the mat
BRIDGE = Movement(
    "Squeeze your buttocks and lift your hips until shoulders, hips and knees make a line.",
    start=_hook(),
    end=_hook(
        hip=BRIDGE_HIP,
        trunk=BRIDGE_TRUNK,
        neck=160.0,
        near_leg=leg(BRIDGE_HIP, (FEET[0] + 4, FEET[1])),
        far_leg=leg(BRIDGE_HIP, (FEET[0] + 4, FEET[1])),
        near_arm=(-20.0, 2.0),
        far_arm=(-20.0, 2.0),
    ),
    start_text="lying on the back, knees bent, feet flat and hip-width apart.",
    end_text="the hips lifted so shoulders, hips and knees make a straight line.",
    moving=("trunk",),
    arrows=(Track("hip", beyond=0.0, shift=(-12.0, 0.0)),),
    props=(MAT,),
)

# On hands and knees, head to the left: hands under the shoulders, knees under the hips.
QUAD_HIP = (0.0, 34.0)
QUAD = {"hip": QUAD_HIP, "trunk": 167.0}
KNEEL = (-90.0, 0.0, -20.0)
HAND_DOWN = (-90.0, -90.0)


def _quad(**changes: object) -> Pose:
    values: dict[str, object] = {
        **QUAD,
        "near_arm": HAND_DOWN,
        "far_arm": HAND_DOWN,
        "near_leg": KNEEL,
        "far_leg": KNEEL,
        "neck": 180.0,
    }
    return Pose(**{**values, **changes})  # type: ignore[arg-type]


CAT_CAMEL = Movement(
    "Round your back up towards the ceiling, then let it sag gently as you lift your head.",
    start=_quad(bend=(0.0, -16.0), neck=225.0),
    end=_quad(bend=(0.0, 8.0), neck=150.0),
    start_text="on hands and knees, the back rounded up and the head dropped.",
    end_text="the back sagging gently and the head lifted.",
    moving=("trunk",),
    arrows=(Path(((-20.0, 66.0), (-20.0, 49.0))),),
)

BIRD_DOG = Movement(
    "Reach one leg back and the opposite arm forward, keeping your back still.",
    start=_quad(),
    end=_quad(near_arm=(-184.0, -182.0), far_leg=(-4.0, -2.0, -80.0)),
    start_text="on hands and knees with a flat back.",
    end_text="one arm reaching forward and the opposite leg reaching back, both at the height "
    "of the back.",
    moving=("near_arm", "far_leg"),
    arrows=(Track("near_hand"), Track("far_ankle")),
)

# Lying face down, head to the left: the legs lie straight, the toes tucked under.
PRONE_LEGS = (0.0, 0.0, -40.0)


def _prone(**changes: object) -> Pose:
    values: dict[str, object] = {
        "hip": HIP,
        "trunk": 180.0,
        "neck": 180.0,
        "near_leg": PRONE_LEGS,
        "far_leg": PRONE_LEGS,
        "near_arm": BY_SIDES,
        "far_arm": BY_SIDES,
    }
    return Pose(**{**values, **changes})  # type: ignore[arg-type]


ON_ELBOWS = 157.0  # the trunk, propped on the forearms
PRONE_LYING = Movement(
    "Lie on your front and relax; if that is comfortable, prop yourself up on your elbows.",
    start=_prone(neck=186.0),
    end=_prone(trunk=ON_ELBOWS, neck=168.0, near_arm=(-90.0, 180.0), far_arm=(-88.0, 178.0)),
    start_text="lying face down, arms by the sides, the head turned to one side.",
    end_text="propped on the elbows, hips and legs relaxed on the floor.",
    moving=("trunk",),
    arrows=(Track("head", beyond=6.0),),
    props=(MAT,),
)

PRESS_HANDS = (-40.0, 3.0)
PRESSED = 128.0
PRONE_PRESS_UP = Movement(
    "Push your upper body up with your arms while your hips stay on the floor.",
    start=_prone(
        near_arm=arm(HIP, 180, PRESS_HANDS, bend=1), far_arm=arm(HIP, 180, PRESS_HANDS, bend=1)
    ),
    end=_prone(
        trunk=PRESSED,
        neck=140.0,
        bend=(5.0, 5.0),
        near_arm=arm(HIP, PRESSED, PRESS_HANDS),
        far_arm=arm(HIP, PRESSED, PRESS_HANDS),
    ),
    start_text="lying face down, hands under the shoulders.",
    end_text="the upper body pushed up on the arms, hips and legs still on the floor.",
    moving=("trunk",),
    arrows=(Track("head", beyond=6.0),),
    props=(MAT,),
)

# Side plank from the knees: propped on the near forearm, the knees bent on the floor.
FOREARM = (-90.0, 180.0)
SIDE_KNEE = (26.0, 3.0)
SIDE_UP = (0.0, 22.0)
SIDE_UP_TRUNK = 158.0
SIDE_PLANK = Movement(
    "Lift your hips so your body is straight from head to knees.",
    start=Pose(
        hip=(0.0, 6.0),
        trunk=153.0,
        neck=155.0,
        near_arm=FOREARM,
        far_arm=(-30.0, -150.0),
        near_leg=(toward((0.0, 6.0), SIDE_KNEE), 0.0, 0.0),
        far_leg=(toward((0.0, 6.0), SIDE_KNEE) + 2, 0.0, 0.0),
    ),
    end=Pose(
        hip=SIDE_UP,
        trunk=SIDE_UP_TRUNK,
        neck=158.0,
        near_arm=FOREARM,
        far_arm=(-40.0, -150.0),
        near_leg=(toward(SIDE_UP, SIDE_KNEE), 0.0, 0.0),
        far_leg=(toward(SIDE_UP, SIDE_KNEE) + 2, 0.0, 0.0),
    ),
    start_text="lying on one side, propped on the forearm, knees bent, hips on the floor.",
    end_text="the hips lifted so the body is straight from head to knees.",
    moving=("trunk",),
    arrows=(Track("hip", beyond=0.0, shift=(4.0, 0.0)),),
    props=(MAT,),
)

PLANK_UP = (0.0, 24.0)
FRONT_PLANK = Movement(
    "Lift your body onto your forearms and knees (or toes) in a straight line, and hold.",
    start=_prone(trunk=ON_ELBOWS, neck=168.0, near_arm=(-90.0, 180.0), far_arm=(-88.0, 178.0)),
    end=_prone(
        hip=PLANK_UP,
        trunk=175.0,
        neck=175.0,
        near_arm=(-90.0, 180.0),
        far_arm=(-88.0, 178.0),
        near_leg=(-40.0, 0.0, -40.0),
        far_leg=(-40.0, 0.0, -40.0),
    ),
    start_text="lying face down, propped on the forearms.",
    end_text="the body lifted on the forearms and knees, straight from head to knees.",
    moving=("trunk",),
    arrows=(Track("hip", beyond=0.0, shift=(-10.0, 0.0)),),
    props=(MAT,),
)

# Half kneeling, facing right: the back knee on a cushion, the front foot flat.
KNEEL_HIP = (0.0, 38.0)
FRONT_FOOT = (31.0, 2.5)
BACK_KNEE = (-6.0, 8.5)
FORWARD_HIP = (9.0, 35.0)


def _half_kneel(hip: tuple[float, float]) -> Pose:
    return Pose(
        hip=hip,
        trunk=90.0,
        near_leg=leg(hip, FRONT_FOOT),
        far_leg=(toward(hip, BACK_KNEE), 180.0, 200.0),
        near_arm=(-100.0, -40.0),
        far_arm=(-95.0, -45.0),
    )


HIP_FLEXOR_STRETCH = Movement(
    "Kneeling on one knee, tuck your tailbone under and shift your weight forward.",
    start=_half_kneel(KNEEL_HIP),
    end=_half_kneel(FORWARD_HIP),
    start_text="half kneeling, the back knee on a cushion and the front foot flat, trunk upright.",
    end_text="the hips shifted forward until the front of the back hip stretches.",
    moving=("trunk", "far_leg"),
    arrows=(Path(((-22.0, 62.0), (-4.0, 62.0))),),
    props=(cushion(BACK_KNEE[0] - 4),),
)

FLOOR_MOVEMENTS = {
    "knee_to_chest": KNEE_TO_CHEST,
    "double_knee_to_chest": DOUBLE_KNEE_TO_CHEST,
    "pelvic_tilt": PELVIC_TILT,
    "abdominal_bracing": ABDOMINAL_BRACING,
    "lumbar_rotation": LUMBAR_ROTATION,
    "figure_four_stretch": FIGURE_FOUR_STRETCH,
    "hamstring_stretch": HAMSTRING_STRETCH,
    "dead_bug": DEAD_BUG,
    "bridge": BRIDGE,
    "cat_camel": CAT_CAMEL,
    "bird_dog": BIRD_DOG,
    "prone_lying": PRONE_LYING,
    "prone_press_up": PRONE_PRESS_UP,
    "side_plank": SIDE_PLANK,
    "front_plank": FRONT_PLANK,
    "hip_flexor_stretch": HIP_FLEXOR_STRETCH,
}
