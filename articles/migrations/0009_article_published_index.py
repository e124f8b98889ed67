"""An index on the publication day: wire grouping reads the reports published within days
of a new one (articles.wire_groups), and lists order by the day, so neither scans every
report."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_figures_help_text_and_context_dates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["published"], name="article_published"),
        ),
    ]
