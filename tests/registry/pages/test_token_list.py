import pytest

from registry.models import ApiToken, hash_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_creating_a_token_shows_it_once_and_stores_only_its_hash(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/profile/tokens/", {"name": "laptop"})

    raw = response.context["new_token"]
    token = ApiToken.objects.get(user=user)
    assert raw.encode() in response.content
    assert token.token_hash == hash_token(raw)
    assert raw not in {token.token_hash, token.prefix}
    assert raw.encode() not in client.get("/profile/tokens/").content
    assert response["Cache-Control"] == "no-store"


def test_a_revoked_token_no_longer_signs_in_to_the_api(client):
    user = UserFactory()
    client.force_login(user)
    raw = client.post("/profile/tokens/", {"name": "ci"}).context["new_token"]
    token = ApiToken.objects.get(user=user)

    client.post(f"/profile/tokens/{token.id}/revoke/")

    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    response = client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(client):
    owner = UserFactory()
    client.force_login(owner)
    client.post("/profile/tokens/", {"name": "mine"})
    token = ApiToken.objects.get(user=owner)
    client.force_login(UserFactory())

    response = client.post(f"/profile/tokens/{token.id}/revoke/")

    token.refresh_from_db()
    assert response.status_code == 404
    assert token.revoked_at is None


def test_a_token_needs_a_name(client):
    client.force_login(UserFactory())

    response = client.post("/profile/tokens/", {"name": ""})

    assert b"This field is required" in response.content
    assert ApiToken.objects.count() == 0
