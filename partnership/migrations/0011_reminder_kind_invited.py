from django.db import migrations, models


class Migration(migrations.Migration):
    """Invited parents are told when an event is planned: a reminder kind of its own."""

    dependencies = [
        ("partnership", "0010_photo_processed_in_the_worker"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reminder",
            name="kind",
            field=models.CharField(
                choices=[
                    ("first", "First reminder"),
                    ("second", "Second reminder"),
                    ("nudge", "Request for an answer"),
                    ("changed", "Change of time or place"),
                    ("cancelled", "Cancellation"),
                    ("moved_up", "Place from the waiting list"),
                    ("invited", "Invitation"),
                ],
                max_length=10,
                verbose_name="kind",
            ),
        ),
    ]
