"""The person's goals in their own words, as one form of numbered rows."""

from typing import Any

from django import forms

from unknot.records import goals as g


class GoalsForm(forms.Form):
    """One row per goal on the list, then empty rows up to five: `words_<n>`, and `goal_<n>`
    naming the goal the row shows (the service checks it is on the person's own list)."""

    def __init__(self, *args: Any, current: list[g.Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.count = max(len(current), g.MOST)
        for n in range(1, self.count + 1):
            goal = current[n - 1] if n <= len(current) else None
            self.fields[f"goal_{n}"] = forms.IntegerField(
                required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput,
                initial=goal.pk if goal else None,
            )  # fmt: skip
            self.fields[f"words_{n}"] = forms.CharField(
                label=f"Activity {n}", required=False, max_length=g.TEXT_LENGTH,
                initial=goal.words if goal else "",
            )  # fmt: skip

    def rows(self) -> list[tuple[int | None, str]]:
        data = self.cleaned_data
        return [(data[f"goal_{n}"], data[f"words_{n}"]) for n in range(1, self.count + 1)]

    def shown(self) -> list[tuple[Any, Any, g.Goal | None]]:
        """(words field, hidden id field, the goal it shows) for the template."""
        return [
            (self[f"words_{n}"], self[f"goal_{n}"],
             self.current[n - 1] if n <= len(self.current) else None)
            for n in range(1, self.count + 1)
        ]  # fmt: skip
