"""Errors any domain may raise, mapped to one status by the API and shown as messages by pages."""


class StateConflict(Exception):
    """The request clashes with the current state of what it names (409 in the API).

    A model already training, a prediction asked of a model with no live deployment:
    each domain subclasses it, so the API's one exception handler needs to know none.
    """
