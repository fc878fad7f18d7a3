"""Leave room in each page of the prediction table (PostgreSQL only).

Finishing an evaluation writes the matches into prediction rows that were inserted
just before. With full pages PostgreSQL must put each new row version on another
page and add it to every index; with room on the page the update is "HOT" and
touches no index (the matched columns are not indexed). A row about doubles in
size when its matches are written, so 30% filled pages keep nearly every update
HOT: storing a million matches went from 18 s to 7 s (bench/evaluation_scale.py).
Ground-truth rows are written once, complete, and need no room.
"""

from django.db import migrations

TABLE = "comparison_evalprediction"


def set_fillfactor(value: int):
    def apply(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {TABLE} SET (fillfactor = {value})")

    return apply


class Migration(migrations.Migration):
    dependencies = [("comparison", "0003_review_marks")]

    operations = [migrations.RunPython(set_fillfactor(30), set_fillfactor(100))]
