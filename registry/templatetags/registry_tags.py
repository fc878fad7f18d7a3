from django import template

from registry.models import ROLE_RANK
from registry.services.files import human_size

register = template.Library()


@register.filter
def allows(role: str | None, needed: str) -> bool:
    """`{% if role|allows:"developer" %}`: the role is `needed` or above."""
    return role is not None and ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


@register.filter
def filesize(size: int | None) -> str:
    return "—" if size is None else human_size(size)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination and sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
