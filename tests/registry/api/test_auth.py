"""Signing in to the API: tokens for scripts, sessions for the browser, and the error body."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from registry.models import ApiToken, hash_token
from registry.services.tokens import token_create, token_revoke
from tests.errors import error_of


def token_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_it_trades_a_password_for_a_token(cast):
    response = APIClient().post(
        "/api/v1/auth/token", {"username": "viewer", "password": "password"}, format="json"
    )
    assert response.status_code == 200
    raw = response.json()["token"]
    token = ApiToken.objects.get(user=cast.viewer)
    assert token.name.startswith("api login ")
    assert token.token_hash == hash_token(raw)
    assert token_client(raw).get("/api/v1/projects").status_code == 200


def test_it_refuses_a_wrong_password_and_makes_no_token(cast):
    response = APIClient().post(
        "/api/v1/auth/token", {"username": "viewer", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "password" in error_of(response)["fields"]
    assert not ApiToken.objects.exists()


def test_it_names_the_missing_username(cast):
    response = APIClient().post("/api/v1/auth/token", {"password": "x"}, format="json")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"username": "This field is required."}


def test_a_token_made_by_the_service_authenticates(cast):
    _, raw = token_create(user=cast.developer, name="laptop")
    response = token_client(raw).get("/api/v1/projects")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Acme"]


def test_only_the_hash_of_a_token_is_stored(cast):
    token, raw = token_create(user=cast.developer, name="laptop")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(value) for value in stored.values()}
    assert stored["token_hash"] == hash_token(raw)


def test_a_revoked_token_answers_401(cast):
    token, raw = token_create(user=cast.developer, name="laptop")
    token_revoke(token=token)
    response = token_client(raw).get("/api/v1/projects")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_answers_401(cast):
    assert token_client("my_not-a-token").get("/api/v1/projects").status_code == 401


def test_anonymous_callers_get_401_in_the_error_body(db):
    response = APIClient().get("/api/v1/models")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_a_session_post_without_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    response = client.post("/api/v1/projects", {"name": "New"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]


def test_a_session_post_with_csrf_token_is_accepted(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    secret = "a" * 32  # what a browser got in its csrftoken cookie
    client.cookies["csrftoken"] = secret
    response = client.post(
        "/api/v1/projects",
        {"name": "New"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=secret,
    )
    assert response.status_code == 201


@pytest.mark.parametrize("path", ["/api/v1/projects", "/api/v1/projects/"])
def test_paths_answer_with_and_without_a_trailing_slash(cast, api_as, path):
    assert api_as(cast.viewer).get(path).status_code == 200


def test_a_browser_asking_for_html_gets_json(cast):
    client = Client()
    client.force_login(cast.viewer)
    response = client.get("/api/v1/models", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_a_wrong_method_answers_405_in_the_error_body(cast, api_as):
    response = api_as(cast.owner).put("/api/v1/projects", {}, format="json")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_an_unknown_api_path_answers_404_in_the_error_body(cast, api_as):
    response = api_as(cast.owner).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
