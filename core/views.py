"""Small helpers any page view may use."""

import contextlib
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from core.errors import StateConflict


def paginate(request: HttpRequest, queryset, per_page: int = 50, max_per_page: int = 200) -> Page:
    with contextlib.suppress(ValueError):
        per_page = min(max(int(request.GET.get("per_page", per_page)), 1), max_per_page)
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_form_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form, under the field it names if the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def flash_validation_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


Saved = TypeVar("Saved")


def form_saved(request: HttpRequest, form, save: Callable[[dict], Saved]) -> Saved | None:
    """On a valid POST, what `save(form.cleaned_data)` (a service's write) returns.

    None on a GET or an invalid form, and when the service refuses with a
    ValidationError, which then stands on the form under the field it names."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_form_errors(form, error)
        return None


def pressed(request: HttpRequest, action: Callable[[], Saved], done) -> Saved | None:
    """A button's write: what the service `action()` returns, with `done` (a message, or
    a function of that answer giving one) flashed; None when the service refuses, its
    reason (a ValidationError, a StateConflict such as a job already running) flashed."""
    try:
        answer = action()
    except ValidationError as error:
        flash_validation_error(request, error)
    except StateConflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done(answer) if callable(done) else done)
        return answer
    return None
