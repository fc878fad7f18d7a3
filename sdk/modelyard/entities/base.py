"""What every entity and repository shares: JSON fields as attributes, lookups by name."""

from __future__ import annotations

import builtins
import operator
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from modelyard import errors

if TYPE_CHECKING:
    from typing import Self

    from modelyard.session import Session

E = TypeVar("E", bound="Entity")


class Entity:
    """One server object. Its JSON fields are attributes (``raw`` keeps the whole body);
    a field whose name is taken by a method or repository stays only in ``raw``."""

    path: ClassVar[str] = ""
    id: int
    name: str

    def __init__(self, client: Session, data: dict[str, Any]) -> None:
        self.client = client
        self._update(data)

    def _update(self, data: dict[str, Any]) -> None:
        self.raw = dict(data)
        for key, value in data.items():
            if not hasattr(type(self), key):
                setattr(self, key, value)

    @property
    def endpoint(self) -> str:
        return f"{self.path}/{self.id}"

    def refresh(self) -> Self:
        """Read the object again from the server."""
        self._update(self.client.get(self.endpoint))
        return self

    def _patch(self, body: dict[str, Any]) -> Self:
        body = {key: value for key, value in body.items() if value is not None}
        self._update(self.client.patch(self.endpoint, body))
        return self

    def _delete(self) -> None:
        self.client.delete(self.endpoint)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'id', '?')} {getattr(self, 'name', '')!r}>"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and getattr(other, "id", None) == self.id

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.id))


class Repository(Generic[E]):
    """The objects of one kind, narrowed by ``scope`` (query parameters such as a project)."""

    entity: type[E]
    noun: ClassVar[str] = "object"

    def __init__(self, client: Session, **scope: Any) -> None:
        self.client = client
        self.scope = {key: id_of(value) for key, value in scope.items() if value is not None}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.scope}>"

    def iter(self, **filters: Any) -> Iterator[E]:
        """Lazily, page by page: for lists too long to hold at once."""
        chosen = {key: id_of(value) for key, value in filters.items() if value is not None}
        params = {**self.scope, **chosen}
        for row in self.client.paginate(self.entity.path, **params):
            yield self.entity(self.client, row)

    def list(self, **filters: Any) -> builtins.list[E]:
        """Every object in scope matching the filters (the list endpoint's query parameters)."""
        return list(self.iter(**filters))

    def _by_id(self, object_id: int | str) -> E:
        object_id = id_arg(object_id, f"{self.noun}_id")
        return self.entity(self.client, self.client.get(f"{self.entity.path}/{object_id}"))

    def _by_name(self, name: str, project: Any = None, **filters: Any) -> E:
        params = {**self.scope, **filters, "name": name}
        rows = list(self.client.paginate(self.entity.path, **params))
        row = pick(rows, f"{self.noun} named {name!r}", id_of(project))
        # The list row can be shorter than the detail; read the object itself.
        return self._by_id(row["id"])


def pick(rows: list[dict[str, Any]], what: str, project_id: int | None = None) -> dict[str, Any]:
    """The one row a name means: the given project's, else a single one, else the public one."""
    if project_id is not None:
        rows = [row for row in rows if row.get("project") in (project_id, None)]
        mine = [row for row in rows if row.get("project") == project_id]
        rows = mine or rows
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise errors.NotFound(f"No {what}.", code="not_found")
    public = [row for row in rows if "project" in row and row["project"] is None]
    if len(public) == 1:
        return public[0]
    projects = sorted({str(row.get("project")) for row in rows})
    raise errors.Ambiguous(
        f"{len(rows)} of {what} (projects {', '.join(projects)}): pass project_id= or the id."
    )


def id_of(value: Any) -> Any:
    """An entity's id, or the value itself (an id already, or a filter value)."""
    return value.id if isinstance(value, Entity) else value


def id_arg(value: Any, argument: str) -> int:
    """The id an argument names: an entity's, an int, or a string of digits ("12").

    Anything else raises `errors.InvalidArgument` naming ``argument``, before any request.
    """
    if isinstance(value, Entity):
        return value.id
    number = _whole_number(value)
    if number is None or number < 1:
        raise errors.InvalidArgument(
            argument,
            f"{argument} takes an id (a whole number such as 12, or the object itself); "
            f"got {value!r}.",
        )
    return number


def _whole_number(value: Any) -> int | None:
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.isascii() and text.isdigit() else None
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        return None  # True is not an id; numpy integers are
    return operator.index(value)


def optional_id(value: Any, argument: str) -> int | None:
    """`id_arg`, with None for None (an argument left out)."""
    return None if value is None else id_arg(value, argument)


def one_of(name: str | None, object_id: int | str | None, noun: str) -> None:
    if (name is None) == (object_id is None):
        raise TypeError(f"Give either {noun}_name= or {noun}_id=.")


def download_target(dest: str | os.PathLike[str], name: str) -> Path:
    """Where a download of `name` goes: into `dest` when it is a folder (one that exists,
    or one written with a trailing slash, made here), else to the file path `dest`."""
    folder = os.fspath(dest).endswith(("/", os.sep)) or Path(dest).is_dir()
    target = Path(dest) / name if folder else Path(dest)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target
