"""Grows a loaded practice into a larger one of the same shape: up to a chain of clinics with
years of history, for the scale benchmark (`make bench-scale`) or by hand (`python -m bench.grow`).

Every row it writes is a copy of a row the app itself wrote (the demo practice's patients, with
their appointments, episodes, intakes, evaluations, plans, visits, scores, home-exercise logs,
coverage, billing, emails and audit trail), given to a copy of its therapist and clinic and
moved earlier in time. So the large practice has the demo's mix of statuses, stages and
outcomes, only more of it:

- `sites` sets of the practice's clinics: the first is the practice's own, each other a copy of
  its clinics with their opening hours, closures, appointment types and fees, and a copy of
  their therapists and front desk with the same working hours;
- `therapists_per_therapist` more of each therapist at each clinic, each with a copy of that
  therapist's whole caseload (today's diary included);
- `years` of history behind that: each person's record again in every week, moved by whole weeks
  and by up to `fill` other days or hours, wherever every visit still falls in its therapist's
  working hours and double-books nobody (the database's exclusion constraint checks that too);
- `patients`: about how many people those copies make. The rest are returning courses of care
  of the same people (their own rows, insurance included, copied once; bench.grow.PERSON_MODELS);
- the audit trail: each copied person's original's rows (one in AUDIT_SHARE), about the copy,
  appended to the hash chain as audit.record would append them (verify_audit holds).

Copies that land in the past are settled as time would have settled them: visits still booked
were seen, episodes whose visits are over were discharged at their last visit, intakes were
reviewed and safety calls made. Episodes that never reached a visit stay open, as they do in a
real practice. A sample of every kind of copied row then passes the models' own validation.

Rows are found generically, by following every reverse foreign key from the patient through the
apps that hold a patient's record, and written with PostgreSQL's COPY in dependency order.
"""

import datetime as dt
import uuid
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import models, transaction
from psycopg.types.json import Jsonb

# The apps that hold a person's record, calendar and money (coverage, authorisations, charges,
# claims, payments, adjustments: the billing reports read them); the audit trail and the
# outbox are not copied (they are measured by the audit and outbox pages of the chain
# benchmark to come).
RECORD_APPS = frozenset(
    {"patients", "booking", "records", "plans", "coverage", "billing", "outbox"}
)
WEEK = dt.timedelta(days=7)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Grown:
    clinics: int
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


def copy_row(
    row: models.Model,
    new_pks: dict[type[models.Model], dict[int, int]],
    staffing: "Staffing",
    back: dt.timedelta,
) -> list[Any]:
    """The copy's column values, in the order of `columns(model)`."""
    model = type(row)
    values: list[Any] = []
    for field in columns(model):
        value = getattr(row, field.attname)
        if field.is_relation and value is not None:
            target = field.related_model
            if target in new_pks:
                value = new_pks[target][value]
            elif field.name == "user" and model._meta.model_name == "patient":
                value = None  # a copied person has no portal login of their own
            else:
                value = staffing.of(target, value)
        elif isinstance(value, dt.datetime):
            value = value - back
        elif isinstance(value, dt.date):
            value = value - whole_days(back)
        elif isinstance(value, str) and field.name in unique_fields(model):
            value = unique_copy_of(value, field.max_length or 255)  # an email's send key
        elif isinstance(field, models.JSONField) and value is not None:
            value = Jsonb(value)
        values.append(value)
    return values


def columns(model: type[models.Model]) -> "list[models.Field[Any, Any]]":
    """The columns a copy writes: not the id, nor those the database computes from the row."""
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]


def insert(model: type[models.Model], rows: list[list[Any]]) -> list[int]:
    """`rows` written with PostgreSQL's COPY under ids drawn from the table's own sequence
    (as an INSERT would draw them); their ids, in order. COPY skips what bulk_create spends
    its time on (an SQL text per batch, each value prepared by its field), not a check: the
    database's constraints and triggers apply to it as to any INSERT."""
    from django.db import connection

    if not rows:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [found for (found,) in cursor.fetchall()]
        names = ", ".join(f'"{c}"' for c in [meta.pk.column, *(f.column for f in columns(model))])
        with cursor.cursor.copy(f'COPY "{meta.db_table}" ({names}) FROM STDIN') as copy:
            for pk, values in zip(ids, rows, strict=True):
                copy.write_row([pk, *values])
    return ids


@cache
def unique_fields(model: type[models.Model]) -> frozenset[str]:
    """The fields whose value no two rows share: unique fields and one-field unique constraints."""
    single = {
        constraint.fields[0]
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and len(constraint.fields) == 1
        and constraint.condition is None
    }
    return frozenset(single | {f.name for f in model._meta.concrete_fields if f.unique})


def whole_days(back: dt.timedelta) -> dt.timedelta:
    """How far a copy's days move: its times move by `back`, which may carry a few hours either
    way (never across a night: visits stay in working hours), so its dates move by the nearest
    whole number of days (a visit moved by 6 days 22 hours is on the day a week earlier)."""
    return dt.timedelta(days=round(back / dt.timedelta(days=1)))


def unique_copy_of(value: str, max_length: int) -> str:
    suffix = "~" + uuid.uuid4().hex[:12]
    return value[: max_length - len(suffix)] + suffix


@dataclass(frozen=True)
class Staffing:
    """Where a copy goes: its clinics, therapists and appointment types, each old id -> new id
    (ids not named stay as they are: the practice's own clinic and people)."""

    moves: dict[str, dict[int, int]]

    def of(self, model: type[models.Model], pk: int) -> int:
        return self.moves.get(model._meta.label_lower, {}).get(pk, pk)

    def therapist(self, pk: int) -> int:
        return self.moves.get("clinics.staffmember", {}).get(pk, pk)

    def clinic(self, pk: int) -> int:
        return self.moves.get("clinics.clinic", {}).get(pk, pk)


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
OFFSETS += [(days, hours) for hours in (1, -1, 3, -3, 4, -4) for days in range(5)]
OFFSETS += [(days, hours / 2) for hours in (1, -1, 3, -3, 5, -5, 7, -7) for days in range(5)]


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

    def place(self, record: Record, staffing: Staffing, back: dt.timedelta) -> bool:
        moved = [
            (staffing.therapist(v.therapist), slots(*(t - back for t in v.blocked)))
            for v in record.visits
        ]
        if (back or staffing.moves) and not all(
            self.works(
                staffing.therapist(v.therapist),
                staffing.clinic(v.clinic),
                v.visit[0] - back,
                v.visit[1] - back,
            )
            for v in record.visits
        ):
            return False
        if any(self.taken[t].intersection(span) for t, span in moved):
            return False
        for t, span in moved:
            self.taken[t].update(span)
        return True


# A person's own rows, copied once however many courses of care they come back for: the
# person, their insurance and its authorizations, self-pay, the forms they signed, the waiting
# list. Everything else (episodes, visits, appointments, money) is one course of care.
PERSON_MODELS = frozenset(
    {
        "patients.patient",
        "coverage.coverage",
        "coverage.selfpay",
        "coverage.authorisation",
        "paperwork.signature",
        "waitlist.waitlistentry",
        "waitlist.offer",
    }
)


@dataclass
class Placement:
    record: Record
    staffing: Staffing
    back: dt.timedelta
    # The placement whose copy of the person this course of care belongs to (None: its own).
    person: "Placement | None" = None
    made: dict[type[models.Model], dict[int, int]] | None = None  # its person's rows: old -> new
    patient: int | None = None  # the copied person's id, once written


def returning_people(placements: list[Placement], patients: int | None) -> list[Placement]:
    """Gives each person several courses of care, so `placements` make about `patients` people,
    and orders the placements so each person is written before their later courses.

    A person's copies are one record at one staffing; the earliest of them (furthest back) makes
    the person, so their insurance starts before their first visit. Their courses are spread
    over the years (every n-th copy of the record), not bunched in one week."""
    if not patients or len(placements) <= patients:
        return placements
    courses = -(-len(placements) // patients)
    groups: dict[tuple[int, int], list[Placement]] = defaultdict(list)
    for placement in placements:
        groups[(id(placement.record), id(placement.staffing))].append(placement)
    firsts, laters = [], []
    for group in groups.values():
        group.sort(key=lambda p: p.back, reverse=True)
        people = -(-len(group) // courses)
        for n, placement in enumerate(group):
            if n < people:
                firsts.append(placement)
            else:
                placement.person = group[n % people]
                laters.append(placement)
    return firsts + laters


def write_copies(batch: list[Placement], order: list[type[models.Model]]) -> int:
    """Each placement's record copied, one COPY per model for the whole batch; a later
    course of care of a person already written reuses that person's own rows."""
    new_pks: list[dict[type[models.Model], dict[int, int]]] = []
    for placement in batch:
        person = placement.person
        new_pks.append(dict(person.made) if person and person.made else {})
    written = 0
    for model in order:
        owners, originals, copies = [], [], []
        for n, placement in enumerate(batch):
            if placement.person and model._meta.label_lower in PERSON_MODELS:
                continue
            for row in placement.record.rows.get(model, {}).values():
                owners.append(n)
                originals.append(row.pk)
                copies.append(copy_row(row, new_pks[n], placement.staffing, placement.back))
        made = insert(model, copies)
        for n, old, new in zip(owners, originals, made, strict=True):
            new_pks[n].setdefault(model, {})[old] = new
        written += len(made)
    for placement, pks in zip(batch, new_pks, strict=True):
        if placement.person is None:
            placement.patient = next(iter(pks[_patient_model()].values()))
            placement.made = {m: pks[m] for m in pks if m._meta.label_lower in PERSON_MODELS}
        else:
            placement.patient = placement.person.patient
    return written


def _copied(model: type[models.Model], rows: Any, **changes: Any) -> list[models.Model]:
    """Copies of `rows` with `changes` (values, or callables of the row) and a new id each."""
    made = []
    for row in rows:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        values = {f.attname: getattr(row, f.attname) for f in fields}
        for name, change in changes.items():
            values[name] = change(row) if callable(change) else change
        made.append(model(**values))
    return model._default_manager.bulk_create(made)


def copy_clinics(unit: int, originals: list[Any]) -> dict[int, int]:
    """Another set of the practice's own clinics (the `unit`th), each with its opening hours,
    closures, appointment types and fees, as an owner opening a new site would set it up."""
    from unknot.billing.models import Fee
    from unknot.booking.models import AppointmentType
    from unknot.clinics.models import Clinic, Closure, OpeningHours

    copies = _copied(
        Clinic,
        originals,
        name=lambda c: f"{c.name} {unit + 1}",
        slug=lambda c: f"{c.slug}-{unit + 1}",
    )
    clinic_of = {old.pk: new.pk for old, new in zip(originals, copies, strict=True)}
    for model in (OpeningHours, Closure, AppointmentType, Fee):
        _copied(
            model,
            model._default_manager.filter(clinic_id__in=clinic_of),
            clinic_id=lambda row: clinic_of[row.clinic_id],
        )
    return clinic_of


def copy_staff(clinic_of: dict[int, int], label: str) -> dict[int, int]:
    """A copy of every therapist and front desk member at the clinics `clinic_of` names
    (the same clinics when it maps nothing), with the same working hours there."""
    from django.contrib.auth import get_user_model

    from unknot.booking.models import WorkingHours
    from unknot.clinics.models import StaffMember

    originals = StaffMember.objects.filter(
        role__in=("therapist", "front_desk"), user__username__contains="."
    ).exclude(user__username__contains=".copy")
    staff_of = {}
    for member in originals.select_related("user").prefetch_related("clinics"):
        user = get_user_model().objects.create(
            username=f"{member.user.username}.copy{label}",
            first_name=member.user.first_name,
            last_name=f"{member.user.last_name} {label}",
            email=f"copy{label}.{member.user.email}",
        )
        copy = StaffMember.objects.create(
            user=user, role=member.role, credentials=member.credentials
        )
        copy.clinics.set([clinic_of.get(c.pk, c.pk) for c in member.clinics.all()])
        staff_of[member.pk] = copy.pk
    _copied(
        WorkingHours,
        WorkingHours.objects.filter(therapist_id__in=staff_of),
        therapist_id=lambda h: staff_of[h.therapist_id],
        clinic_id=lambda h: clinic_of.get(h.clinic_id, h.clinic_id),
    )
    return staff_of


def staffings(sites: int, copies: int) -> list[Staffing]:
    """Where the record copies go: the practice itself, `copies` more of each therapist at
    each clinic, and the same again at `sites - 1` new sets of the practice's clinics."""
    from django.apps import apps

    types = apps.get_model("booking", "AppointmentType")
    own = list(apps.get_model("clinics", "Clinic").objects.order_by("pk"))
    found = [Staffing({})]
    for site in range(sites):
        clinic_of = copy_clinics(site, own) if site else {}
        type_of = _type_copies(types, clinic_of)
        first = 0 if site else 1  # the practice's own people are the first at its own clinics
        for n in range(first, copies + 1):
            staff_of = copy_staff(clinic_of, f"{site + 1}{chr(ord('a') + n)}")
            moves = {"clinics.staffmember": staff_of}
            if clinic_of:
                moves |= {"clinics.clinic": clinic_of, "booking.appointmenttype": type_of}
            found.append(Staffing(moves))
    return found


def _type_copies(types: Any, clinic_of: dict[int, int]) -> dict[int, int]:
    """Each appointment type of the original clinics -> its copy at the copied clinic."""
    mapping = {}
    for old_clinic, new_clinic in clinic_of.items():
        old = types.objects.filter(clinic_id=old_clinic).order_by("pk")
        new = types.objects.filter(clinic_id=new_clinic).order_by("pk")
        mapping |= {a.pk: b.pk for a, b in zip(old, new, strict=True)}
    return mapping


# The demo's load reads each record many times over; a practice's trail holds about 4 rows
# per appointment (a five-year chain: 6 million for 1.5 million), so one in two is copied.
AUDIT_SHARE = 2


def copy_audit_trail(placements: list[Placement]) -> int:
    """The audit rows of each copied person's original, about them instead, moved back in
    time, appended to the chain (each row hashed after the one before, as audit.record does).
    Who acted, what, and the object named stay the original's."""
    from django.db import connection

    from unknot.audit import chain
    from unknot.audit.models import AuditEvent

    columns = ["id", "previous_hash", "hash", *chain.BODY_FIELDS]
    by_patient: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in AuditEvent.objects.filter(patient_id__isnull=False).values(*chain.FIELDS):
        if event["id"] % AUDIT_SHARE == 0:
            by_patient[event["patient_id"]].append(event)
    last = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    assert last is not None, "the practice has an audit trail"
    previous_id, previous_hash = last["id"], last["hash"]
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY audit_auditevent ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for placement in placements:
            original = next(iter(placement.record.rows[_patient_model()]))
            for event in by_patient.get(original, []):
                previous_id += 1
                row = event | {
                    "id": previous_id,
                    "previous_hash": previous_hash,
                    "at": event["at"] - placement.back,
                    "patient_id": placement.patient,
                    "clinic_id": event["clinic_id"]
                    and placement.staffing.clinic(event["clinic_id"]),
                }
                row["hash"] = previous_hash = chain.digest(row)
                copy.write_row([row[c] for c in columns])
                written += 1
    return written


SAMPLE = 20  # copied rows of each kind checked by the app's own validation


def check_a_sample(order: list[type[models.Model]], last_original: dict[Any, int]) -> None:
    """A random sample of each kind of copied row passes the model's own validation (fields,
    choices, the model's clean(), unique checks) as well as the rows the app itself wrote do:
    a field that some original row leaves blank where the model asks for a value (a service
    may fill it later) is not held against its copies. Raises on the first row that fails."""
    for model in order:
        originals = model._default_manager.filter(pk__lte=last_original.get(model, 0))
        lenient = {name for row in originals for name in _refusals(row)}
        copies = model._default_manager.filter(pk__gt=last_original.get(model, 0))
        for row in copies.order_by("?")[:SAMPLE]:
            refused = _refusals(row, exclude=lenient)
            if refused:
                raise AssertionError(
                    f"a copied {model._meta.label} (id {row.pk}) is not valid: {refused}"
                )


def _refusals(row: models.Model, exclude: set[str] | None = None) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    try:
        row.full_clean(exclude=exclude)
    except ValidationError as refusal:
        return dict(refusal.message_dict)
    return {}


def _patient_model() -> type[models.Model]:
    from unknot.patients.models import Patient

    return Patient


def settle_the_past(last_original: dict[type[models.Model], int]) -> None:
    """What a copy moved into the past would have become: its visits that were still booked
    were seen, its open episodes were discharged at their last visit, as the demo's earlier
    patients were; its intakes were reviewed by the therapist the day after they came in, and
    its safety calls were made (the person cleared to attend) the day after they were asked
    for. A practice's work queues hold this week's work, not the years behind it."""
    from django.db import connection
    from django.utils import timezone

    from unknot.booking.models import Appointment, Status
    from unknot.records.models import Episode, EpisodeStatus, Visit

    yesterday = timezone.now() - dt.timedelta(days=1)
    Appointment.objects.filter(
        pk__gt=last_original[Appointment],
        status__in=(Status.BOOKED, Status.ARRIVED),
        end__lt=yesterday,
    ).update(status=Status.COMPLETED)
    # One statement for every copied episode (a chain has hundreds of thousands): discharged
    # at 17:00 UTC on the day of its last visit.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Episode._meta.db_table} AS e
                   SET status = %s, discharged_at = (last.day + time '17:00') AT TIME ZONE 'UTC'
                  FROM (SELECT episode_id, max(performed_on) AS day FROM {Visit._meta.db_table}
                         WHERE episode_id > %s GROUP BY episode_id) AS last
                 WHERE e.id = last.episode_id AND e.id > %s AND e.status = %s
                   AND last.day < %s""",
            [
                EpisodeStatus.DISCHARGED,
                last_original[Episode],
                last_original[Episode],
                EpisodeStatus.OPEN,
                yesterday.date(),
            ],
        )
    settle_work_queues(last_original, yesterday)
    settle_the_money(last_original, yesterday.date())


# Money settles as a practice's does: insurers answer within weeks, patients pay their part
# after. Copied visits older than this are settled, all but one in OPEN_SHARE, so every ageing
# bucket keeps some balances (the newer two keep all of theirs).
SETTLED_AFTER = dt.timedelta(days=60)
OPEN_SHARE = 10
INSURER_SHARE = Decimal("0.80")  # of what awaits an insurer, the insurer pays; the patient the rest


def settle_the_money(last_original: dict[type[models.Model], int], today: dt.date) -> None:
    """Payments and their allocations, as the ledger writes them (a split by hand: each
    payment applied whole to its visit), for the copied charges older than SETTLED_AFTER: an
    insurer's payment of INSURER_SHARE of what awaits it, then the patient's payment of the
    rest; then the charges' running figures, from the ledger's one writer of them."""
    from unknot.billing import ledger
    from unknot.billing.models import Allocation, Charge, Payment

    owed = ledger.with_balances(
        Charge.objects.filter(
            pk__gt=last_original.get(Charge, 0), status__in=ledger.OWED,
            service_date__lt=today - SETTLED_AFTER,
        ).select_related("coverage")
    ).order_by("pk")  # fmt: skip
    recorder = Payment.objects.order_by("pk").values_list("recorded_by_id", flat=True).first()
    payments: list[list[Any]] = []
    charges: list[int] = []
    for charge in owed:
        if charge.pk % OPEN_SHARE == 0 or ledger.balance_of(charge) <= 0:
            continue
        for payer, amount, after in _settling(charge):
            received = charge.service_date + after
            recorded = dt.datetime.combine(received, dt.time(17), dt.UTC)
            payments.append(_payment_row(charge, payer, amount, received, recorder, recorded))
            charges.append(charge.pk)
    ids = insert(Payment, payments)
    amounts = [row[_PAYMENT_AMOUNT] for row in payments]
    insert(
        Allocation, [[pid, cid, amt] for pid, cid, amt in zip(ids, charges, amounts, strict=True)]
    )
    ledger.keep_figures(set(charges))


def _settling(charge: Any) -> list[tuple[int | None, Decimal, dt.timedelta]]:
    """Who pays what of the charge's balance, and how long after the visit."""
    from unknot.billing import ledger

    owed = ledger.balance_of(charge)
    insurer = ZERO
    if ledger.awaits_insurer(charge):
        insurer = (owed * INSURER_SHARE).quantize(Decimal("0.01"))
    parts = [(charge.coverage.payer_id if charge.coverage else None, insurer, 21),
             (None, owed - insurer, 40)]  # fmt: skip
    return [(payer, amount, dt.timedelta(days=days)) for payer, amount, days in parts if amount > 0]


_PAYMENT_AMOUNT = 4  # the amount's place among Payment's columns


def _payment_row(
    charge: Any,
    payer: int | None,
    amount: Decimal,
    received: dt.date,
    recorder: int | None,
    recorded: dt.datetime,
) -> list[Any]:
    from unknot.billing.models import Payment, PaymentMethod

    values = {
        "patient": charge.patient_id, "payer": payer, "clinic": charge.clinic_id,
        "method": PaymentMethod.INSURER if payer else PaymentMethod.CARD, "amount": amount,
        "received_on": received, "reference": f"settled {charge.pk}",
        "recorded_by": recorder, "recorded_at": recorded,
    }  # fmt: skip
    row = [values[field.name] for field in columns(Payment)]
    assert row[_PAYMENT_AMOUNT] == amount, "Payment's columns moved"
    return row


def settle_work_queues(last_original: dict[type[models.Model], int], before: dt.datetime) -> None:
    from django.db import connection

    from unknot.booking.models import Appointment, CallOutcome, CallStatus, SafetyCall
    from unknot.records.models import Episode, Intake, IntakeStatus

    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Intake._meta.db_table} AS i
                   SET status = %s, reviewed_at = i.submitted_at + interval '1 day',
                       reviewed_by_id = e.therapist_id
                  FROM {Episode._meta.db_table} AS e
                 WHERE e.id = i.episode_id AND i.id > %s AND i.status = %s
                   AND i.submitted_at < %s""",
            [
                IntakeStatus.REVIEWED,
                last_original.get(Intake, 0),
                IntakeStatus.SUBMITTED,
                before - dt.timedelta(days=1),
            ],
        )
        cursor.execute(
            f"""UPDATE {SafetyCall._meta.db_table} AS c
                   SET status = %s, outcome = %s, outcome_note = %s,
                       done_at = c.created_at + interval '1 day', done_by_id = a.therapist_id
                  FROM {Appointment._meta.db_table} AS a
                 WHERE a.id = c.appointment_id AND c.id > %s AND c.status = %s
                   AND c.created_at < %s""",
            [
                CallStatus.DONE,
                CallOutcome.CLEARED,
                "Called back; nothing in the answers stands in the way of the visit.",
                last_original.get(SafetyCall, 0),
                CallStatus.OPEN,
                before - dt.timedelta(days=1),
            ],
        )


@transaction.atomic
def grow(
    *,
    sites: int = 1,
    therapists_per_therapist: int,
    years: int,
    fill: int,
    patients: int | None = None,
) -> Grown:
    """The practice as it is, at `sites` sets of its clinics, each therapist there
    `therapists_per_therapist` more times, and moved back over `years`: each person's record
    again, in every week, at up to `fill` other days or hours where it fits its therapist's
    working hours without double-booking anyone."""
    from unknot.booking.models import Appointment, Status
    from unknot.clinics.models import Clinic, StaffMember
    from unknot.patients.models import Patient

    Appointment.objects.filter(status=Status.HELD).delete()  # a hold is nobody's record
    people = list(Patient.objects.all())
    everything = collect(people)
    order = dependency_order(list(everything))
    last_original = {model: max(rows) for model, rows in everything.items() if rows}
    records = [record_of(person) for person in people]
    places = staffings(sites, therapists_per_therapist)
    diaries = Diaries()
    placements = []
    for staffing in places:
        for weeks in range(years * 52 + 1):
            for days, hours in OFFSETS[:fill]:
                back = weeks * WEEK + dt.timedelta(days=days, hours=hours)
                for record in records:
                    if not staffing.moves and not back:
                        continue  # the practice itself
                    if not record.visits and (days or hours or weeks % 13):
                        continue  # people with no visit yet: a few a quarter, not every hour
                    if diaries.place(record, staffing, back):
                        placements.append(Placement(record, staffing, back))
    placements = returning_people(placements, patients)
    written = 0
    for first in range(0, len(placements), 500):
        written += write_copies(placements[first : first + 500], order)
    settle_the_past(last_original)
    written += copy_audit_trail(placements)
    check_a_sample(order, last_original)
    return Grown(
        clinics=Clinic.objects.count(),
        therapists=StaffMember.objects.filter(role="therapist").count(),
        patients=Patient.objects.count(),
        rows=written,
        weeks_back=years * 52,
    )


def main() -> int:
    """`python -m bench.grow`: a practice of a given size in the database DATABASE_URL names
    (migrated and loaded with the demo practice first when it is empty), for measuring by
    hand; `make bench-scale` grows its own."""
    import argparse
    import os
    import time

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--sites", type=int, default=1, help="sets of the demo's 3 clinics")
    parser.add_argument("--copies", type=int, default=1, help="more of each therapist")
    parser.add_argument("--years", type=int, default=1, help="years of history")
    parser.add_argument("--fill", type=int, default=10, help=f"1-{len(OFFSETS)}: how full")
    parser.add_argument("--patients", type=int, default=None, help="about how many people")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unknot.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from unknot.clinics.models import Clinic
    from unknot.demo.load import load_demo

    call_command("migrate", verbosity=0, interactive=False)
    if not Clinic.objects.exists():
        load_demo()
    started = time.perf_counter()
    grown = grow(
        sites=args.sites,
        therapists_per_therapist=args.copies,
        years=args.years,
        fill=args.fill,
        patients=args.patients,
    )
    print(f"{grown} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
