"""Packages: a model architecture and the adapter that runs it."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from modelyard.entities.base import Entity, Repository, one_of, optional_id, pick

if TYPE_CHECKING:
    from modelyard.entities.models import Models


class Package(Entity):
    """A package: public (built in, ``project`` None) or a project's own."""

    path = "packages"
    project: int | None
    public: bool
    description: str
    input_type: str
    output_type: str
    default_configuration: dict[str, Any]
    adapter: str
    created_at: str

    @property
    def models(self) -> Models:
        """The versions of this package you can see (public pretrained ones included)."""
        from modelyard.entities.models import Models

        return Models(self.client, package=self)

    def update(self, **fields: Any) -> Package:
        """Change fields (description, input_type, output_type, default_configuration, adapter,
        or ``package_name``); public packages are read-only."""
        if "package_name" in fields:
            fields["name"] = fields.pop("package_name")
        return self._patch(fields)

    def delete(self) -> None:
        self._delete()


class Packages(Repository[Package]):
    entity = Package
    noun = "package"

    def get(
        self,
        package_name: str | None = None,
        package_id: int | str | None = None,
        project_id: int | str | Entity | None = None,
    ) -> Package:
        """A package by name: the project's own when ``project_id`` is given, else the public
        one (``yard.packages.get(package_name="digits-mlp")``); or by id."""
        one_of(package_name, package_id, "package")
        if package_id is not None:
            return self._by_id(package_id)
        project = optional_id(project_id, "project_id") or self.scope.get("project")
        return self._by_name(str(package_name), project=project)

    def list(
        self, project_id: int | str | Entity | None = None, **filters: Any
    ) -> builtins.list[Package]:
        """Public packages and your projects' (only a project's and public: ``project_id=``)."""
        return super().list(project=optional_id(project_id, "project_id"), **filters)

    def push(
        self,
        package_name: str,
        adapter: str,
        output_type: str,
        project_id: int | str | Entity | None = None,
        input_type: str = "image",
        default_configuration: dict[str, Any] | None = None,
        description: str | None = None,
    ) -> Package:
        """Register a project's package (``adapter="module:Class"``), or update it when the
        project has one of that name already."""
        project = optional_id(project_id, "project_id") or self.scope.get("project")
        if project is None:
            raise TypeError("Say which project the package goes into: project_id=.")
        body = {
            "name": package_name,
            "adapter": adapter,
            "input_type": input_type,
            "output_type": output_type,
            "default_configuration": default_configuration,
            "description": description,
        }
        body = {key: value for key, value in body.items() if value is not None}
        existing = self._in_project(package_name, project)
        if existing is not None:
            return existing._patch(body)
        return Package(self.client, self.client.post("packages", {**body, "project": project}))

    def _in_project(self, name: str, project: int) -> Package | None:
        rows = self.client.paginate("packages", name=name, project=project)
        mine = [row for row in rows if row.get("project") == project]
        return Package(self.client, pick(mine, f"package named {name!r}")) if mine else None
