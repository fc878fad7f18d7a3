"""The metrics store in the admin: readable, not editable by hand."""

import pytest
from django.urls import reverse

from comparison.models import MetricChunk, MetricSeries
from comparison.services import metrics_log
from tests.factories import UserFactory
from tests.fixtures.versions import points


@pytest.fixture
def staff_client(db, client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model_class", [MetricSeries, MetricChunk])
def test_the_list_and_one_row_open_but_adding_is_refused(staff_client, model, model_class):
    metrics_log(model=model, points=points("loss/train", 3))
    name = model_class._meta.model_name
    row = model_class.objects.get()

    changelist = staff_client.get(reverse(f"admin:comparison_{name}_changelist"))
    change = staff_client.get(reverse(f"admin:comparison_{name}_change", args=[row.pk]))
    add = staff_client.get(reverse(f"admin:comparison_{name}_add"))

    assert (changelist.status_code, change.status_code, add.status_code) == (200, 200, 403)
