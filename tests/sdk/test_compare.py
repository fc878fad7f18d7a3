"""compare() as plain structures or a DataFrame (a stub answers the series endpoint)."""

import sys

import modelyard
import pytest

SERIES = {
    "series": [
        {
            "model": 1,
            "name": "loss/val",
            "total_points": 3,
            "steps": [0, 5, 9],
            "values": [0.9, 0.5, 0.2],
            "timestamps": [10.0, 11.0, 12.0],
        }
    ]
}


@pytest.fixture
def client(stub):
    stub.answers[("GET", "/api/v1/metrics/series")] = [(200, SERIES)]
    return modelyard.Client(stub.url, "token", retries=0)


def test_compare_asks_for_the_models_names_and_max_points(stub, client):
    series = client.compare(models=[1, 2], metrics=["loss/val", "acc"], max_points=50)

    assert series == SERIES["series"]
    assert stub.requests[0].path == (
        "/api/v1/metrics/series?models=1%2C2&names=loss%2Fval%2Cacc&max_points=50"
    )


def test_as_dataframe_without_pandas_says_how_to_get_it(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)

    with pytest.raises(ImportError, match="pip install pandas"):
        client.compare(models=[1], metrics=["loss/val"], as_dataframe=True)


def test_as_dataframe_gives_one_row_per_point(client):
    pytest.importorskip("pandas")

    frame = client.compare(models=[1], metrics=["loss/val"], as_dataframe=True)

    assert list(frame.columns) == ["model", "name", "step", "value", "timestamp"]
    assert frame["value"].tolist() == [0.9, 0.5, 0.2]
