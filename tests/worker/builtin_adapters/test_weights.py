import json
import pickle

import numpy as np
import pytest

from worker.adapters.weights import weights_load, weights_save

FORMAT = "modelyard.test"


@pytest.fixture
def folder(tmp_path):
    weights_save(tmp_path, arrays={"coef_0": np.eye(2)}, meta={"format": FORMAT, "version": 1})
    return tmp_path


def test_it_reads_back_what_it_wrote(folder):
    arrays, meta = weights_load(folder, expected_format=FORMAT)
    assert np.array_equal(arrays["coef_0"], np.eye(2))
    assert meta == {"format": FORMAT, "version": 1}


def test_it_refuses_an_npz_holding_an_object_array(folder):
    np.savez(folder / "weights.npz", coef_0=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="cannot be read safely"):
        weights_load(folder, expected_format=FORMAT)


def test_it_refuses_a_pickle_named_like_weights(folder):
    (folder / "weights.npz").write_bytes(pickle.dumps({"coef_0": [1.0]}))
    with pytest.raises(ValueError, match="cannot be read safely"):
        weights_load(folder, expected_format=FORMAT)


def test_it_refuses_non_numeric_arrays(folder):
    np.savez(folder / "weights.npz", coef_0=np.array(["text"]))
    with pytest.raises(ValueError, match="not numeric"):
        weights_load(folder, expected_format=FORMAT)


def test_it_refuses_weights_of_another_format(folder):
    (folder / "model.json").write_text(json.dumps({"format": "someone-else"}))
    with pytest.raises(ValueError, match="'someone-else', expected 'modelyard.test'"):
        weights_load(folder, expected_format=FORMAT)


def test_it_refuses_a_folder_without_a_description(folder):
    (folder / "model.json").unlink()
    with pytest.raises(ValueError, match="no model.json"):
        weights_load(folder, expected_format=FORMAT)


def test_it_refuses_a_description_that_is_not_json(folder):
    (folder / "model.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        weights_load(folder, expected_format=FORMAT)
