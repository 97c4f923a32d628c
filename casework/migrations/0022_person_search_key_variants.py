from django.db import migrations

# Search keys now fold old and variant kanji (渡邊→渡辺, 髙→高, 﨑→崎, 齋/齊/斉→斎; issue 16):
# every stored key is refolded from the stored name, which is left as it is. The migration
# uses the folding of the code it ships with; a later change of the folding comes with its
# own migration or a run of `manage.py refresh_search_keys`. Backwards is a no-op: the keys
# stay folded, and the older code, which does not fold the query, then finds a stored 渡邊 by
# 渡辺 or by its kana (not by 渡邊) until its own keys are recomputed.


def refold(apps, schema_editor):
    from casework.search_keys import recompute_person_search_keys

    recompute_person_search_keys(apps.get_model("casework", "Person"))


class Migration(migrations.Migration):
    dependencies = [("casework", "0021_plan_awaiting_index")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop, elidable=True)]
