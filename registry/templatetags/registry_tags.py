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


@register.filter
def duration(value) -> str:
    """A timedelta as people say it: 7.7 s, 3 min 05 s, 2 h 04 min."""
    if value is None:
        return "—"
    seconds = value.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


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
