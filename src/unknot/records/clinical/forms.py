"""Forms of the plan and visit pages. They parse; the services decide and write."""

from typing import Any

from django import forms

from unknot import scheduling as sched
from unknot.booking.models import AppointmentType
from unknot.booking.selectors import bookable_therapists
from unknot.care import vocab
from unknot.care.labels import SYMPTOM_COURSE_LABELS
from unknot.clinics.models import Clinic, StaffMember, Weekday
from unknot.config import inputs
from unknot.plans.services import PHASES, GoalSpec
from unknot.records.clinical import mapping
from unknot.records.clinical import plan_elements as el
from unknot.records.clinical.evaluation import TRI
from unknot.records.clinical.visits import Delivered, score_reassessment

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
        limits = {"nprs": 10, "psfs": 10, "odi": 100}
        if all(filled) and data["target"] > limits[data["instrument"]]:
            self.add_error("target", f"At most {limits[data['instrument']]} for this measure.")
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

    def __init__(self, *args: Any, clinic: Clinic, frequency: int, weeks: int, **kw: Any):
        super().__init__(*args, **kw)
        self.frequency, self.weeks = frequency, weeks
        kinds = clinic.appointment_types.filter(is_active=True, kind="follow_up")
        self.fields["appointment_type"].queryset = kinds  # type: ignore[attr-defined]
        self.fields["therapist"].queryset = bookable_therapists(clinic)  # type: ignore[attr-defined]

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


class VisitForm(forms.Form):
    performed_on = inputs.DateField(widget=DATE, label="Date")
    red_flags = forms.MultipleChoiceField(
        choices=list(vocab.RED_FLAGS.items()), widget=forms.CheckboxSelectMultiple,
        required=False, label="Present now (tick each one found)",
    )  # fmt: skip
    rescreen_done = forms.BooleanField(label="I asked about every red flag today")
    nprs = forms.IntegerField(min_value=0, max_value=10, label="Pain now (NPRS 0-10)")
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
ODI_CHOICES = [("", "not answered"), *((str(n), str(n)) for n in range(6))]
ODI_SECTIONS = ("pain intensity", "personal care", "lifting", "walking", "sitting", "standing",
                "sleeping", "sex life", "social life", "travelling")  # fmt: skip


class ReassessmentForm(forms.Form):
    """ODI (ten sections, 0-5) and PSFS (3-5 activities, 0-10), scored by the care core."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, name in enumerate(ODI_SECTIONS, start=1):
            self.fields[f"odi_{n}"] = forms.ChoiceField(
                choices=ODI_CHOICES, required=False, label=f"ODI {n}: {name}"
            )
        for n in range(1, 6):
            self.fields[f"psfs_activity_{n}"] = forms.CharField(
                required=False, max_length=200, label=f"PSFS activity {n}"
            )
            self.fields[f"psfs_score_{n}"] = forms.FloatField(
                required=False, min_value=0, max_value=10, label=f"Score {n} (0-10)"
            )

    def odi(self) -> list[int | None]:
        return [None if v in ("", None) else int(v)
                for v in (self.cleaned_data.get(f"odi_{n}") for n in range(1, 11))]  # fmt: skip

    def psfs(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"activity": data[f"psfs_activity_{n}"], "score": data[f"psfs_score_{n}"]}
            for n in range(1, 6)
            if data.get(f"psfs_activity_{n}") and data.get(f"psfs_score_{n}") is not None
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        odi, psfs = score_reassessment(self.odi(), self.psfs())
        for score in (odi, psfs):
            if score is not None and hasattr(score, "reason"):
                self.add_error(None, score.reason)
        if psfs is None:
            self.add_error(None, "PSFS: give 3 to 5 activities with their scores.")
        return data


class NoteForm(forms.Form):
    subjective = _text("S: subjective")
    objective = _text("O: objective")
    assessment = _text("A: assessment")
    plan_text = _text("P: plan")


def tri(value: str | None) -> bool | None:
    return mapping.tri_state(value)
