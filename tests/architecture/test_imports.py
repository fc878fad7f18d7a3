"""The imports between the apps point one way, and no module of the apps or of the SDK
is part of an import cycle.

The contracts live in pyproject.toml ([tool.importlinter]) and `lint-imports` checks
them; these tests run it with the suite, and show on a planted import that the same
layers and the cycle check would catch one that points up or goes round.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
LAYERS = next(c for c in CONFIG["contracts"] if c["type"] == "layers")


@pytest.fixture
def graph() -> grimp.ImportGraph:
    graph = grimp.build_graph(*CONFIG["root_packages"], cache_dir=None)
    for ignored in LAYERS.get("ignore_imports", []):
        importer, imported = (name.strip() for name in ignored.split("->"))
        graph.remove_import(importer=importer, imported=imported)
    return graph


def illegal_layer_imports(graph: grimp.ImportGraph) -> set:
    layers = [
        grimp.Layer(*(name.strip() for name in layer.split("|")), independent=True)
        for layer in LAYERS["layers"]
    ]
    return graph.find_illegal_dependencies_for_layers(layers=layers)


def cycles(graph: grimp.ImportGraph, packages=tuple(CONFIG["root_packages"])) -> list[tuple]:
    """Each import a -> b between modules of `packages` for which b also leads back to a."""
    found = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported.split(".")[0] not in packages:
                continue
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                found.append((importer, *back))
    return found


def test_every_import_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_no_app_imports_an_app_above_it(graph):
    assert illegal_layer_imports(graph) == set()


def test_no_module_of_the_apps_is_part_of_an_import_cycle(graph):
    assert cycles(graph) == []


def test_no_module_of_the_sdk_is_part_of_an_import_cycle():
    graph = grimp.build_graph("modelyard", cache_dir=None)

    assert cycles(graph, packages=("modelyard",)) == []


def test_a_domain_that_imported_the_worker_would_break_the_layers(graph):
    graph.add_import(importer="jobs.services", imported="worker.tasks")

    illegal = illegal_layer_imports(graph)

    assert [(one.importer, one.imported) for one in illegal] == [("jobs", "worker")]


def test_a_cycle_planted_between_two_modules_would_be_found(graph):
    graph.add_import(importer="data.models", imported="data.services.datasets")

    assert ("data.models", "data.services.datasets", "data.models") in cycles(graph)
