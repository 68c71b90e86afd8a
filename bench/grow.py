"""Grows a loaded practice into a larger one of the same shape, for the scale benchmark.

Every row it writes is a copy of a row the app itself wrote (the demo practice's patients, with
their appointments, episodes, intakes, evaluations, plans, visits, scores, home-exercise logs,
coverage and billing), given to a copy of its therapist and moved earlier in time. So the large
practice has the demo's mix of statuses, stages and outcomes, only more of it:

- `therapists_per_therapist` copies of each therapist at the same clinic, with the same working
  hours, each with a copy of that therapist's whole caseload (today's diary included);
- `years` of history behind that: each person's record again in every week, moved by whole weeks
  and by up to `fill` other days or hours, wherever every visit still falls in its therapist's
  working hours and double-books nobody (the database's exclusion constraint checks that too).
- Copies that land in the past are settled as the demo's earlier patients were: visits still
  booked were seen, episodes whose visits are over were discharged at their last visit. Episodes
  that never reached a visit stay open, as they do in a real practice.

Rows are found generically, by following every reverse foreign key from the patient through the
apps that hold a patient's record, and written with `bulk_create` in dependency order.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

# The apps that hold a person's record, calendar and money (coverage, authorisations, charges,
# claims, payments, adjustments: the billing reports read them); the audit trail and the
# outbox are not copied (they are measured by the audit and outbox pages of the chain
# benchmark to come).
RECORD_APPS = frozenset({"patients", "booking", "records", "plans", "coverage", "billing"})
WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Grown:
    therapists: int
    patients: int
    rows: int
    weeks_back: int


def collect(patients: list[models.Model]) -> dict[type[models.Model], dict[int, models.Model]]:
    """Every row reachable from the patients through reverse foreign keys in RECORD_APPS."""
    found: dict[type[models.Model], dict[int, models.Model]] = defaultdict(dict)
    frontier: dict[type[models.Model], set[int]] = defaultdict(set)
    for patient in patients:
        found[type(patient)][patient.pk] = patient
        frontier[type(patient)].add(patient.pk)
    while frontier:
        model, pks = frontier.popitem()
        for relation in model._meta.related_objects:
            child = relation.related_model
            if relation.many_to_many or child._meta.app_label not in RECORD_APPS:
                continue
            rows = child._default_manager.filter(**{f"{relation.field.name}__in": pks})
            for row in rows:
                if row.pk not in found[child]:
                    found[child][row.pk] = row
                    frontier[child].add(row.pk)
    return found


def dependency_order(models_found: list[type[models.Model]]) -> list[type[models.Model]]:
    """Parents before children among the collected models."""
    ordered: list[type[models.Model]] = []
    pending = set(models_found)
    while pending:
        ready = [
            m
            for m in pending
            if not any(
                f.related_model in pending and f.related_model is not m
                for f in m._meta.concrete_fields
                if f.is_relation
            )
        ]
        if not ready:
            raise RuntimeError(f"a cycle among {sorted(m.__name__ for m in pending)}")
        for model in sorted(ready, key=lambda m: m.__name__):
            ordered.append(model)
            pending.discard(model)
    return ordered


@contextmanager
def stored_times_kept(models_found: list[type[models.Model]]) -> Iterator[None]:
    """Copies keep their (moved) creation times instead of getting today's."""
    switched = []
    for model in models_found:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, now_add in switched:
            field.auto_now, field.auto_now_add = now, now_add


def copy_row(
    row: models.Model,
    new_pks: dict[type[models.Model], dict[int, int]],
    therapist_of: dict[int, int],
    back: dt.timedelta,
) -> models.Model:
    model = type(row)
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(row, field.attname)
        if field.is_relation and value is not None:
            target = field.related_model
            if target in new_pks:
                value = new_pks[target][value]
            elif target._meta.model_name == "staffmember":
                value = therapist_of.get(value, value)
            elif field.name == "user" and model._meta.model_name == "patient":
                value = None  # a copied person has no portal login of their own
        elif isinstance(value, dt.datetime | dt.date) and value is not None:
            value = value - back
        values[field.attname] = value
    return model(**values)


@dataclass(frozen=True)
class Visit:
    therapist: int
    clinic: int
    blocked: tuple[dt.datetime, dt.datetime]
    visit: tuple[dt.datetime, dt.datetime]


@dataclass
class Record:
    """One person's rows, and their visits: the therapist time each blocks."""

    rows: dict[type[models.Model], dict[int, models.Model]]
    visits: list[Visit]


SLOT = 300  # seconds: the finest step of any appointment type
# Where else in a week a person's whole record may go: (days, hours) earlier. Tried in this
# order, each only where every visit still falls in its therapist's working hours.
OFFSETS = [(0, 0), (1, 0), (2, 0), (0, 2), (3, 0), (0, -2), (1, 2), (2, -2), (4, 0), (3, 2)]


def slots(start: dt.datetime, end: dt.datetime) -> range:
    return range(int(start.timestamp()) // SLOT, -(-int(end.timestamp()) // SLOT))


def record_of(patient: models.Model) -> Record:
    from unknot.booking.models import Appointment

    rows = collect([patient])
    visits = [
        Visit(a.therapist_id, a.clinic_id, (a.blocked_start, a.blocked_end), (a.start, a.end))
        for a in rows.get(Appointment, {}).values()
    ]
    return Record(rows, visits)


class Diaries:
    """Every therapist's blocked slots and working hours, so a copy goes only where its
    therapist works and double-books nobody (the database's exclusion constraint would refuse
    an overlap anyway)."""

    def __init__(self) -> None:
        from unknot.booking.models import Appointment, WorkingHours
        from unknot.clinics.models import Clinic

        self.taken: dict[int, set[int]] = defaultdict(set)
        for therapist, start, end in Appointment.objects.values_list(
            "therapist_id", "blocked_start", "blocked_end"
        ):
            self.taken[therapist].update(slots(start, end))
        self.zones = {c.pk: zoneinfo.ZoneInfo(c.time_zone) for c in Clinic.objects.all()}
        self.hours: dict[tuple[int, int, int], list[tuple[dt.time, dt.time]]] = defaultdict(list)
        for h in WorkingHours.objects.all():
            self.hours[(h.therapist_id, h.clinic_id, h.weekday)].append((h.start, h.end))

    def works(self, therapist: int, clinic: int, start: dt.datetime, end: dt.datetime) -> bool:
        zone = self.zones[clinic]
        first, last = start.astimezone(zone), end.astimezone(zone)
        return first.date() == last.date() and any(
            opens <= first.time() and last.time() <= closes
            for opens, closes in self.hours[(therapist, clinic, first.weekday())]
        )

    def place(self, record: Record, therapist_of: dict[int, int], back: dt.timedelta) -> bool:
        moved = [
            (therapist_of.get(v.therapist, v.therapist), slots(*(t - back for t in v.blocked)))
            for v in record.visits
        ]
        if back and not all(
            self.works(v.therapist, v.clinic, v.visit[0] - back, v.visit[1] - back)
            for v in record.visits
        ):
            return False
        if any(self.taken[t].intersection(span) for t, span in moved):
            return False
        for t, span in moved:
            self.taken[t].update(span)
        return True


@dataclass(frozen=True)
class Placement:
    record: Record
    therapist_of: dict[int, int]
    back: dt.timedelta


def write_copies(batch: list[Placement], order: list[type[models.Model]]) -> int:
    """Each placement's record copied, one bulk insert per model for the whole batch."""
    new_pks: list[dict[type[models.Model], dict[int, int]]] = [{} for _ in batch]
    written = 0
    for model in order:
        owners, originals, copies = [], [], []
        for n, placement in enumerate(batch):
            for row in placement.record.rows.get(model, {}).values():
                owners.append(n)
                originals.append(row.pk)
                copies.append(copy_row(row, new_pks[n], placement.therapist_of, placement.back))
        made = model._default_manager.bulk_create(copies, batch_size=2000)
        for n, old, new in zip(owners, originals, made, strict=True):
            new_pks[n].setdefault(model, {})[old] = new.pk
        written += len(made)
    return written


def copy_therapists(copies: int) -> list[dict[int, int]]:
    """`copies` mappings, each from every therapist to a new one at the same clinics with the
    same working hours."""
    from django.contrib.auth import get_user_model

    from unknot.booking.models import WorkingHours
    from unknot.clinics.models import StaffMember

    therapists = list(StaffMember.objects.filter(role="therapist").select_related("user"))
    mappings: list[dict[int, int]] = []
    for n in range(copies):
        mapping = {}
        for therapist in therapists:
            user = get_user_model().objects.create(
                username=f"{therapist.user.username}.copy{n + 1}",
                first_name=therapist.user.first_name,
                last_name=f"{therapist.user.last_name} {n + 2}",
                email=f"copy{n + 1}.{therapist.user.email}",
            )
            member = StaffMember.objects.create(
                user=user, role="therapist", credentials=therapist.credentials
            )
            member.clinics.set(therapist.clinics.all())
            WorkingHours.objects.bulk_create(
                WorkingHours(
                    therapist=member,
                    clinic_id=h.clinic_id,
                    weekday=h.weekday,
                    start=h.start,
                    end=h.end,
                )
                for h in WorkingHours.objects.filter(therapist=therapist)
            )
            mapping[therapist.pk] = member.pk
        mappings.append(mapping)
    return mappings


def settle_the_past(last_original: dict[type[models.Model], int]) -> None:
    """What a copy moved into the past would have become: its visits that were still booked
    were seen, and its open episodes were discharged at their last visit, as the demo's
    earlier patients were."""
    from django.db.models import Max
    from django.utils import timezone

    from unknot.booking.models import Appointment, Status
    from unknot.records.models import Episode, EpisodeStatus

    yesterday = timezone.now() - dt.timedelta(days=1)
    Appointment.objects.filter(
        pk__gt=last_original[Appointment],
        status__in=(Status.BOOKED, Status.ARRIVED),
        end__lt=yesterday,
    ).update(status=Status.COMPLETED)
    stale = (
        Episode.objects.filter(pk__gt=last_original[Episode], status=EpisodeStatus.OPEN)
        .annotate(last_visit=Max("visits__performed_on"))
        .filter(last_visit__lt=yesterday.date())
    )
    for episode in stale.only("pk"):
        discharged = dt.datetime.combine(episode.last_visit, dt.time(17), dt.UTC)
        Episode.objects.filter(pk=episode.pk).update(
            status=EpisodeStatus.DISCHARGED, discharged_at=discharged
        )


@transaction.atomic
def grow(*, therapists_per_therapist: int, years: int, fill: int) -> Grown:
    """The practice as it is, copied onto new therapists today and moved back over `years`:
    each person's record again, in every week, at up to `fill` other days or hours where it fits
    its therapist's working hours without double-booking anyone."""
    from unknot.booking.models import Appointment, Status
    from unknot.clinics.models import StaffMember
    from unknot.patients.models import Patient

    Appointment.objects.filter(status=Status.HELD).delete()  # a hold is nobody's record
    patients = list(Patient.objects.all())
    everything = collect(patients)
    order = dependency_order(list(everything))
    last_original = {model: max(rows) for model, rows in everything.items() if rows}
    records = [record_of(patient) for patient in patients]
    diaries = Diaries()
    identity: dict[int, int] = {}
    placements = []
    for mapping in [identity, *copy_therapists(therapists_per_therapist)]:
        for weeks in range(years * 52 + 1):
            for days, hours in OFFSETS[:fill]:
                back = weeks * WEEK + dt.timedelta(days=days, hours=hours)
                for record in records:
                    if mapping is identity and not back:
                        continue  # the practice itself
                    if not record.visits and (days or hours or weeks % 13):
                        continue  # people with no visit yet: a few a quarter, not every hour
                    if diaries.place(record, mapping, back):
                        placements.append(Placement(record, mapping, back))
    written = 0
    with stored_times_kept(order):
        for first in range(0, len(placements), 500):
            written += write_copies(placements[first : first + 500], order)
    settle_the_past(last_original)
    return Grown(
        therapists=StaffMember.objects.filter(role="therapist").count(),
        patients=Patient.objects.count(),
        rows=written,
        weeks_back=years * 52,
    )
