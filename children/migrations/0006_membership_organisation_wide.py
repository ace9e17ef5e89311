from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0005_version_for_concurrent_edits"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="organisation_wide",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "A manager who also sees and books trainings for every centre of the organisation, "
                    "with their participants. Without it, a manager sees only the bookings of their own centre."
                ),
                verbose_name="for the whole organisation",
            ),
        ),
    ]
