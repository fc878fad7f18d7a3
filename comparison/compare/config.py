"""The configuration table: one row per hyper-parameter, one column per version.

Nested keys are flattened (`optimizer.lr`) the way the model page shows them; a key
a version lacks counts as a difference and shows as missing.
"""

from collections.abc import Sequence

from registry.models import ModelVersion
from registry.selectors.models import flatten_configuration


def config_table(*, versions: Sequence[ModelVersion], differences_only: bool) -> dict:
    """{"rows": [{"key", "values", "differs"}], "by_version", "total", "differing"}: `values`
    hold None where a version lacks the key; `by_version` holds them transposed."""
    flat = [dict(flatten_configuration(_configuration(version))) for version in versions]
    keys = sorted(set().union(*flat)) if flat else []
    rows = []
    for key in keys:
        values = [one.get(key) for one in flat]
        rows.append({"key": key, "values": values, "differs": len(set(values)) > 1})
    differing = sum(row["differs"] for row in rows)
    shown = [row for row in rows if row["differs"]] if differences_only else rows
    by_version = [
        {"version": version, "index": index, "values": [row["values"][index] for row in shown]}
        for index, version in enumerate(versions)
    ]
    return {"rows": shown, "by_version": by_version, "total": len(rows), "differing": differing}


def _configuration(version: ModelVersion) -> dict:
    return version.configuration if isinstance(version.configuration, dict) else {}
