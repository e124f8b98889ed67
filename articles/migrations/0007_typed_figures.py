"""Claim.figures: from the figures as written (["145%"]) to what each one measures
([{"text": "145%", "value": 145, "unit": "%", ...}]), for claims and their history."""

from django.db import migrations, models

HELP_TEXT = (
    "What each figure measures (articles.pipeline.figures): a list of {text, value, unit, "
    "basis, imposed_by, imposed_on, status}."
)
BATCH = 500


def type_figures(apps, schema_editor):
    # The pipeline's own pure step: figures stored from now on are typed by the same rules.
    from articles.pipeline.figures import typed_figures

    for name in ("Claim", "HistoricalClaim"):
        model = apps.get_model("articles", name)
        changed = []
        for row in model.objects.exclude(figures=[]).only("pk", "sentence", "figures").iterator():
            written = tuple(f for f in row.figures if isinstance(f, str))
            if not written:
                continue
            row.figures = [f.as_dict() for f in typed_figures(row.sentence, written)]
            changed.append(row)
        model.objects.bulk_update(changed, ["figures"], batch_size=BATCH)


def untype_figures(apps, schema_editor):
    for name in ("Claim", "HistoricalClaim"):
        model = apps.get_model("articles", name)
        changed = []
        for row in model.objects.exclude(figures=[]).only("pk", "figures").iterator():
            row.figures = [f["text"] if isinstance(f, dict) else f for f in row.figures]
            changed.append(row)
        model.objects.bulk_update(changed, ["figures"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_season_precision"),
    ]

    operations = [
        migrations.AlterField(
            model_name="claim",
            name="figures",
            field=models.JSONField(blank=True, default=list, help_text=HELP_TEXT),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="figures",
            field=models.JSONField(blank=True, default=list, help_text=HELP_TEXT),
        ),
        migrations.RunPython(type_figures, untype_figures),
    ]
