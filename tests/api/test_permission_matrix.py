"""Every registry endpoint × every role: allowed succeeds, too low 403, outsider 404, anonymous 401.

Each case runs on fresh rows in "Acme"; the outsider owns another project, so
Acme's rows do not exist for them. List endpoints answer everyone signed in
(with their own rows only), and anyone signed in may start a project.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from data.models import AnnotationKind
from registry.models import ROLE_RANK, Membership, Role
from tests.factories import (
    AnnotationFactory,
    ArtifactFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
    UserFactory,
)
from tests.images import png_bytes, zip_bytes

ANYONE = None  # any signed-in user, outsiders included
ROLES = ["owner", "developer", "annotator", "viewer", "outsider", "anonymous"]


@dataclass(frozen=True)
class Endpoint:
    """`path` and `body` name rows of the world as "@row"; a callable body makes files."""

    name: str
    method: str
    path: str
    role: str | None
    ok: int = 200
    body: dict | Callable[[], dict] | None = None

    def expected(self, role: str) -> int:
        if role == "anonymous":
            return 401
        if self.role is ANYONE:
            return self.ok
        if role == "outsider":
            return 404
        return self.ok if ROLE_RANK[role] >= ROLE_RANK[self.role] else 403


def image(name: str = "new.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def zip_upload() -> dict:
    return {"archive": SimpleUploadedFile("d.zip", zip_bytes({"zero/z.png": png_bytes()}))}


def coco_upload() -> dict:
    coco = {
        "images": [{"id": 1, "file_name": "c.png", "width": 16, "height": 16}],
        "categories": [{"id": 1, "name": "circle"}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 4, 4]}],
    }
    coco_file = SimpleUploadedFile("c.json", json.dumps(coco).encode())
    return {"coco": coco_file, "images": [image("c.png")]}


def image_upload() -> dict:
    return {"dataset": "@dataset", "files": [image()]}


def artifact_upload() -> dict:
    return {"model": "@model", "file": SimpleUploadedFile("w.bin", b"123")}


E = Endpoint
OWNER, DEVELOPER, ANNOTATOR, VIEWER = Role.OWNER, Role.DEVELOPER, Role.ANNOTATOR, Role.VIEWER
EDIT = {"description": "x"}
NEW_MEMBER = {"project": "@project", "username": "newbie"}
SPLIT = {"train": 50, "validation": 50, "test": 0}
SUBSET = {"items": ["@item"], "subset": "test"}
NEW_PACKAGE = {"project": "@project", "name": "new", "output_type": "box", "adapter": "pkg.m:C"}
NEW_ANNOTATION = {"item": "@item", "label": "@label"}
NEW_MODEL = {"project": "@project", "package": "@package", "name": "new"}
ENDPOINTS = [
    # --- Projects and members -------------------------------------------
    E("project list", "get", "projects", ANYONE),
    E("project create", "post", "projects", ANYONE, 201, {"name": "New"}),
    E("project detail", "get", "projects/@project", VIEWER),
    E("project edit", "patch", "projects/@project", OWNER, 200, EDIT),
    E("project delete", "delete", "projects/@project", OWNER, 204),
    E("member list", "get", "memberships", ANYONE),
    E("member detail", "get", "memberships/@membership", VIEWER),
    E("member add", "post", "memberships", OWNER, 201, NEW_MEMBER),
    E("member role", "patch", "memberships/@membership", OWNER, 200, {"role": "annotator"}),
    E("member remove", "delete", "memberships/@membership", OWNER, 204),
    # --- Datasets ----------------------------------------------------------
    E("dataset list", "get", "datasets", ANYONE),
    E("dataset create", "post", "datasets", DEVELOPER, 201, {"project": "@project", "name": "new"}),
    E("dataset detail", "get", "datasets/@dataset", VIEWER),
    E("dataset edit", "patch", "datasets/@dataset", DEVELOPER, 200, EDIT),
    E("dataset delete", "delete", "datasets/@dataset", DEVELOPER, 204),
    E("dataset import zip", "post", "datasets/@dataset/import", DEVELOPER, 201, zip_upload),
    E("dataset import coco", "post", "datasets/@box_dataset/import", DEVELOPER, 201, coco_upload),
    E("dataset split", "post", "datasets/@dataset/split", DEVELOPER, 200, SPLIT),
    E("dataset assign subset", "post", "datasets/@dataset/assign_subset", ANNOTATOR, 200, SUBSET),
    E("dataset export coco", "get", "datasets/@dataset/export", VIEWER),
    # --- Items and annotations ----------------------------------------------
    E("item list", "get", "items", ANYONE),
    E("item upload", "post", "items", DEVELOPER, 201, image_upload),
    E("item detail", "get", "items/@item", VIEWER),
    E("item file", "get", "items/@item/file", VIEWER),
    E("item delete", "delete", "items/@item", DEVELOPER, 204),
    E("item assign subset", "post", "items/assign_subset", ANNOTATOR, 200, SUBSET),
    E("annotation list", "get", "annotations", ANYONE),
    E("annotation create", "post", "annotations", ANNOTATOR, 201, NEW_ANNOTATION),
    E("annotation detail", "get", "annotations/@annotation", VIEWER),
    E("annotation edit", "patch", "annotations/@annotation", ANNOTATOR, 200, {"box": [1, 1, 3, 3]}),
    E("annotation delete", "delete", "annotations/@annotation", ANNOTATOR, 204),
    # --- Packages, models, artifacts -----------------------------------------
    E("package list", "get", "packages", ANYONE),
    E("package create", "post", "packages", DEVELOPER, 201, NEW_PACKAGE),
    E("package detail", "get", "packages/@package", VIEWER),
    E("package edit", "patch", "packages/@package", DEVELOPER, 200, EDIT),
    E("package delete", "delete", "packages/@package", DEVELOPER, 204),
    E("model list", "get", "models", ANYONE),
    E("model create", "post", "models", DEVELOPER, 201, NEW_MODEL),
    E("model detail", "get", "models/@model", VIEWER),
    E("model edit", "patch", "models/@model", DEVELOPER, 200, EDIT),
    E("model delete", "delete", "models/@model", DEVELOPER, 204),
    E("model clone", "post", "models/@model/clone", DEVELOPER, 201, {"name": "copy"}),
    E("artifact list", "get", "artifacts", ANYONE),
    E("artifact upload", "post", "artifacts", DEVELOPER, 201, artifact_upload),
    E("artifact detail", "get", "artifacts/@artifact", VIEWER),
    E("artifact download", "get", "artifacts/@artifact/download", VIEWER),
    E("artifact delete", "delete", "artifacts/@artifact", DEVELOPER, 204),
]  # fmt: skip


@pytest.fixture
def world(cast) -> SimpleNamespace:
    """One of everything in Acme, for any endpoint to act on."""
    UserFactory(username="newbie")
    dataset = DatasetFactory(project=cast.project, name="digits")
    label = LabelFactory(dataset=dataset, name="zero")
    box_dataset = DatasetFactory(
        project=cast.project, name="shapes", annotation_kind=AnnotationKind.BOX
    )
    circle = LabelFactory(dataset=box_dataset, name="circle")
    box_item = ItemFactory(dataset=box_dataset, name="shape.png")
    package = PackageFactory(project=cast.project, name="ours")
    model = ModelVersionFactory(project=cast.project, package=PackageFactory(), name="first")
    return SimpleNamespace(
        project=cast.project,
        membership=Membership.objects.get(user=cast.viewer),
        dataset=dataset,
        box_dataset=box_dataset,
        label=label,
        item=ItemFactory(dataset=dataset, name="a.png"),
        box_item=box_item,
        annotation=AnnotationFactory(item=box_item, label=circle, kind="box", x=0, y=0, w=2, h=2),
        package=package,
        model=model,
        artifact=ArtifactFactory(model=model),
    )


def resolve(value, world: SimpleNamespace):
    """ "@row" → that row's id, inside strings, lists and dicts."""
    if isinstance(value, str) and "@" in value:
        head, _, name = value.partition("@")
        row, _, tail = name.partition("/")
        resolved = getattr(world, row).id
        return f"{head}{resolved}/{tail}" if tail or head else resolved
    if isinstance(value, list):
        return [resolve(entry, world) for entry in value]
    if isinstance(value, dict):
        return {key: resolve(entry, world) for key, entry in value.items()}
    return value


def call(client, endpoint: Endpoint, world: SimpleNamespace):
    multipart = callable(endpoint.body)
    body = endpoint.body() if multipart else endpoint.body
    path = resolve(f"/api/v1/{endpoint.path}", world)
    fmt = "multipart" if multipart else "json"
    return getattr(client, endpoint.method)(path, resolve(body, world), format=fmt)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[endpoint.name for endpoint in ENDPOINTS])
def test_each_role_gets_what_the_endpoint_allows(cast, world, api_client, endpoint, role):
    if role != "anonymous":
        api_client.force_authenticate(cast.user(role))
    response = call(api_client, endpoint, world)
    assert response.status_code == endpoint.expected(role), getattr(response, "data", None)
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


# The Acme rows each list could leak.
ACME_ROWS = {
    "project list": lambda w: {w.project.id},
    "member list": lambda w: set(w.project.memberships.values_list("id", flat=True)),
    "dataset list": lambda w: {w.dataset.id, w.box_dataset.id},
    "item list": lambda w: {w.item.id, w.box_item.id},
    "annotation list": lambda w: {w.annotation.id},
    "package list": lambda w: {w.package.id},
    "model list": lambda w: {w.model.id},
    "artifact list": lambda w: {w.artifact.id},
}  # fmt: skip
LISTS = [endpoint for endpoint in ENDPOINTS if endpoint.name in ACME_ROWS]


def listed_ids(client, endpoint: Endpoint, world: SimpleNamespace) -> set[int]:
    return {row["id"] for row in call(client, endpoint, world).json()["results"]}


@pytest.mark.parametrize("endpoint", LISTS, ids=[endpoint.name for endpoint in LISTS])
def test_lists_show_members_the_project_rows_and_outsiders_none(cast, world, api_client, endpoint):
    acme = ACME_ROWS[endpoint.name](world)
    api_client.force_authenticate(cast.viewer)
    assert acme <= listed_ids(api_client, endpoint, world)
    api_client.force_authenticate(cast.outsider)
    assert not acme & listed_ids(api_client, endpoint, world)
