"""The run filter's grammar and meaning, without a server."""

import pytest

from tracking.errors import InvalidValue
from tracking.search import Clause, matches, parse_filter, parse_order_by

RUN = {
    "metrics": {"loss/train": 0.25, "val-top.5": 0.9},
    "params": {"optimizer": "adamw", "lr": "0.01"},
    "tags": {"team": "Vision", "mlflow.user": "mia"},
    "attributes": {"status": "FINISHED", "run_name": "b", "start_time": 1_700_000_000_000},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("metrics.`loss/train` < 0.3", True),
        ('metrics."val-top.5" >= 0.9', True),
        ("metrics.val-top.5 > 0.95", False),
        ("metrics.missing > 0", False),
        ("params.optimizer = 'adamw' AND params.lr = \"0.01\"", True),
        ("params.optimizer IN ('sgd', 'adamw')", True),
        ("params.optimizer NOT IN ('sgd', 'adamw')", False),
        ("tags.team LIKE 'Vis%'", True),
        ("tags.team LIKE 'vis%'", False),
        ("tags.team ILIKE 'vis_on'", True),
        ("tags.`mlflow.user` = 'mia'", True),
        ("tags.absent != 'x'", True),
        ("attributes.status = 'FINISHED' and attributes.start_time > 1600000000000", True),
        ("attribute.created < 1600000000000", False),
        ("", True),
    ],
)
def test_a_clause_matches_as_mlflow_means_it(text, expected):
    assert matches(RUN, parse_filter(text)) is expected


@pytest.mark.parametrize(
    ("text", "position", "wanted"),
    [
        ("metrics.loss > 'low'", 0, "a number"),
        ("params.lr > '0.1'", 0, "for params"),
        ("params.lr = 0.1", 0, "quoted string"),
        ("metrics.loss < 1 or metrics.acc > 0", 17, "AND"),
        ("metrics.loss <", 14, "a value"),
        ("weights.x = '1'", 0, "not one of"),
        ("attributes.colour = 'red'", 0, "an attribute"),
        ("params.a IN 'x'", 0, "list"),
    ],
)
def test_a_bad_filter_says_where_and_what_was_expected(text, position, wanted):
    with pytest.raises(InvalidValue) as refused:
        parse_filter(text)

    assert f"position {position}" in refused.value.message
    assert wanted in refused.value.message


def test_a_quoted_value_keeps_its_escaped_quotes():
    [clause] = parse_filter(r"tags.note = 'it\'s fine'")

    assert clause == Clause("tags", "note", "=", "it's fine")


def test_order_by_reads_entities_bare_attributes_and_directions():
    assert parse_order_by(["metrics.`loss/train` DESC", "start_time", "params.lr asc"]) == [
        ("metrics", "loss/train", True),
        ("attributes", "start_time", False),
        ("params", "lr", False),
    ]
