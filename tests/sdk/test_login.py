import modelyard as yard
import pytest
from modelyard import errors

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_with_url_and_token_signs_in_the_module_level_calls(live_server, owner):
    client = yard.login(live_server.url, owner.token)

    assert yard.client() is client
    assert [project.name for project in yard.projects.list()] == ["Acme"]


def test_without_login_it_reads_url_and_token_from_the_environment(live_server, owner, monkeypatch):
    monkeypatch.setenv("MODELYARD_URL", live_server.url)
    monkeypatch.setenv("MODELYARD_TOKEN", owner.token)

    project = yard.projects.get(project_name="Acme")

    assert project.id == owner.project.id
    assert yard.client().url == live_server.url


def test_the_environment_is_read_when_first_needed_not_at_import(live_server, owner, monkeypatch):
    with pytest.raises(errors.NotLoggedIn):
        yard.client()

    monkeypatch.setenv("MODELYARD_URL", live_server.url + "/api/v1/")
    monkeypatch.setenv("MODELYARD_TOKEN", owner.token)

    assert yard.client().url == live_server.url


def test_login_with_username_and_password_trades_them_for_a_token(live_server, owner):
    yard.login(live_server.url, username="alice", password="password")

    assert yard.client().token.startswith("my_")
    assert yard.projects.get(project_name="Acme").role == "owner"


def test_a_wrong_password_raises_bad_request_naming_the_field(live_server, owner):
    with pytest.raises(errors.BadRequest) as raised:
        yard.login(live_server.url, username="alice", password="nope")

    assert "password" in raised.value.fields


def test_every_request_carries_the_token_header(live_server, owner):
    client = yard.login(live_server.url, owner.token)

    assert client.session.headers["Authorization"] == f"Token {owner.token}"
