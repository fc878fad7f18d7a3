"""Small helpers any page view may use."""

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


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
