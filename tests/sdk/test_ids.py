"""Ids as a script has them: an entity, an int or a string of digits ("12"). Anything else is
refused before any request, by an error naming the argument (a stub server records requests)."""

import modelyard
import pytest
from modelyard import Model, errors


@pytest.fixture
def client(stub) -> modelyard.Client:
    return modelyard.Client(stub.url, "token", retries=0)


def test_a_string_id_reads_the_object_of_that_number(stub, client):
    stub.answers[("GET", "/api/v1/datasets/12")] = [(200, {"id": 12, "name": "digits"})]

    dataset = client.datasets.get(dataset_id="12")

    assert dataset.id == 12
    assert [request.path for request in stub.requests] == ["/api/v1/datasets/12"]


def test_clone_sends_string_ids_as_numbers(stub, client):
    stub.answers[("POST", "/api/v1/models/3/clone")] = [(201, {"id": 4, "name": "my-model"})]
    pretrained = Model(client, {"id": 3, "name": "pretrained-digits-mlp"})

    pretrained.clone(
        model_name="my-model", description="fine-tuned", project_id="12", dataset=" 7 "
    )

    assert stub.requests[0].body == {
        "name": "my-model",
        "configuration": {},
        "project": 12,
        "dataset": 7,
        "description": "fine-tuned",
    }


def test_a_string_project_id_picks_that_projects_object_by_name(stub, client):
    rows = [{"id": 1, "name": "digits-mlp", "project": None}]
    rows.append({"id": 2, "name": "digits-mlp", "project": 12})
    stub.answers[("GET", "/api/v1/packages")] = [(200, {"results": rows, "next": None})]
    stub.answers[("GET", "/api/v1/packages/2")] = [(200, rows[1])]

    package = client.packages.get(package_name="digits-mlp", project_id="12")

    assert package.id == 2


def test_train_and_evaluate_send_a_string_dataset_id_as_a_number(stub, client):
    job = {"id": 9, "name": "train #9", "status": "queued"}
    stub.answers[("POST", "/api/v1/models/3/train")] = [(201, job)]
    stub.answers[("GET", "/api/v1/models/3")] = [(200, {"id": 3, "name": "m", "dataset": 7})]
    answer = {"job": {**job, "name": "evaluate #9"}, "evaluation": 5}
    stub.answers[("POST", "/api/v1/models/3/evaluate")] = [(201, answer)]
    model = Model(client, {"id": 3, "name": "m", "dataset": None})

    model.train(dataset="7")
    model.evaluate(dataset="7")

    assert stub.requests[0].body == {"dataset": 7}
    assert model.dataset == 7  # read again after the train set it
    assert stub.requests[2].body == {"dataset": 7, "subset": "test"}


MALFORMED = [
    ("dataset_id", "datasetId", lambda c, v: c.datasets.get(dataset_id=v)),
    ("model_id", "12a", lambda c, v: c.models.get(model_id=v)),
    ("project_id", "", lambda c, v: c.projects.get(project_id=v)),
    ("project_id", "twelve", lambda c, v: c.packages.get(package_name="x", project_id=v)),
    ("project_id", "Acme", lambda c, v: _model(c).clone(model_name="m", project_id=v)),
    ("dataset", "digits", lambda c, v: _model(c).clone(model_name="m", dataset=v)),
    ("dataset", "digits", lambda c, v: _model(c).train(dataset=v)),
    ("dataset", True, lambda c, v: _model(c).evaluate(dataset=v)),
    ("job_id", "-1", lambda c, v: c.jobs.get(v)),
    ("evaluation_id", 2.5, lambda c, v: c.evaluations.get(v)),
    ("models", "best", lambda c, v: c.compare(models=[v], metrics=["loss"])),
]


def _model(client) -> Model:
    return Model(client, {"id": 3, "name": "m"})


@pytest.mark.parametrize(("argument", "value", "call"), MALFORMED)
def test_a_malformed_id_raises_invalid_argument_naming_it_before_any_request(
    stub, client, argument, value, call
):
    with pytest.raises(errors.InvalidArgument) as raised:
        call(client, value)

    error = raised.value
    assert error.argument == argument
    assert error.fields == {argument: error.message}
    assert error.message.startswith(f"{argument} takes an id")
    assert repr(value) in error.message
    assert isinstance(error, errors.ModelyardError)
    assert isinstance(error, ValueError)  # for code that caught int()'s ValueError
    assert stub.requests == []
