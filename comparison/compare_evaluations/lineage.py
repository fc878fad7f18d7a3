"""The chosen versions in release order: along their lineage when they form one chain.

Versions form one chain when each is an ancestor of the next, gaps allowed (v1, v3
when v2 was not chosen). Their ancestors are read with one recursive query, so the
query count does not grow with the depth of the lineage nor with the version count.
"""

from django.db import connection

from registry.models import ModelVersion

# UNION (not UNION ALL) drops a row already produced, so a corrupted parent chain that
# loops ends the recursion instead of running forever.
ANCESTORS_SQL = """
WITH RECURSIVE chain(id, parent_id) AS (
    SELECT {id}, {parent} FROM {table} WHERE {id} IN ({marks})
    UNION
    SELECT m.{id}, m.{parent} FROM {table} m JOIN chain ON m.{id} = chain.parent_id
)
SELECT id, parent_id FROM chain
"""


def parents_of_ancestry(model_ids: list[int]) -> dict[int, int | None]:
    """id → parent id, for the versions and every ancestor of theirs."""
    quote = connection.ops.quote_name
    sql = ANCESTORS_SQL.format(
        id=quote(ModelVersion._meta.pk.column),
        parent=quote(ModelVersion._meta.get_field("parent").column),
        table=quote(ModelVersion._meta.db_table),
        marks=", ".join(["%s"] * len(model_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, model_ids)
        return dict(cursor.fetchall())


def _chosen_ancestors(model_id: int, parents: dict, chosen: set[int]) -> int:
    count, seen = 0, {model_id}
    parent = parents.get(model_id)
    while parent is not None and parent not in seen:
        count += parent in chosen
        seen.add(parent)
        parent = parents.get(parent)
    return count


def release_order(versions: list[ModelVersion]) -> tuple[list[ModelVersion], str]:
    """The versions root first and "lineage" when they form one chain, else by creation."""
    by_creation = sorted(versions, key=lambda version: (version.created_at, version.id))
    if len(versions) < 2:
        return by_creation, "lineage" if versions else "created"
    parents = parents_of_ancestry([version.id for version in versions])
    chosen = {version.id for version in versions}
    depth = {version.id: _chosen_ancestors(version.id, parents, chosen) for version in versions}
    # Ancestors of one version are totally ordered, so distinct counts 0..n-1 make a chain.
    if sorted(depth.values()) != list(range(len(versions))):
        return by_creation, "created"
    return sorted(versions, key=lambda version: depth[version.id]), "lineage"
