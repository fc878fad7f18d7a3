"""Who may open and post each dataset and item page.

Viewers read (and export), annotators also assign subsets, developers and
owners create, edit, upload, split and delete. Outsiders get 404, anonymous
visitors are sent to sign in, and another project's dataset or item reached
through this project's URL does not exist.
"""

import pytest

from tests.factories import DatasetFactory, ItemFactory, LabelFactory

pytestmark = pytest.mark.django_db

ROLES = ["owner", "developer", "annotator", "viewer"]
RANK = {role: rank for rank, role in enumerate(reversed(ROLES))}
SPLIT = {"train": 70, "validation": 15, "test": 15, "seed": 0}

# (method, url template, data, the lowest role that may do it, the status it then gets)
PAGES = [
    ("get", "/projects/{p}/datasets/", {}, "viewer", 200),
    ("get", "/projects/{p}/datasets/new/", {}, "developer", 200),
    (
        "post",
        "/projects/{p}/datasets/new/",
        {"name": "new", "annotation_kind": "class"},
        "developer",
        302,
    ),
    ("get", "/projects/{p}/datasets/{d}/", {}, "viewer", 200),
    ("get", "/projects/{p}/datasets/{d}/edit/", {}, "developer", 200),
    ("post", "/projects/{p}/datasets/{d}/edit/", {"name": "renamed"}, "developer", 302),
    ("get", "/projects/{p}/datasets/{d}/delete/", {}, "developer", 200),
    ("post", "/projects/{p}/datasets/{d}/delete/", {}, "developer", 302),
    ("get", "/projects/{p}/datasets/{d}/upload/", {}, "developer", 200),
    ("post", "/projects/{p}/datasets/{d}/upload/", {"upload": "images"}, "developer", 200),
    ("get", "/projects/{p}/datasets/{d}/split/", {}, "developer", 200),
    ("post", "/projects/{p}/datasets/{d}/split/", SPLIT, "developer", 302),
    ("get", "/projects/{p}/datasets/{d}/export/coco/", {}, "viewer", 200),
    ("post", "/projects/{p}/datasets/{d}/items/subset/", {"subset": "test"}, "annotator", 302),
    ("get", "/projects/{p}/datasets/{d}/items/{i}/", {}, "viewer", 200),
    ("get", "/projects/{p}/datasets/{d}/items/{i}/image", {}, "viewer", 200),
    ("post", "/projects/{p}/datasets/{d}/items/{i}/delete/", {}, "developer", 302),
]
# Pages reaching one dataset (or item): reached through the wrong project they are 404.
OBJECT_PAGES = [page for page in PAGES if "{d}" in page[1]]
ITEM_PAGES = [page for page in PAGES if "{i}" in page[1]]


def _objects(project) -> tuple:
    dataset = DatasetFactory(project=project)
    LabelFactory(dataset=dataset)
    return dataset, ItemFactory(dataset=dataset)


@pytest.fixture
def acme(cast) -> tuple:
    return _objects(cast.project)


@pytest.fixture
def other(cast) -> tuple:
    return _objects(cast.other_project)


def _url(template: str, project, objects: tuple) -> str:
    dataset, item = objects
    return template.format(p=project.id, d=dataset.id, i=item.id)


def _data(data: dict, objects: tuple) -> dict:
    # The subset form needs a real item of the dataset.
    return dict(data, item=[objects[1].id]) if "subset" in data else data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "data", "needed", "status"), PAGES)
def test_members_are_allowed_or_refused_by_role(
    client, cast, acme, role, method, template, data, needed, status
):
    client.force_login(cast.user(role))

    response = getattr(client, method)(_url(template, cast.project, acme), _data(data, acme))

    expected = status if RANK[role] >= RANK[needed] else 403
    assert response.status_code == expected


@pytest.mark.parametrize(("method", "template", "data", "needed", "status"), PAGES)
def test_outsiders_get_404_for_every_page(
    client, cast, acme, method, template, data, needed, status
):
    client.force_login(cast.outsider)

    response = getattr(client, method)(_url(template, cast.project, acme), _data(data, acme))

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "template", "data", "needed", "status"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    client, cast, acme, method, template, data, needed, status
):
    response = getattr(client, method)(_url(template, cast.project, acme), _data(data, acme))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("method", "template", "data", "needed", "status"), OBJECT_PAGES)
def test_another_projects_dataset_through_this_projects_url_is_not_found(
    client, cast, other, method, template, data, needed, status
):
    client.force_login(cast.owner)

    response = getattr(client, method)(_url(template, cast.project, other), _data(data, other))

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "template", "data", "needed", "status"), ITEM_PAGES)
def test_an_item_of_another_project_under_this_dataset_is_not_found(
    client, cast, acme, other, method, template, data, needed, status
):
    client.force_login(cast.owner)

    response = getattr(client, method)(_url(template, cast.project, (acme[0], other[1])), data)

    assert response.status_code == 404
