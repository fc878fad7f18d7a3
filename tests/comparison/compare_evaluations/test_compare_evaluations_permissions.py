"""Members read the section and its CSV; outsiders and other projects' ids get a 404."""

import pytest

from tests.comparison.compare_evaluations.conftest import csv_url, models_query, section_url
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["viewer", "annotator", "developer", "owner"])
def test_every_member_reads_the_section_and_its_csv(client, cast, lineage, role):
    client.force_login(cast.user(role))
    query = models_query(lineage.versions, eval="mAP")

    assert client.get(section_url(cast.project, query)).status_code == 200
    assert client.get(section_url(cast.project, query), HTTP_HX_REQUEST="true").status_code == 200
    assert client.get(csv_url(cast.project, "bars", query)).status_code == 200


def test_an_outsider_gets_a_404(client, cast, lineage):
    client.force_login(cast.outsider)
    query = models_query(lineage.versions)

    assert client.get(section_url(cast.project, query)).status_code == 404
    assert client.get(csv_url(cast.project, "bars", query)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast, lineage):
    response = client.get(section_url(cast.project, models_query(lineage.versions)))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_version_of_another_project_in_models_is_a_404(client, cast, lineage, other_model):
    client.force_login(cast.owner)
    query = models_query([*lineage.versions, other_model])

    assert client.get(section_url(cast.project, query)).status_code == 404
    assert client.get(csv_url(cast.project, "heatmap", query)).status_code == 404


def test_a_public_version_in_models_is_a_404_too(client, cast, lineage, public_model):
    client.force_login(cast.owner)

    response = client.get(section_url(cast.project, models_query([public_model])))

    assert response.status_code == 404


@pytest.mark.parametrize("models", ["1,abc", "-3", "99999999", "1e3"])
def test_a_malformed_or_unknown_id_is_a_404(client, cast, lineage, models):
    client.force_login(cast.owner)

    assert client.get(section_url(cast.project, f"?models={models}")).status_code == 404


def test_a_dataset_of_another_project_is_a_404(client, cast, lineage):
    theirs = DatasetFactory(project=cast.other_project)
    client.force_login(cast.owner)

    response = client.get(
        section_url(cast.project, models_query(lineage.versions, dataset=theirs.id))
    )

    assert response.status_code == 404
