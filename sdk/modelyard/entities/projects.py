"""Projects: the tenant boundary; datasets and models live in one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from modelyard.entities.base import Entity, Repository, one_of

if TYPE_CHECKING:
    from modelyard.entities.datasets import Datasets
    from modelyard.entities.models import Models
    from modelyard.entities.packages import Packages
    from modelyard.entities.pipelines import Pipelines


class Project(Entity):
    """A project. ``role`` is the caller's role in it (owner, developer, annotator, viewer)."""

    path = "projects"
    description: str
    role: str
    created_at: str

    @property
    def datasets(self) -> Datasets:
        from modelyard.entities.datasets import Datasets

        return Datasets(self.client, project=self)

    @property
    def models(self) -> Models:
        from modelyard.entities.models import Models

        return Models(self.client, project=self)

    @property
    def packages(self) -> Packages:
        """This project's packages and the public ones."""
        from modelyard.entities.packages import Packages

        return Packages(self.client, project=self)

    @property
    def pipelines(self) -> Pipelines:
        from modelyard.entities.pipelines import Pipelines

        return Pipelines(self.client, project=self)

    def update(self, project_name: str | None = None, description: str | None = None) -> Project:
        """Rename the project or change its description (owners only)."""
        return self._patch({"name": project_name, "description": description})

    def delete(self) -> None:
        """Delete the project and everything in it (owners only)."""
        self._delete()


class Projects(Repository[Project]):
    entity = Project
    noun = "project"

    def get(self, project_name: str | None = None, project_id: int | str | None = None) -> Project:
        """A project of yours, by name or id: ``yard.projects.get(project_name="Demo")``."""
        one_of(project_name, project_id, "project")
        if project_id is not None:
            return self._by_id(project_id)
        return self._by_name(str(project_name))

    def create(self, project_name: str, description: str = "") -> Project:
        """A new project, owned by you."""
        body = {"name": project_name, "description": description}
        return Project(self.client, self.client.post("projects", body))
