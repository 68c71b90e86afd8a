"""The fictional demo practice: three clinics in two time zones, their people and patients.

Every name, address and phone number here is invented (555-01xx numbers are reserved for fiction).
"""

import datetime as dt
from typing import TypedDict

DEMO_PASSWORD = "unknot-demo-2026"  # noqa: S105 - printed for the local demo on purpose
# Staff sign in with a second factor. In the demo every member of staff (and the owner) has one
# authenticator app with this published secret, so a visitor adds it to their app once; like the
# password it is known to everyone and only fit for a local demo.
DEMO_TOTP_SECRET = "UNKNOTDEMOKEYFORTHEDEMOPRACTICE2"  # noqa: S105 - base32, printed on purpose

PRACTICE = {
    "name": "unknot back care",
    "tagline": "Physical therapy for back spasms and low back pain",
}

WEEKDAYS = range(5)


class ClinicSpec(TypedDict):
    """One clinic: its own fields, then its opening hours by weekday and its closures."""

    slug: str
    name: str
    address_line: str
    city: str
    region: str
    postcode: str
    phone: str
    email: str
    time_zone: str
    description: str
    hours: dict[int, list[tuple[str, str]]]
    closures: list[tuple[dt.date, dt.date, str]]


CLINICS: list[ClinicSpec] = [
    {
        "slug": "harbour-street",
        "name": "Harbour Street Clinic",
        "address_line": "41 Harbour Street",
        "city": "Port Alder",
        "region": "ME",
        "postcode": "04101",
        "phone": "(207) 555-0141",
        "email": "harbour@unknot.example",
        "time_zone": "America/New_York",
        "description": "Our first clinic, by the old ferry pier, with early and late appointments for shift workers.",
        "hours": {day: [("07:30", "12:00"), ("13:00", "19:00")] for day in WEEKDAYS}
        | {5: [("08:00", "12:00")]},
        "closures": [(dt.date(2026, 12, 24), dt.date(2026, 12, 26), "Winter holidays")],
    },
    {
        "slug": "juniper-hill",
        "name": "Juniper Hill Clinic",
        "address_line": "1200 Juniper Hill Road",
        "city": "Cedar Flats",
        "region": "CO",
        "postcode": "80202",
        "phone": "(303) 555-0172",
        "email": "juniper@unknot.example",
        "time_zone": "America/Denver",
        "description": "A bright gym-style clinic with a full free-weights area for the strengthening phase.",
        "hours": {day: [("08:00", "18:00")] for day in range(4)} | {4: [("08:00", "14:00")]},
        "closures": [(dt.date(2026, 12, 25), dt.date(2026, 12, 25), "Christmas Day")],
    },
    {
        "slug": "lakeshore",
        "name": "Lakeshore Clinic",
        "address_line": "9 Lakeshore Drive",
        "city": "Millbrook",
        "region": "IL",
        "postcode": "60601",
        "phone": "(312) 555-0119",
        "email": "lakeshore@unknot.example",
        "time_zone": "America/Chicago",
        "description": "A quiet clinic near the lake path, popular with desk workers from the business park.",
        "hours": {
            0: [("07:00", "11:30"), ("12:30", "17:00")],
            1: [("10:00", "19:00")],
            2: [("07:00", "11:30"), ("12:30", "17:00")],
            3: [("10:00", "19:00")],
            4: [("07:00", "11:30"), ("12:30", "17:00")],
        },
        "closures": [(dt.date(2026, 11, 26), dt.date(2026, 11, 27), "Thanksgiving")],
    },
]

# (username, first, last, role, clinic slugs, credentials, focus, bio)
STAFF = [
    (
        "maya.okafor",
        "Maya",
        "Okafor",
        "therapist",
        ["harbour-street"],
        "PT, DPT, OCS",
        "Acute back spasms and manual therapy",
        "Maya has treated dock and warehouse workers for a decade and loves getting people lifting safely again.",
    ),
    (
        "tomas.lindqvist",
        "Tomas",
        "Lindqvist",
        "therapist",
        ["harbour-street", "lakeshore"],
        "PT, DPT",
        "Strength training after back pain",
        "Tomas coaches people from their first pain-free step to confident barbell lifts.",
    ),
    (
        "priya.raman",
        "Priya",
        "Raman",
        "therapist",
        ["juniper-hill"],
        "PT, DPT, CSCS",
        "Athletes and weekend warriors",
        "Priya helps runners and climbers understand their triggers and build a back that keeps up.",
    ),
    (
        "daniel.mbeki",
        "Daniel",
        "Mbeki",
        "therapist",
        ["juniper-hill"],
        "PT, MSPT",
        "Posture and movement at work",
        "Daniel visits real workstations in his head before he writes a plan: how you sit, drive and lift matters.",
    ),
    (
        "hannah.kowalski",
        "Hannah",
        "Kowalski",
        "therapist",
        ["lakeshore"],
        "PT, DPT",
        "Chronic and recurring low back pain",
        "Hannah combines hands-on care with clear explanations so people stop fearing movement.",
    ),
    (
        "leo.martins",
        "Leo",
        "Martins",
        "therapist",
        ["lakeshore"],
        "PT, DPT, FAAOMPT",
        "Spinal mobilisation and mobility",
        "Leo is a fellowship-trained manual therapist who pairs every treatment with exercise you can do at home.",
    ),
    ("frontdesk.harbour", "Rosa", "Delgado", "front_desk", ["harbour-street"], "", "", ""),
    (
        "frontdesk.lakeshore",
        "Sam",
        "Whitfield",
        "front_desk",
        ["juniper-hill", "lakeshore"],
        "",
        "",
        "",
    ),
    (
        "manager",
        "Grace",
        "Adeyemi",
        "manager",
        ["harbour-street", "juniper-hill"],
        "PT, MBA",
        "",
        "",
    ),
    (
        "biller",
        "Nora",
        "Quinlan",
        "biller",
        ["harbour-street", "juniper-hill", "lakeshore"],
        "",
        "",
        "",
    ),
    (
        "auditor",
        "Ivan",
        "Petrov",
        "auditor",
        ["harbour-street", "juniper-hill", "lakeshore"],
        "",
        "",
        "",
    ),
]

# (username, first, last, date of birth, clinic slug, phone)
PATIENTS = [
    (
        "patient.alvarez",
        "Lucia",
        "Alvarez",
        dt.date(1986, 3, 14),
        "harbour-street",
        "(207) 555-0101",
    ),
    ("patient.brennan", "Owen", "Brennan", dt.date(1971, 8, 2), "harbour-street", "(207) 555-0102"),
    ("patient.chen", "Mei", "Chen", dt.date(1994, 11, 23), "harbour-street", "(207) 555-0103"),
    (
        "patient.dubois",
        "Etienne",
        "Dubois",
        dt.date(1958, 6, 30),
        "harbour-street",
        "(207) 555-0104",
    ),
    ("patient.eriksen", "Ingrid", "Eriksen", dt.date(1989, 1, 9), "juniper-hill", "(303) 555-0105"),
    ("patient.farah", "Yusuf", "Farah", dt.date(1979, 4, 17), "juniper-hill", "(303) 555-0106"),
    ("patient.garcia", "Sofia", "Garcia", dt.date(2001, 9, 5), "juniper-hill", "(303) 555-0107"),
    ("patient.haddad", "Karim", "Haddad", dt.date(1966, 12, 11), "juniper-hill", "(303) 555-0108"),
    ("patient.ito", "Kenji", "Ito", dt.date(1983, 7, 21), "lakeshore", "(312) 555-0109"),
    ("patient.jensen", "Freya", "Jensen", dt.date(1992, 2, 28), "lakeshore", "(312) 555-0110"),
    ("patient.kim", "Daniel", "Kim", dt.date(1975, 10, 3), "lakeshore", "(312) 555-0111"),
    ("patient.lopez", "Marisol", "Lopez", dt.date(1968, 5, 19), "lakeshore", "(312) 555-0112"),
]

# Each patient's administrative sex and home: (sex, line 1, line 2, city, state, ZIP code).
# One is left with sex not recorded, as happens when nobody asked.
PATIENT_HOMES = {
    "patient.alvarez": ("female", "18 Ropewalk Lane", "Apt 2", "Port Alder", "ME", "04101"),
    "patient.brennan": ("male", "7 Lighthouse Road", "", "Port Alder", "ME", "04101-2210"),
    "patient.chen": ("female", "230 Chandler Street", "Unit 4B", "Port Alder", "ME", "04102"),
    "patient.dubois": ("male", "5 Netmender Court", "", "Port Alder", "ME", "04103"),
    "patient.eriksen": ("female", "61 Aspen Row", "", "Cedar Flats", "CO", "80202"),
    "patient.farah": ("male", "1450 Mesa Vista Drive", "Apt 12", "Cedar Flats", "CO", "80203"),
    "patient.garcia": ("unknown", "9 Columbine Way", "", "Cedar Flats", "CO", "80204"),
    "patient.haddad": ("male", "322 Ridgeline Avenue", "", "Cedar Flats", "CO", "80205-1317"),
    "patient.ito": ("male", "44 Harbor Point Drive", "Suite 3", "Millbrook", "IL", "60601"),
    "patient.jensen": ("female", "812 Prairie Avenue", "", "Millbrook", "IL", "60605"),
    "patient.kim": ("male", "17 Dunes Court", "", "Millbrook", "IL", "60607"),
    "patient.lopez": ("female", "2090 Willow Bend Road", "", "Millbrook", "IL", "60610"),
}

OWNER = ("owner", "Olivia", "Hart")

# (kind, name, minutes, buffer before, buffer after, min notice minutes, online booking, description)
APPOINTMENT_TYPES = [
    (
        "initial_evaluation",
        "Initial evaluation",
        60,
        0,
        10,
        120,
        "new_patients",
        "A full assessment of your back, how you move and what triggers your spasms, and a first treatment.",
    ),
    (
        "follow_up",
        "Follow-up visit",
        45,
        0,
        5,
        240,
        "patients_with_plan",
        "Treatment and exercise progression as set out in your plan of care.",
    ),
    (
        "flare_up",
        "Flare-up visit",
        30,
        0,
        5,
        30,
        "staff_only",
        "A short-notice visit when a spasm flares up; call the clinic to book.",
    ),
]
