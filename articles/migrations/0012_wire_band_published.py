from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def date_stored_bands(apps, schema_editor):
    """Each band takes its report's publication day: the groups stay as they are."""
    Article = apps.get_model("articles", "Article")
    WireBand = apps.get_model("articles", "WireBand")
    day = Article.objects.filter(pk=OuterRef("article")).values("published")[:1]
    WireBand.objects.update(published=Subquery(day))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_article_raw_html_saved_page"),
    ]

    operations = [
        migrations.AddField(
            model_name="wireband",
            name="published",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(date_stored_bands, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="wireband",
            name="published",
            field=models.DateField(help_text="The report's publication day, as it was grouped."),
        ),
        migrations.AlterField(
            model_name="wireband",
            name="key",
            field=models.BigIntegerField(),
        ),
        migrations.AddIndex(
            model_name="wireband",
            index=models.Index(fields=["key", "published"], name="wireband_key_published"),
        ),
    ]
