"""Coverage's forms: they parse and check input (a card's file by its bytes); the services
decide, and check again."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from unknot.booking.forms_staff import date_field
from unknot.common.formfields import model_choice_field
from unknot.common.us_address import StateField, ZipCodeField
from unknot.coverage import cards
from unknot.coverage.errors import CardRefused
from unknot.coverage.models import (
    Coverage,
    DistinctModifier,
    Payer,
    PlanType,
    Priority,
    Relationship,
)
from unknot.coverage.services import CardImages, CoverageDetails, PayerDetails

CARD_ACCEPTS = "image/jpeg,image/png,application/pdf"


def card_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label, required=False,
        help_text=f"A photo (JPEG or PNG) or a PDF, at most {cards.MAX_BYTES // 2**20} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": CARD_ACCEPTS}),
    )  # fmt: skip


def _card_image(upload: UploadedFile | None) -> cards.CardImage | None:
    """The upload as a checked card image; the refusal as the field's error."""
    if not upload:
        return None
    if (upload.size or 0) > cards.MAX_BYTES:
        raise forms.ValidationError(cards.TOO_BIG)
    try:
        return cards.checked(upload.read(cards.MAX_BYTES + 1))
    except CardRefused as refused:
        raise forms.ValidationError(refused.message) from None


class CoverageForm(forms.Form):
    payer: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Payer.objects.none(), label="Insurance company (payer)"
    )
    priority = forms.TypedChoiceField(
        choices=Priority.choices, coerce=int, initial=Priority.PRIMARY,
        help_text="Primary is billed first.",
    )  # fmt: skip
    member_id = forms.CharField(label="Member id", max_length=40)
    group_number = forms.CharField(label="Group number", max_length=40, required=False)
    relationship = forms.ChoiceField(
        choices=Relationship.choices, initial=Relationship.SELF,
        label="Patient's relationship to the subscriber (the person who holds the plan)",
    )  # fmt: skip
    subscriber_first_name = forms.CharField(
        label="Subscriber's first name", max_length=100, required=False
    )
    subscriber_last_name = forms.CharField(
        label="Subscriber's last name", max_length=100, required=False
    )
    subscriber_date_of_birth = date_field(label="Subscriber's date of birth", required=False)
    address_line = forms.CharField(
        label="Subscriber's street address", max_length=55, required=False,
        help_text="As the insurer has it; claims carry it.",
    )  # fmt: skip
    city = forms.CharField(max_length=30, required=False)
    state = StateField(required=False)
    zip_code = ZipCodeField(required=False)
    effective_from = date_field(label="Covered from")
    effective_to = date_field(label="Covered until", required=False, help_text="Blank if open.")
    card_front = card_field("Card, front")
    card_back = card_field("Card, back")

    def __init__(self, *args: Any, payers: QuerySet[Payer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "payer").queryset = payers

    def clean_card_front(self) -> cards.CardImage | None:
        return _card_image(self.cleaned_data.get("card_front"))

    def clean_card_back(self) -> cards.CardImage | None:
        return _card_image(self.cleaned_data.get("card_back"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", "The end date must not come before the start date.")
        return data

    def details(self) -> CoverageDetails:
        data = self.cleaned_data
        return CoverageDetails(
            payer=data["payer"], priority=data["priority"], member_id=data["member_id"].strip(),
            group_number=data["group_number"].strip(), relationship=data["relationship"],
            subscriber_first_name=data["subscriber_first_name"].strip(),
            subscriber_last_name=data["subscriber_last_name"].strip(),
            subscriber_date_of_birth=data.get("subscriber_date_of_birth"),
            effective_from=data["effective_from"], effective_to=data.get("effective_to"),
            address_line=data["address_line"].strip(), city=data["city"].strip(),
            state=data["state"], zip_code=data["zip_code"],
        )  # fmt: skip

    def images(self) -> CardImages:
        return CardImages(
            front=self.cleaned_data.get("card_front"), back=self.cleaned_data.get("card_back")
        )

    @staticmethod
    def initial_from(coverage: Coverage) -> dict[str, Any]:
        names = [
            "priority", "member_id", "group_number", "relationship", "subscriber_first_name",
            "subscriber_last_name", "subscriber_date_of_birth", "effective_from", "effective_to",
            "address_line", "city", "state", "zip_code",
        ]  # fmt: skip
        return {"payer": coverage.payer_id} | {name: getattr(coverage, name) for name in names}


class EndForm(forms.Form):
    last_day = date_field(label="Last day covered")


class SelfPayForm(forms.Form):
    since = date_field(label="Paying themselves since")


class PayerForm(forms.Form):
    name = forms.CharField(max_length=120)
    payer_id = forms.CharField(
        label="Payer id", max_length=20, help_text="The electronic payer id claims are sent to."
    )
    plan_type = forms.ChoiceField(choices=PlanType.choices, label="Plan type")
    address_line = forms.CharField(label="Claims address", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    region = StateField(label="State", required=False)
    postcode = ZipCodeField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    counts_no_shows = forms.BooleanField(
        label="No-shows count against authorisations", required=False
    )
    distinct_modifier = forms.ChoiceField(
        choices=DistinctModifier.choices, initial=DistinctModifier.FIFTY_NINE,
        label="Modifier for a distinct procedure",
    )  # fmt: skip
    active = forms.BooleanField(label="On the list (offered for new coverages)", required=False,
                                initial=True)  # fmt: skip

    def details(self) -> PayerDetails:
        data = self.cleaned_data
        return PayerDetails(
            name=data["name"].strip(), payer_id=data["payer_id"].strip(),
            plan_type=data["plan_type"], address_line=data["address_line"].strip(),
            city=data["city"].strip(), region=data["region"],
            postcode=data["postcode"], phone=data["phone"].strip(),
            counts_no_shows=data["counts_no_shows"], distinct_modifier=data["distinct_modifier"],
            active=data["active"],
        )  # fmt: skip

    @staticmethod
    def initial_from(payer: Payer) -> dict[str, Any]:
        return {name: getattr(payer, name) for name in PayerForm.base_fields}
