from django.db import migrations, models


class Migration(migrations.Migration):
    """A version per row of shared data, so a save based on an older version is refused."""

    dependencies = [
        ("trainings", "0001_training_offer"),
    ]

    operations = [
        migrations.AddField(
            model_name="offering",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="booking",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
    ]
