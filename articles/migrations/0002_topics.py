"""The starting topics, so a fresh database tags claims before anything is seeded.

The data is copied here (not imported) so that later edits to articles.pipeline.vocabulary do not
rewrite history; editors change topics in the admin.
"""

from django.db import migrations

TOPICS = (   ('tariffs', 'Tariffs', ['tariff', 'duties', 'levies', 'levy', 'customs']),
    (   'rare-earths',
        'Rare earths',
        ['rare earth', 'rare-earth', 'magnet', 'critical mineral', 'licensing']),
    (   'export-controls',
        'Export controls',
        ['export control', 'export restriction', 'export curb', 'blacklist', 'entity list']),
    ('agriculture', 'Agriculture', ['soybean', 'farmer', 'agricultur']),
    ('fentanyl', 'Fentanyl', ['fentanyl', 'precursor']),
    ('technology', 'Technology', ['tiktok', 'semiconductor', 'chip', 'software']),
    (   'shipping',
        'Shipping',
        ['port fee', 'port access', 'shipping', 'shipbuilding', 'vessel']),
    ('taiwan', 'Taiwan', ['taiwan', 'taipei']),
    (   'diplomacy',
        'Talks and summits',
        [   'talks',
            'negotiat',
            'summit',
            'meeting',
            'meet ',
            'framework',
            'truce',
            'consensus']))


def add_topics(apps, schema_editor):
    Topic = apps.get_model("articles", "Topic")
    for slug, name, keywords in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "keywords": keywords})


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
