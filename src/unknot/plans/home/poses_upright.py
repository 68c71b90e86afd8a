"""The upright exercises' movements: standing, sitting, squatting and walking. Places are
(across, height above the floor); figures face right, except the side glides, seen from behind."""

from unknot.documents.figure import Movement, Path, Point, Pose, Track
from unknot.documents.posing import STANDING_HIP, arm, leg, on_trunk
from unknot.documents.props import band_post, chair, held_box, stick, wall, weight

ANKLE = (0.0, 2.5)
STAND = (0.0, STANDING_HIP)
STRAIGHT = (-90.0, -90.0, 0.0)
ARMS_DOWN = (-92.0, -90.0)


def _standing(**changes: object) -> Pose:
    values: dict[str, object] = {
        "hip": STAND,
        "trunk": 90.0,
        "near_leg": STRAIGHT,
        "far_leg": (-91.0, -91.0, 0.0),
        "near_arm": ARMS_DOWN,
        "far_arm": ARMS_DOWN,
    }
    return Pose(**{**values, **changes})  # type: ignore[arg-type]


def _hands_behind(hip: Point, trunk: float) -> tuple[float, float]:
    """An arm whose hand rests on the low back."""
    return arm(hip, trunk, on_trunk(hip, trunk, 0.3, behind=4.0), bend=-1)


LEANED = (3.0, 60.5)
STANDING_EXTENSION = Movement(
    "With your hands on your lower back, lean back gently from the waist, knees straight.",
    start=_standing(near_arm=_hands_behind(STAND, 90), far_arm=_hands_behind(STAND, 90)),
    end=_standing(
        hip=LEANED,
        trunk=110.0,
        neck=122.0,
        near_leg=leg(LEANED, ANKLE),
        far_leg=leg(LEANED, ANKLE),
        near_arm=_hands_behind(LEANED, 110),
        far_arm=_hands_behind(LEANED, 110),
    ),
    start_text="standing tall, feet apart, hands on the lower back.",
    end_text="leaning back gently from the waist with straight knees.",
    moving=("trunk",),
    arrows=(Track("head", beyond=8.0),),
)

SEAT = (0.0, 31.5)
SEATED_LEGS = (0.0, -90.0, 0.0)
SEATED_FLEXION = Movement(
    "Sitting on a chair, bend forward slowly so your hands slide down towards the floor.",
    start=Pose(
        hip=SEAT,
        trunk=90.0,
        near_leg=SEATED_LEGS,
        far_leg=(-2.0, -92.0, 0.0),
        near_arm=arm(SEAT, 90, (22.0, 35.0)),
        far_arm=arm(SEAT, 90, (20.0, 35.0)),
    ),
    end=Pose(
        hip=SEAT,
        trunk=38.0,
        neck=10.0,
        near_leg=SEATED_LEGS,
        far_leg=(-2.0, -92.0, 0.0),
        near_arm=arm(SEAT, 38, (34.0, 6.0)),
        far_arm=arm(SEAT, 38, (32.0, 7.0)),
    ),
    start_text="sitting upright on a firm chair, feet flat and apart, hands on the thighs.",
    end_text="bent forward, the hands slid down towards the floor between the feet.",
    moving=("trunk",),
    arrows=(Track("head", beyond=8.0),),
    props=(chair(-12.0, seat=27.0),),
)


def _mirror(angle: float) -> float:
    return 180.0 - angle


def _side_glide(side: int) -> Movement:
    """Seen from behind, so the picture's left and right are the person's: side=1 puts the
    wall on the right, as for hips to the right (the right shoulder against the wall: the hips
    move towards the wall)."""

    def turn(angle: float) -> float:
        return angle if side == 1 else _mirror(angle)

    glided = (side * 11.0, 60.5)
    start_hand, end_hand = (-side * 7.0, 66.0), (side * 4.0, 65.0)
    person = "right" if side == 1 else "left"

    def pose(hip: Point, trunk: float, hand: Point) -> Pose:
        return Pose(
            hip=hip,
            trunk=turn(trunk),
            neck=90.0,
            near_leg=leg(hip, (side * 2.0, 2.5), bend=-side, foot=turn(0.0)),
            far_leg=leg(hip, (-side * 2.0, 2.5), bend=side, foot=turn(180.0)),
            near_arm=(turn(4.0), 90.0),
            far_arm=arm(hip, turn(trunk), hand, bend=side),
        )

    return Movement(
        "Standing side-on to a wall, gently push your hips sideways towards the wall.",
        start=pose(STAND, 90.0, start_hand),
        end=pose(glided, 103.0, end_hand),
        start_text=f"seen from behind, standing with the {person} shoulder and bent elbow "
        "against a wall, feet together about a foot from it, the other hand on the hip.",
        end_text="the hips pushed sideways towards the wall, the shoulders level.",
        moving=("trunk",),
        arrows=(Path(((-side * 14.0, 38.0), (side * 14.0, 38.0))),),
        props=(wall(side * 27.0, side=side),),
    )


SITTING = (-16.0, 31.5)
FEET_UNDER = (12.0, 2.5)
RISEN = (9.0, STANDING_HIP - 1)
SIT_TO_STAND = Movement(
    "Lean forward from your hips with a long back and stand up, pushing through your heels.",
    start=Pose(
        hip=SITTING,
        trunk=68.0,
        neck=60.0,
        near_leg=leg(SITTING, FEET_UNDER),
        far_leg=leg(SITTING, (10.0, 2.5)),
        near_arm=(-40.0, -20.0),
        far_arm=(-45.0, -25.0),
    ),
    end=Pose(
        hip=RISEN,
        trunk=90.0,
        near_leg=leg(RISEN, FEET_UNDER),
        far_leg=leg(RISEN, (10.0, 2.5)),
        near_arm=ARMS_DOWN,
        far_arm=ARMS_DOWN,
    ),
    start_text="sitting near the front of a firm chair, feet under the knees, leaning forward "
    "from the hips.",
    end_text="standing up tall.",
    moving=("trunk", "near_leg", "far_leg"),
    arrows=(Track("head", beyond=8.0),),
    props=(chair(-42.0, seat=27.0),),
)

HINGED = (-12.0, 58.0)


def _stick_hands(hip: Point, trunk: float) -> dict[str, tuple[float, float]]:
    """One hand behind the neck and one behind the low back, both on the stick."""
    return {
        "near_arm": arm(hip, trunk, on_trunk(hip, trunk, 1.1, behind=8.0), bend=-1),
        "far_arm": arm(hip, trunk, on_trunk(hip, trunk, 0.15, behind=7.0), bend=-1),
    }


HIP_HINGE = Movement(
    "Push your hips back and tip your trunk forward, keeping the stick on your back.",
    start=_standing(**_stick_hands(STAND, 90.0)),
    end=_standing(
        hip=HINGED,
        trunk=40.0,
        near_leg=leg(HINGED, ANKLE),
        far_leg=leg(HINGED, ANKLE),
        **_stick_hands(HINGED, 40.0),
    ),
    start_text="standing tall, a stick held along the back touching the head, upper back and "
    "tailbone.",
    end_text="hips pushed back, trunk tipped forward and knees soft, the stick still touching "
    "all three.",
    moving=("trunk",),
    arrows=(Track("head", beyond=8.0),),
    props=(stick(),),
)

CROUCH = (-8.0, 27.0)
LIFT_FEET = (8.0, 2.5)
LIFTED = (0.0, STANDING_HIP)
LIFTING_PRACTICE = Movement(
    "Bend your hips and knees, keep the box close, brace gently and lift by standing up.",
    start=Pose(
        hip=CROUCH,
        trunk=40.0,
        neck=30.0,
        near_leg=leg(CROUCH, LIFT_FEET),
        far_leg=leg(CROUCH, (6.0, 2.5)),
        near_arm=arm(CROUCH, 40.0, (37.0, 14.0)),
        far_arm=arm(CROUCH, 40.0, (36.0, 15.0)),
    ),
    end=_standing(
        hip=LIFTED,
        near_arm=arm(LIFTED, 90.0, (16.0, 66.0)),
        far_arm=arm(LIFTED, 90.0, (15.0, 67.0)),
    ),
    start_text="crouching close to a box with a long back, hips and knees bent, hands on the "
    "sides of the box.",
    end_text="standing tall, holding the box close at the waist.",
    moving=("trunk", "near_leg", "far_leg"),
    arrows=(Track("near_hand", beyond=0.0, shift=(22.0, 0.0)),),
    props=(held_box(26.0, 20.0),),
)

SQUAT = (-14.0, 31.0)
SQUAT_TRUNK = 68.0


def _at_chest(hip: Point, trunk: float) -> dict[str, tuple[float, float]]:
    chest = on_trunk(hip, trunk, 0.75, behind=-11.0)
    return {"near_arm": arm(hip, trunk, chest), "far_arm": arm(hip, trunk, chest)}


GOBLET_SQUAT = Movement(
    "Holding a weight against your chest, sit down between your heels with a tall chest.",
    start=_standing(**_at_chest(STAND, 90.0)),
    end=_standing(
        hip=SQUAT,
        trunk=SQUAT_TRUNK,
        near_leg=leg(SQUAT, (4.0, 2.5)),
        far_leg=leg(SQUAT, (2.0, 2.5)),
        **_at_chest(SQUAT, SQUAT_TRUNK),
    ),
    start_text="standing, feet a little wider than the hips, a weight held against the chest.",
    end_text="squatting down with a tall chest, the weight still at the chest.",
    moving=("trunk", "near_leg", "far_leg"),
    arrows=(Track("hip", beyond=0.0, shift=(-16.0, 0.0)),),
    props=(weight(hanging=False),),
)

HINGE_DEEP = (-26.0, 53.0)
ROMANIAN_DEADLIFT = Movement(
    "Hinge at your hips with a long back, sliding the weight down the front of your legs.",
    start=_standing(near_arm=(-85.0, -88.0), far_arm=(-86.0, -89.0)),
    end=_standing(
        hip=HINGE_DEEP,
        trunk=30.0,
        neck=20.0,
        near_leg=leg(HINGE_DEEP, ANKLE),
        far_leg=leg(HINGE_DEEP, ANKLE),
        near_arm=(-90.0, -92.0),
        far_arm=(-91.0, -93.0),
    ),
    start_text="standing tall, a weight held in front of the thighs.",
    end_text="hinged forward at the hips with a long back and soft knees, the weight lowered "
    "down the front of the legs.",
    moving=("trunk", "near_arm"),
    arrows=(Track("near_hand", beyond=0.0, shift=(10.0, 0.0)),),
    props=(weight(),),
)

STRIDE = (16.0, STANDING_HIP - 2)


def _striding(**changes: object) -> Pose:
    values: dict[str, object] = {
        "hip": STRIDE,
        "trunk": 90.0,
        "near_leg": leg(STRIDE, (32.0, 2.5), foot=8.0),
        "far_leg": leg(STRIDE, (-2.0, 6.0), foot=-40.0),
        "near_arm": (-110.0, -80.0),
        "far_arm": (-70.0, -45.0),
    }
    return Pose(**{**values, **changes})  # type: ignore[arg-type]


WALK_ON = Path(((30.0, 98.0), (58.0, 98.0)))
SUITCASE_CARRY = Movement(
    "Walk tall with a weight in one hand, without leaning to either side.",
    start=_standing(near_arm=(-90.0, -90.0), far_arm=(-95.0, -85.0)),
    end=_striding(near_arm=(-90.0, -90.0), far_arm=(-80.0, -70.0)),
    start_text="standing tall, a weight held in one hand at the side.",
    end_text="walking forward, upright, the weight still at the side.",
    moving=("near_leg", "far_leg"),
    arrows=(WALK_ON,),
    props=(weight(),),
)

WALKING = Movement(
    "Walk at a comfortable pace on level ground, arms swinging.",
    start=_standing(
        near_leg=leg(STAND, (8.0, 2.5)),
        far_leg=leg(STAND, (-8.0, 4.0), foot=-20.0),
        near_arm=(-80.0, -60.0),
        far_arm=(-104.0, -95.0),
    ),
    end=_striding(),
    start_text="standing upright, about to step forward.",
    end_text="walking forward at an easy pace, arms swinging.",
    moving=("near_leg", "far_leg"),
    arrows=(WALK_ON,),
)

CHEST = (12.0, 94.0)
PRESSED = (40.0, 95.0)
PALLOF_PRESS = Movement(
    "Standing side-on to a band, press your hands straight out and hold without turning.",
    start=_standing(near_arm=arm(STAND, 90.0, CHEST), far_arm=arm(STAND, 90.0, CHEST)),
    end=_standing(near_arm=arm(STAND, 90.0, PRESSED), far_arm=arm(STAND, 90.0, PRESSED)),
    start_text="standing side-on to a band tied at chest height beside you, hands holding it "
    "at the chest.",
    end_text="the hands pressed straight out in front of the chest, the body not turning.",
    moving=("near_arm", "far_arm"),
    arrows=(Track("near_hand", shift=(0.0, -9.0)),),
    props=(band_post(-12.0, anchor=94.0),),
)

SITTING_BACK = (-2.0, 31.5)
UP = (22.0, STANDING_HIP - 1)
POSTURE_BREAKS = Movement(
    "Every 30 to 45 minutes of sitting, stand up and lean back gently, hands on your hips.",
    start=Pose(
        hip=SITTING_BACK,
        trunk=95.0,
        near_leg=leg(SITTING_BACK, (26.0, 2.5)),
        far_leg=leg(SITTING_BACK, (24.0, 2.5)),
        near_arm=(-70.0, -20.0),
        far_arm=(-72.0, -25.0),
    ),
    end=Pose(
        hip=UP,
        trunk=104.0,
        neck=112.0,
        near_leg=leg(UP, (26.0, 2.5)),
        far_leg=leg(UP, (24.0, 2.5)),
        near_arm=_hands_behind(UP, 104.0),
        far_arm=_hands_behind(UP, 104.0),
    ),
    start_text="sitting on a chair.",
    end_text="standing up, hands on the hips, leaning back gently.",
    moving=("trunk", "near_leg", "far_leg"),
    arrows=(Track("head", beyond=8.0),),
    props=(chair(-14.0, seat=27.0),),
)

UPRIGHT_MOVEMENTS = {
    "standing_extension": STANDING_EXTENSION,
    "seated_flexion": SEATED_FLEXION,
    "side_glide_left": _side_glide(-1),
    "side_glide_right": _side_glide(1),
    "sit_to_stand": SIT_TO_STAND,
    "hip_hinge": HIP_HINGE,
    "lifting_practice": LIFTING_PRACTICE,
    "goblet_squat": GOBLET_SQUAT,
    "romanian_deadlift": ROMANIAN_DEADLIFT,
    "suitcase_carry": SUITCASE_CARRY,
    "walking": WALKING,
    "pallof_press": PALLOF_PRESS,
    "posture_breaks": POSTURE_BREAKS,
}
