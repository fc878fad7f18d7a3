"""Checks of configuration values, so a typo fails the job with the key's name."""

from numbers import Real

# key → (integer?, lowest, highest)
Rules = dict[str, tuple[bool, float, float]]

TRAINING_RULES: Rules = {
    "epochs": (True, 1, 100_000),
    "batch_size": (True, 1, 1_000_000),
    "learning_rate": (False, 1e-9, 10),
    "alpha": (False, 0, 1_000),
    "seed": (True, 0, 2**32 - 1),
}


def configuration_check(configuration: dict, rules: Rules) -> None:
    for key, (integer, lowest, highest) in rules.items():
        value = configuration.get(key)
        if not _fits(value, integer, lowest, highest):
            kind = "an integer" if integer else "a number"
            raise ValueError(
                f"configuration {key!r} must be {kind} from {lowest} to {highest}, got {value!r}"
            )


def _fits(value: object, integer: bool, lowest: float, highest: float) -> bool:
    # bool is an int to Python, but `"epochs": true` is a mistake.
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    if integer and value != int(value):
        return False
    return lowest <= value <= highest


# key → the values it may take
Choices = dict[str, tuple]


def choices_check(configuration: dict, choices: Choices) -> None:
    for key, allowed in choices.items():
        value = configuration.get(key)
        if value not in allowed or isinstance(value, bool) != isinstance(allowed[0], bool):
            shown = ", ".join(repr(one) for one in allowed)
            raise ValueError(f"configuration {key!r} must be one of {shown}, got {value!r}")
