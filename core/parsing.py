"""Reading numbers out of what a request sent, without a ValueError on bad text."""


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
