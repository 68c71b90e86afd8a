"""The page where a person makes and revokes their own API tokens (HTML, not the API).

A new token is shown once, on the page that answers the form; after that only its name and
first characters are known, because only its digest is stored.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from unknot.accounts.access import SignedInRequest, signed_in
from unknot.api.models import ApiToken
from unknot.api.tokens import token_create, token_revoke, tokens_of


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is this token for?",
        max_length=80,
        help_text="For example “front desk tablet” or “clinic website”.",
        error_messages={"required": "Give the token a name, so you can tell your tokens apart."},
    )


@require_http_methods(["GET", "POST"])
@signed_in
def token_list(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    status = 400 if request.method == "POST" and new_token is None else 200
    context = {"form": form, "tokens": tokens_of(request.user), "new_token": new_token}
    return render(request, "api/tokens.html", context, status=status)


@require_POST
@signed_in
def token_revoke_view(request: SignedInRequest, token_id: int) -> HttpResponse:
    try:
        row = token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404("No such token.") from None
    messages.success(request, f"The token “{row.name}” is revoked: it no longer works.")
    return redirect("api:tokens")
