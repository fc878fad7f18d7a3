from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.views import add_form_errors
from registry.forms.projects import TokenForm
from registry.services.tokens import token_create, token_revoke


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            form = TokenForm()
    context = {
        "tokens": request.user.api_tokens.all(),
        "form": form,
        "new_token": new_token,
        "api_url": request.build_absolute_uri("/"),
    }
    response = render(request, "registry/tokens/list.html", context)
    response["Cache-Control"] = "no-store"  # the raw token is on this page once
    return response


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    token_revoke(token=token)
    messages.success(request, f"Token {token.name} was revoked; scripts using it now get 401.")
    return redirect("registry:token_list")
