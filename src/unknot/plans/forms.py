"""Forms of the plan and visit pages. They parse; the services decide and write."""

from typing import Any

from django import forms

from unknot import scheduling as sched
from unknot.booking.authorisation_warnings import confirm_field
from unknot.booking.models import AppointmentType
from unknot.booking.selectors import bookable_therapists
from unknot.care import instruments, vocab
from unknot.care.instruments import Instrument
from unknot.care.instruments.base import Item, reasons
from unknot.care.labels import SYMPTOM_COURSE_LABELS
from unknot.clinics.models import Clinic, StaffMember, Weekday
from unknot.common import inputs
from unknot.common.formfields import model_choice_field
from unknot.common.identifiers import validate_npi
from unknot.plans import elements as el
from unknot.plans.certification import Physician
from unknot.plans.services import PHASES, GoalSpec
from unknot.plans.visits import NPRS, Delivered, reassessed, score_reassessment
from unknot.records.clinical import mapping
from unknot.records.clinical.evaluation import TRI

PHASE_CHOICES = [(p, p.replace("_", " ")) for p in PHASES]
DATE = forms.DateInput(attrs={"type": "date"})
COURSES = [(v, SYMPTOM_COURSE_LABELS.get(v, v)) for v in vocab.SYMPTOM_COURSE]


def _text(label: str, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(
        required=required, label=label, widget=forms.Textarea(attrs={"rows": rows})
    )


class ElementAddForm(forms.Form):
    phase = forms.ChoiceField(choices=PHASE_CHOICES)
    item = forms.ChoiceField(choices=el.item_choices, label="What to add")
    what = forms.CharField(required=False, max_length=300, label="Wording (optional)")
    dose = forms.CharField(required=False, max_length=200, label="Dose (optional)")
    reason = forms.CharField(max_length=500, label="Why it is added")
    override_reason = _text(
        "Override reason (required when the intervention is contraindicated; kept in the plan)"
    )


class DoseForm(forms.Form):
    dose = forms.CharField(required=False, max_length=200, label="Dose")


class OverrideForm(forms.Form):
    reason = _text("Why the precaution does not apply (kept in the plan)", required=True)


class ScheduleForm(forms.Form):
    frequency_per_week = forms.IntegerField(min_value=1, max_value=7, label="Visits a week")
    duration_weeks = forms.IntegerField(min_value=1, max_value=52, label="For weeks")


class GoalForm(forms.Form):
    term = forms.ChoiceField(choices=[("", "—"), ("short", "short-term"), ("long", "long-term")],
                             required=False)  # fmt: skip
    instrument = forms.ChoiceField(
        choices=[("", "—"), *el.INSTRUMENT_NAMES.items()], required=False
    )
    comparison = forms.ChoiceField(choices=[("<=", "at most"), (">=", "at least")])
    target = forms.FloatField(required=False, min_value=0, max_value=100)
    weeks = forms.IntegerField(required=False, min_value=1, max_value=52)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get(k) not in (None, "") for k in ("term", "instrument", "target", "weeks")]
        if any(filled) and not all(filled):
            raise forms.ValidationError("Fill in term, measure, target and weeks, or none.")
        if all(filled):
            measure = instruments.measure(data["instrument"])
            if data["target"] > measure.high:
                self.add_error("target", f"At most {measure.high:g} for this measure.")
            elif data["target"] < measure.low:
                self.add_error("target", f"At least {measure.low:g} for this measure.")
        return data

    def spec(self) -> GoalSpec | None:
        data = self.cleaned_data
        if not data.get("term"):
            return None
        return GoalSpec(data["term"], data["instrument"], data["comparison"], data["target"],
                        data["weeks"])  # fmt: skip


GoalFormSet = forms.formset_factory(GoalForm, extra=2, max_num=12)


class SignForm(forms.Form):
    """Signing, and the visit series the person agreed to (all booked, or none)."""

    agrees = forms.BooleanField(required=False, label="The patient agrees to these visits")
    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.none(), required=False, label="Kind of visit"
    )
    therapist = forms.ModelChoiceField(queryset=StaffMember.objects.none(), required=False)
    first_day = inputs.DateField(required=False, widget=DATE, label="From")
    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple, required=False,
        label="On",
    )  # fmt: skip
    local_time = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        label="At (the clinic's local time)",
    )  # fmt: skip
    confirm = confirm_field()  # past an insurer's authorization: "Sign and book anyway"

    def __init__(self, *args: Any, clinic: Clinic, frequency: int, weeks: int, **kw: Any):
        super().__init__(*args, **kw)
        self.frequency, self.weeks = frequency, weeks
        kinds = clinic.appointment_types.filter(is_active=True, kind="follow_up")
        model_choice_field(self, "appointment_type").queryset = kinds
        model_choice_field(self, "therapist").queryset = bookable_therapists(clinic)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("agrees") or self.errors:
            return data
        for name in ("appointment_type", "therapist", "first_day", "weekdays", "local_time"):
            if not data.get(name):
                self.add_error(name, "Needed to book the visits the patient agreed to.")
        if self.errors:
            return data
        if len(data["weekdays"]) != self.frequency:
            self.add_error("weekdays", f"The plan has {self.frequency} visits a week: choose "
                           f"{self.frequency} weekday(s).")  # fmt: skip
            return data
        data["pattern"] = sched.SeriesPattern(
            first_day=data["first_day"], weekdays=tuple(sorted(data["weekdays"])),
            local_time=data["local_time"], weeks=self.weeks,
            visits=self.frequency * self.weeks,
        )  # fmt: skip
        return data


(_PAIN,) = NPRS.items
PAIN_SCALE = _PAIN.scale or (0, 10)


def progress_report_field() -> forms.BooleanField:
    """PROGRESS-1's mark on a visit note (the new note's form and the unsigned note's edit)."""
    return forms.BooleanField(
        required=False,
        label="This note includes a progress report",
        help_text="Medicare asks for one at least every 10 treatment days: the progress "
        "toward the goals since the last report, and whether the plan still fits. A "
        "re-assessment visit counts as one without ticking this.",
    )


class VisitForm(forms.Form):
    performed_on = inputs.DateField(widget=DATE, label="Date")
    red_flags = forms.MultipleChoiceField(
        choices=list(vocab.RED_FLAGS.items()), widget=forms.CheckboxSelectMultiple,
        required=False, label="Present now (tick each one found)",
    )  # fmt: skip
    rescreen_done = forms.BooleanField(label="I asked about every red flag today")
    nprs = forms.IntegerField(
        min_value=PAIN_SCALE[0], max_value=PAIN_SCALE[1],
        label=f"Pain now ({NPRS.short} {PAIN_SCALE[0]}-{PAIN_SCALE[1]})",
    )  # fmt: skip
    symptom_course = forms.ChoiceField(
        choices=[("", "not recorded"), *COURSES], required=False,
        label="Symptoms since the last visit",
    )  # fmt: skip
    flare_24h = forms.ChoiceField(
        choices=TRI, required=False, label="Flare lasting over 24 h after the last exercise dose"
    )
    goals_need_loading = forms.ChoiceField(
        choices=[("", "not recorded"), ("yes", "yes"), ("no", "no")], required=False,
        label="The person's goals call for heavier loading (work, sport, lifting at home)",
        help_text="PROG-2 asks it before the return to full activity; it starts from the last "
        "visit's answer, else from the intake (manual work: yes).",
    )  # fmt: skip
    subjective = _text("S: subjective")
    objective = _text("O: objective")
    assessment = _text("A: assessment")
    plan_text = _text("P: plan")
    includes_progress_report = progress_report_field()

    def flags(self) -> set[str]:
        return set(self.cleaned_data["red_flags"])


class InterventionForm(forms.Form):
    intervention = forms.ChoiceField(
        choices=[("", "—"), *el.INTERVENTION_LABELS.items()], required=False
    )
    minutes = forms.IntegerField(required=False, min_value=0, max_value=180)
    notes = forms.CharField(required=False, max_length=300)

    def delivered(self) -> Delivered | None:
        data = self.cleaned_data
        if not data.get("intervention") or not data.get("minutes"):
            return None
        return Delivered(data["intervention"], data["minutes"], data.get("notes", ""))


InterventionFormSet = forms.formset_factory(InterventionForm, extra=2, max_num=12)
NOT_ANSWERED = ("", "not answered")


def field_name(instrument: Instrument, item: Item) -> str:
    """`<key>_<n>` for the n-th item (odi_1, peg_3), `<key>_<part>_<n>` for a part of the n-th
    row of a questionnaire asked in rows (psfs_activity_1, psfs_score_1)."""
    number, _, part = item.link.partition(".")
    return f"{instrument.key}_{part}_{number}" if part else f"{instrument.key}_{number}"


def _label(instrument: Instrument, item: Item) -> str:
    number, _, part = item.link.partition(".")
    if not part:
        return f"{instrument.short} {number}: {item.text}"
    scale = f" ({item.scale[0]}-{item.scale[1]})" if item.scale else ""
    return f"{instrument.short} {part} {number}{scale}"


def _field(instrument: Instrument, item: Item) -> forms.Field:
    label = _label(instrument, item)
    if item.options:
        codes = [code for code, _ in item.options]
        coerce = int if all(isinstance(code, int) for code in codes) else str
        choices = [NOT_ANSWERED, *((str(code), str(code)) for code in codes)]
        return forms.TypedChoiceField(choices=choices, coerce=coerce, empty_value=None,
                                      required=False, label=label)  # fmt: skip
    if item.scale:
        return forms.IntegerField(min_value=item.scale[0], max_value=item.scale[1],
                                  required=False, label=label)  # fmt: skip
    return forms.CharField(required=False, max_length=200, label=label)


class ReassessmentForm(forms.Form):
    """Every instrument re-measured at a re-assessment (`care.instruments`, in its order), item
    by item, scored by the care core: ODI (ten sections, 0-5), PSFS (3-5 activities, 0-10), PEG
    (three items, 0-10), ... A questionnaire the core cannot score is refused with its reason."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instruments = reassessed()
        for instrument in self.instruments:
            for item in instrument.items:
                self.fields[field_name(instrument, item)] = _field(instrument, item)

    @property
    def names(self) -> str:
        """The questionnaires asked, for the heading: "Oswestry, PSFS and PEG"."""
        shorts = [i.short for i in self.instruments]
        return " and ".join(filter(None, (", ".join(shorts[:-1]), *shorts[-1:])))

    def answers(self) -> dict[str, Any]:
        """Each questionnaire's answers by its key, as a case holds them (`questionnaires.<key>`):
        the items' answers in order (None when unanswered), or, for one asked in rows (items
        `<n>.<part>`), the rows with every part given, as {part: answer}."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for instrument in self.instruments:
            values: list[Any] = []
            rows: dict[str, dict[str, Any]] = {}
            for item in instrument.items:
                value = data.get(field_name(instrument, item))
                value = None if value in ("", None) else value
                number, _, part = item.link.partition(".")
                if part:
                    rows.setdefault(number, {})[part] = value
                else:
                    values.append(value)
            given = [row for row in rows.values() if None not in row.values()]
            out[instrument.key] = given if rows else values
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        scores = score_reassessment(self.answers())
        for instrument in self.instruments:
            score = scores.get(instrument.key)
            if not instrument.is_scored(score):
                for reason in reasons(score) or (f"{instrument.short}: not given",):
                    self.add_error(None, reason)
        return data


class NoteForm(forms.Form):
    subjective = _text("S: subjective")
    objective = _text("O: objective")
    assessment = _text("A: assessment")
    plan_text = _text("P: plan")
    includes_progress_report = progress_report_field()


def tri(value: str | None) -> bool | None:
    return mapping.tri_state(value)


class CertificationSendForm(forms.Form):
    """The referring physician or NPP to send the signed plan to."""

    # Apart, as the claim names the referring provider; 35 and 60 are the claim file's limits.
    physician_first_name = forms.CharField(max_length=35, label="Physician or NPP: first name")
    physician_last_name = forms.CharField(
        max_length=60,
        label="Physician or NPP: last name",
        help_text="Without a title or credentials (Dr., MD): the claims name them this way.",
    )
    physician_npi = forms.CharField(
        max_length=10, label="NPI (10 digits)", validators=[validate_npi]
    )
    physician_email = forms.EmailField(max_length=254, label="Email address")

    def physician(self) -> Physician:
        data = self.cleaned_data
        return Physician(
            data["physician_first_name"], data["physician_last_name"],
            data["physician_npi"], data["physician_email"],
        )  # fmt: skip


class CertifyForm(forms.Form):
    typed_name = forms.CharField(max_length=200, label="Your full name, typed as your signature")
    attests = forms.BooleanField(
        label="I certify the need for these services, furnished under this plan of care "
        "while the patient is under my care.",
    )


class DeclineForm(forms.Form):
    comment = forms.CharField(
        max_length=1000,
        label="Why you decline (the therapist will read this)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class VisitSignForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=1000,
        label="Why you sign without a certified plan (kept with the note)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
