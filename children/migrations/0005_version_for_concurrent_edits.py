from django.db import migrations, models


class Migration(migrations.Migration):
    """A version per row of shared data, so a save based on an older version is refused."""

    dependencies = [
        ("children", "0004_child_mentor"),
    ]

    operations = [
        migrations.AddField(
            model_name="centre",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="child",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="historicalchild",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
    ]
