"""Loads the demo practice once; a second run finds it and changes nothing."""

import base64
import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from unknot.accounts.models import User
from unknot.accounts.roles import Role
from unknot.accounts.second_factor import give_app_device, is_staff_like
from unknot.booking.models import AppointmentType, WorkingHours
from unknot.clinics.models import Clinic, Closure, OpeningHours, Practice, StaffMember
from unknot.demo import billing as demo_billing
from unknot.demo import calendar, data, episodes, journeys, today
from unknot.paperwork import defaults as paperwork_defaults
from unknot.patients.models import Patient
from unknot.records.models import Episode


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _user(username: str, first: str, last: str, password_hash: str, **extra: object) -> User:
    return get_user_model().objects.create(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@unknot.example",
        password=password_hash,
        **extra,
    )


def _load_clinics(practice: Practice) -> dict[str, Clinic]:
    clinics = {}
    for spec in data.CLINICS:
        fields = {k: v for k, v in spec.items() if k not in ("hours", "closures")}
        clinic = Clinic.objects.create(practice=practice, **fields)
        for weekday, intervals in spec["hours"].items():
            for opens, closes in intervals:
                OpeningHours.objects.create(
                    clinic=clinic, weekday=weekday, opens=_time(opens), closes=_time(closes)
                )
        for start, end, reason in spec["closures"]:
            Closure.objects.create(clinic=clinic, start_date=start, end_date=end, reason=reason)
        clinics[clinic.slug] = clinic
    return clinics


def _load_staff(clinics: dict[str, Clinic], password_hash: str) -> None:
    for username, first, last, role, slugs, credentials, focus, bio in data.STAFF:
        user = _user(username, first, last, password_hash, is_staff=(role == "manager"))
        member = StaffMember.objects.create(
            user=user, role=role, credentials=credentials, focus=focus, bio=bio
        )
        member.clinics.set([clinics[slug] for slug in slugs])


def _load_calendars(clinics: dict[str, Clinic]) -> None:
    """Appointment types per clinic; therapists work their clinic's opening hours."""
    for clinic in clinics.values():
        for (
            kind,
            name,
            minutes,
            before,
            after,
            notice,
            online,
            description,
        ) in data.APPOINTMENT_TYPES:
            AppointmentType.objects.create(
                clinic=clinic,
                kind=kind,
                name=name,
                duration_minutes=minutes,
                buffer_before_minutes=before,
                buffer_after_minutes=after,
                min_notice_minutes=notice,
                online_booking=online,
                description=description,
            )
        therapists = StaffMember.objects.filter(clinics=clinic, role="therapist")
        for therapist in therapists:
            WorkingHours.objects.bulk_create(
                WorkingHours(
                    therapist=therapist,
                    clinic=clinic,
                    weekday=row.weekday,
                    start=row.opens,
                    end=row.closes,
                )
                for row in clinic.opening_hours.all()
            )


def _load_patients(clinics: dict[str, Clinic], password_hash: str) -> None:
    for username, first, last, born, slug, phone in data.PATIENTS:
        user = _user(username, first, last, password_hash)
        sex, line1, line2, city, state, zip_code = data.PATIENT_HOMES[username]
        Patient.objects.create(
            first_name=first,
            last_name=last,
            date_of_birth=born,
            sex=sex,
            email=f"{username}@unknot.example",
            phone=phone,
            address_line1=line1,
            address_line2=line2,
            city=city,
            state=state,
            zip_code=zip_code,
            preferred_clinic=clinics[slug],
            user=user,
        )


def _load_journeys(clinics: dict[str, Clinic], now: dt.datetime) -> None:
    """Three courses of care and the day's work on every home, made through the services;
    their emails stay unsent."""
    for journey in journeys.JOURNEYS:
        episodes.build(journey, now)
    today.fill(clinics, now)
    calendar.silence_emails(list(clinics.values()))


@transaction.atomic
def load_demo(now: dt.datetime | None = None) -> bool:
    """Returns False when the demo practice is already there.

    `now` is the moment the demo is loaded: the courses of care end there, in the past.
    """
    if Practice.objects.filter(name=data.PRACTICE["name"]).exists():
        return False
    practice = Practice.objects.create(**data.PRACTICE)
    clinics = _load_clinics(practice)
    # One Argon2 hash shared by every demo login: they all have the same published password.
    password_hash = make_password(data.DEMO_PASSWORD)
    _load_staff(clinics, password_hash)
    _load_patients(clinics, password_hash)
    _load_calendars(clinics)
    owner = _user(*data.OWNER, password_hash, is_staff=True, is_superuser=True)
    # The owner's role gives the practice dashboard over every clinic; the superuser flag keeps
    # the admin site for the set-up that has no page of its own yet.
    StaffMember.objects.create(user=owner, role=Role.OWNER, credentials="PT, DPT")
    _give_staff_the_demo_app()
    # The forms patients sign: migration paperwork/0002 made them, unless the database was
    # emptied since (as the tests' transactional runs do); nothing changes when they are there.
    paperwork_defaults.seed_defaults(now or timezone.now())
    demo_billing.before_the_visits(practice, clinics, now or timezone.now())
    _load_journeys(clinics, now or timezone.now())
    demo_billing.after_the_visits(now or timezone.now())
    return True


def demo_totp_key_hex() -> str:
    return base64.b32decode(data.DEMO_TOTP_SECRET).hex()


def _give_staff_the_demo_app() -> None:
    """Every demo login that must use a second factor gets the one published demo secret."""
    for user in get_user_model().objects.select_related("staff_member"):
        if is_staff_like(user):
            give_app_device(user, key_hex=demo_totp_key_hex())


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, where) for every demo login, in the order a visitor would try them."""
    rows = [(data.OWNER[0], "practice owner (dashboard, all of admin)", "all clinics")]
    for username, _first, _last, role, slugs, *_ in data.STAFF:
        rows.append((username, role.replace("_", " "), ", ".join(slugs)))
    clinic_of = {p[0]: p[4] for p in data.PATIENTS}
    for journey in journeys.JOURNEYS:
        rows.append((journey.patient, "patient (portal), in care", clinic_of[journey.patient]))
    others = len(data.PATIENTS) - len(journeys.JOURNEYS)
    rows.append(("patient.<surname>", f"the other {others} patients", "see the staff area"))
    return rows


@dataclass(frozen=True)
class Tour:
    """Where to look at one demo course of care, as a patient and as their therapist."""

    patient: str
    name: str
    stage: str
    portal: tuple[str, ...]  # the person's own pages
    therapist: str
    staff: tuple[str, ...]  # the therapist's pages of the episode (empty before loading)


STAGE_WORDS = {
    journeys.DISCHARGED: "discharged, goals met",
    journeys.ACTIVE_CARE: "in active care",
    journeys.SYMPTOM_RELIEF: "early days, symptom relief",
}


def _portal_pages(stage: str) -> tuple[str, ...]:
    pages = [
        reverse("home_programme:home"),
        reverse("home_programme:progress"),
        reverse("home_programme:learn"),
    ]
    if stage == journeys.DISCHARGED:
        pages.append(reverse("home_programme:discharge"))
    return tuple(pages)


def _staff_pages(username: str) -> tuple[str, ...]:
    episode = Episode.objects.filter(patient__user__username=username).order_by("-pk").first()
    if episode is None:
        return ()
    names = (
        "clinical:episode",
        "home_programme:episode_progress",
        "home_programme:episode_adherence",
    )
    return tuple(reverse(name, args=[episode.pk]) for name in names)


def demo_journeys() -> list[Tour]:
    """The demo patients with a home programme and progress to look at, and who treats them."""
    names = {p[0]: f"{p[1]} {p[2]}" for p in data.PATIENTS}
    return [
        Tour(
            patient=j.patient,
            name=names[j.patient],
            stage=STAGE_WORDS[j.stage],
            portal=_portal_pages(j.stage),
            therapist=j.therapist,
            staff=_staff_pages(j.patient),
        )
        for j in journeys.JOURNEYS
    ]


def demo_code() -> str:
    """The code an authenticator app with the demo secret shows now (six digits)."""
    return f"{totp(bytes.fromhex(demo_totp_key_hex())):06d}"
