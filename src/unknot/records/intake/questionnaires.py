"""The scored questionnaires in our own plain words, in their published item order.

Order and answer meaning matter: the care core scores by position (STarT Back items 1-9,
Oswestry sections 1-10 with statements 0-5, FABQ items 1-16 rated 0-6), so an item is never
moved. Only the wording is ours.
"""

from typing import Final

START_BACK_INTRO: Final = "Thinking about the last 2 weeks, do you agree or disagree?"
START_BACK_AGREE: Final = [("agree", "Agree"), ("disagree", "Disagree")]
START_BACK_ITEMS: Final[tuple[str, ...]] = (
    "At some point my back pain has spread down one or both legs.",
    "At some point I have had pain in my shoulder or neck.",
    "Because of my back pain I have only walked short distances.",
    "Getting dressed has taken me longer than usual because of my back pain.",
    "I don't think it is really safe for someone with my back problem to be active.",
    "Worrying thoughts have been on my mind a lot of the time.",
    "I feel my back pain is awful and will never get better.",
    "On the whole, I have not enjoyed the things I used to enjoy.",
)
START_BACK_BOTHER: Final = (
    "All in all, how much has your back pain bothered you in the last 2 weeks?"
)
# Keys are the care core's vocab.SBST_ITEM9; tests check they match.
START_BACK_BOTHER_CHOICES: Final = [
    ("not_at_all", "Not at all"),
    ("slightly", "A little"),
    ("moderately", "Moderately"),
    ("very_much", "Very much"),
    ("extremely", "Extremely"),
]

# Oswestry: each section's six statements, 0 (no trouble) to 5 (the most trouble).
ODI_SECTIONS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        "Pain right now",
        (
            "I have no pain at the moment.",
            "The pain is very mild at the moment.",
            "The pain is moderate at the moment.",
            "The pain is fairly bad at the moment.",
            "The pain is very bad at the moment.",
            "The pain is the worst I can imagine at the moment.",
        ),
    ),
    (
        "Looking after yourself (washing, dressing)",
        (
            "I can look after myself as usual without extra pain.",
            "I can look after myself as usual, but it is very painful.",
            "It is painful to look after myself, so I am slow and careful.",
            "I need some help, but I manage most of it myself.",
            "I need help every day with most of it.",
            "I do not get dressed, I wash with difficulty and I stay in bed.",
        ),
    ),
    (
        "Lifting",
        (
            "I can lift heavy things without extra pain.",
            "I can lift heavy things, but it gives me extra pain.",
            "Pain stops me lifting heavy things from the floor, but I can if they are at a "
            "handy height, for example on a table.",
            "Pain stops me lifting heavy things, but I can manage light or medium things at a "
            "handy height.",
            "I can only lift very light things.",
            "I cannot lift or carry anything.",
        ),
    ),
    (
        "Walking",
        (
            "Pain does not stop me walking any distance.",
            "Pain stops me walking more than about a mile (1.5 km).",
            "Pain stops me walking more than about half a mile (800 m).",
            "Pain stops me walking more than about 100 yards (100 m).",
            "I can only walk with a stick or crutches.",
            "I am in bed most of the time.",
        ),
    ),
    (
        "Sitting",
        (
            "I can sit in any chair for as long as I like.",
            "I can only sit in my favourite chair for as long as I like.",
            "Pain stops me sitting for more than an hour.",
            "Pain stops me sitting for more than half an hour.",
            "Pain stops me sitting for more than 10 minutes.",
            "Pain stops me sitting at all.",
        ),
    ),
    (
        "Standing",
        (
            "I can stand for as long as I want without extra pain.",
            "I can stand for as long as I want, but it gives me extra pain.",
            "Pain stops me standing for more than an hour.",
            "Pain stops me standing for more than half an hour.",
            "Pain stops me standing for more than 10 minutes.",
            "Pain stops me standing at all.",
        ),
    ),
    (
        "Sleeping",
        (
            "Pain never wakes me.",
            "Pain wakes me now and then.",
            "Because of pain I sleep less than 6 hours.",
            "Because of pain I sleep less than 4 hours.",
            "Because of pain I sleep less than 2 hours.",
            "Pain stops me sleeping at all.",
        ),
    ),
    (
        "Sex life (skip this one if it does not apply)",
        (
            "My sex life is as usual and gives me no extra pain.",
            "My sex life is as usual, but it gives me some extra pain.",
            "My sex life is nearly as usual, but it is very painful.",
            "Pain limits my sex life a great deal.",
            "Because of pain I have nearly no sex life.",
            "Pain stops any sex life at all.",
        ),
    ),
    (
        "Social life",
        (
            "My social life is as usual and gives me no extra pain.",
            "My social life is as usual, but it makes the pain worse.",
            "Pain does not change my social life much, apart from more energetic things such as "
            "sport.",
            "Pain has limited my social life and I go out less often.",
            "Pain has limited my social life to my home.",
            "Because of pain I have no social life.",
        ),
    ),
    (
        "Travelling",
        (
            "I can travel anywhere without pain.",
            "I can travel anywhere, but it gives me extra pain.",
            "The pain is bad, but I manage journeys of over 2 hours.",
            "Pain limits me to journeys of less than an hour.",
            "Pain limits me to short, necessary journeys of less than 30 minutes.",
            "Pain stops me travelling except to get treatment.",
        ),
    ),
)

FABQ_INTRO: Final = (
    "Here are some things other people have told us about their pain. For each one, choose how "
    "much physical activity (bending, lifting, walking, driving) affects or would affect your "
    "back pain: 0 means you completely disagree, 6 that you completely agree."
)
FABQ_SCALE: Final = [
    (0, "0 · completely disagree"),
    (1, "1"),
    (2, "2"),
    (3, "3 · unsure"),
    (4, "4"),
    (5, "5"),
    (6, "6 · completely agree"),
]
FABQ_ITEMS: Final[tuple[str, ...]] = (
    "My pain was brought on by physical activity.",
    "Physical activity makes my pain worse.",
    "Physical activity might harm my back.",
    "I should not do physical activities that make, or might make, my pain worse.",
    "I cannot do physical activities that make, or might make, my pain worse.",
    "My pain was caused by my work, or by an accident at work.",
    "My work made my pain worse.",
    "I have a claim for compensation because of my pain.",
    "My work is too heavy for me.",
    "My work makes, or would make, my pain worse.",
    "My work might harm my back.",
    "With my pain as it is now, I should not do my normal work.",
    "With my pain as it is now, I cannot do my normal work.",
    "I cannot do my normal work until my pain is treated.",
    "I do not think I will be back at my normal work within 3 months.",
    "I do not think I will ever be able to go back to that work.",
)

NPRS_SCALE: Final = [(n, f"{n}") for n in range(11)]
NPRS_QUESTION: Final = (
    "How bad is your back pain right now, from 0 (no pain) to 10 (the worst pain you can imagine)?"
)

PSFS_INTRO: Final = (
    "Name 3 to 5 things you do in your day that your back now makes hard, for example "
    "carrying shopping or sitting through a meeting. For each, choose how well you can do it "
    "today: 0 means you cannot do it at all, 10 means as well as before the pain."
)
FABQ_WORK_INTRO: Final = (
    "These are about your usual work, paid or not. If you are not working, answer about the "
    "work you did last, or leave them blank."
)
