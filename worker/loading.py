"""Finding a package's adapter class in the worker's environment."""

import importlib
from importlib.metadata import entry_points

from modelyard import ModelAdapter

ENTRY_POINT_GROUP = "modelyard.adapters"


class AdapterNotFound(Exception):
    """The workers cannot import the adapter a package names."""


def adapter_class(path: str) -> type[ModelAdapter]:
    """`module:Class`, or the name of an entry point in the `modelyard.adapters` group."""
    target = path if ":" in path else _entry_point_target(path)
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # an adapter's own import errors count too
        raise AdapterNotFound(f"cannot import {module_name}: {error}") from error
    found = getattr(module, class_name, None)
    if not isinstance(found, type) or not issubclass(found, ModelAdapter):
        raise AdapterNotFound(f"{target} is not a subclass of modelyard.ModelAdapter")
    return found


def _entry_point_target(name: str) -> str:
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name == name:
            return entry_point.value
    raise AdapterNotFound(f"no entry point {name!r} in the {ENTRY_POINT_GROUP} group")
