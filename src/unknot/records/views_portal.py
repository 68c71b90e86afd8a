"""The person's goals in their own words in the portal (the PSFS activities): write them,
change the words, take one off the list. Ratings come from the intake and re-assessments."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.common.errors import attempt
from unknot.records import goals
from unknot.records.forms_portal import GoalsForm
from unknot.records.selectors import own_open_episode


@require_http_methods(["GET", "POST"])
@patient_only
def my_goals(request: SignedInRequest) -> HttpResponse:
    episode = own_open_episode(request.user)
    if episode is None:
        return render(request, "records/portal/goals.html", {"episode": None})
    current = goals.read_goals(request.user, episode)
    form = GoalsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        # Saved, or refused because the list changed meanwhile: either way the page shows
        # the list as it now is, with the message.
        attempt(
            request,
            lambda: goals.goals_save(
                by=request.user, episode=episode, rows=form.rows(), now=timezone.now()
            ),
            "Your goals are saved.",
        )
        return redirect("portal:goals")
    context = {"episode": episode, "form": form, "most": goals.MOST, "fewest": goals.FEWEST}
    status = 400 if form.is_bound else 200
    return render(request, "records/portal/goals.html", context, status=status)
