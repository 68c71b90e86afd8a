"""Paperwork's forms. They parse input; the services decide (and say why they refuse)."""

from typing import Any

from django import forms

from unknot.paperwork import services
from unknot.paperwork.models import DocumentVersion, PracticeDocument

UNREADABLE = "This form could not be read. Please open it again from your list of forms."
TOO_LARGE = "The drawn signature is too large. Please clear it and sign again, or leave it out."


class SignForm(forms.Form):
    version_id = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), UNREADABLE),
    )  # fmt: skip
    typed_name = forms.CharField(
        label="Type your full name to sign", max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip
    has_read = forms.BooleanField(label="I have read this form and agree to it.", required=False)
    # Filled by the drawing pad's script (paperwork/signature-pad.js) when there is one.
    drawn_signature = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=services.MAX_DRAWN_CHARS + 100,
        strip=True, error_messages={"max_length": TOO_LARGE},
    )  # fmt: skip

    def __init__(self, *args: Any, version: DocumentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version_id"].initial = version.pk

    def signing(self) -> services.Signing:
        data = self.cleaned_data
        return services.Signing(
            version_id=data["version_id"], typed_name=data["typed_name"],
            has_read=data["has_read"], drawn_signature=data["drawn_signature"],
        )  # fmt: skip

    def clean_drawn_signature(self) -> str:
        return str(self.cleaned_data.get("drawn_signature") or "")


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=services.MAX_TITLE)
    body = forms.CharField(
        label="Text", max_length=services.MAX_BODY, widget=forms.Textarea(attrs={"rows": 18})
    )
    required = forms.BooleanField(
        label="Every patient signs it before their first visit", required=False
    )
    resign_on_new_version = forms.BooleanField(
        label="Patients sign each new version again", required=False,
        help_text="Usual for the consent to treat and the financial policy; the privacy "
        "notice's acknowledgement is usually asked once.",
    )  # fmt: skip

    @classmethod
    def for_document(
        cls, document: PracticeDocument, current: DocumentVersion | None, data: Any = None
    ) -> "DocumentForm":
        initial = {
            "title": current.title if current else document.get_kind_display(),
            "body": current.body if current else "",
            "required": document.required,
            "resign_on_new_version": document.resign_on_new_version,
        }
        return cls(data, initial=initial)

    def edit(self) -> services.DocumentEdit:
        data = self.cleaned_data
        return services.DocumentEdit(
            title=data["title"], body=data["body"], required=data["required"],
            resign_on_new_version=data["resign_on_new_version"],
        )  # fmt: skip
