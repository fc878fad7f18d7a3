"""Reading the comparison's query string, and writing it back in its canonical form."""

import pytest
from django.http import Http404, QueryDict

from comparison.compare.selection import canonical_query, query_string, selection_from_query


def test_it_reads_every_parameter_of_the_contract():
    query = QueryDict(
        "models=3,1,2&metrics=loss%2Fval,acc&eval=mAP,f1&x=time&smooth=0.8&log=1"
        "&layout=overlay&points=250&at=40&better=loss/val:min,acc:max&diff=0&transpose=1"
    )

    selection = selection_from_query(query)

    assert selection.model_ids == (3, 1, 2)
    assert selection.metrics == ("loss/val", "acc")
    assert selection.eval_keys == ("mAP", "f1")
    assert (selection.x, selection.smooth, selection.log) == ("time", 0.8, True)
    assert (selection.layout, selection.points, selection.at) == ("overlay", 250, 40)
    assert selection.better == {"loss/val": "min", "acc": "max"}
    assert (selection.differences_only, selection.transpose) == (False, True)


def test_the_defaults_of_an_empty_link():
    selection = selection_from_query(QueryDict(""))

    assert selection.model_ids == ()
    assert selection.metrics is None
    assert (selection.x, selection.smooth, selection.layout, selection.points) == (
        "step",
        0.0,
        "panels",
        1000,
    )
    assert (selection.differences_only, selection.transpose, selection.at) == (True, False, None)


def test_duplicate_ids_and_names_keep_their_first_place():
    selection = selection_from_query(QueryDict("models=2,1,2,,1&metrics=a,b,a"))

    assert selection.model_ids == (2, 1)
    assert selection.metrics == ("a", "b")


def test_a_metric_name_may_hold_a_colon_in_better():
    assert selection_from_query(QueryDict("better=a:b:max,c:sideways")).better == {"a:b": "max"}


@pytest.mark.parametrize(("raw", "value"), [("2", 0.99), ("-1", 0.0), ("inf", 0.0)])
def test_smoothing_is_clamped(raw, value):
    assert selection_from_query(QueryDict(f"smooth={raw}")).smooth == value


@pytest.mark.parametrize(("raw", "value"), [("1", 10), ("999999", 20_000), ("300.7", 300)])
def test_the_point_budget_is_clamped(raw, value):
    assert selection_from_query(QueryDict(f"points={raw}")).points == value


def test_a_malformed_version_id_is_a_404():
    with pytest.raises(Http404):
        selection_from_query(QueryDict("models=1,two"))


def test_the_canonical_form_joins_lists_keeps_the_last_scalar_and_drops_defaults():
    query = QueryDict(
        "models=1&models=2,3&metrics=&metrics=a&eval=&diff=0&diff=1&x=time&smooth=0&pc=acc&at="
    )

    canonical = canonical_query(query)

    assert query_string(canonical) == "models=1,2,3&metrics=a&x=time&pc=acc"


def test_an_empty_metrics_stays_in_the_canonical_form():
    assert query_string(canonical_query(QueryDict("models=1&metrics="))) == "models=1&metrics="


def test_the_canonical_form_of_a_canonical_form_is_itself():
    once = canonical_query(QueryDict("models=1&models=2&diff=0&transpose=1&better=a:min"))

    assert dict(canonical_query(once).lists()) == dict(once.lists())
