"""Typed access to a form's fields.

`form.fields` maps names to plain `Field`s, so a form that narrows a choice field's queryset
or reads its choices asks here for the field as what it is. This module imports nothing of
the apps: any of them may use it.
"""

from django import forms


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field `name`, a ModelChoiceField (or ModelMultipleChoiceField)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), name
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, a ChoiceField (or one of its subclasses)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    return field
