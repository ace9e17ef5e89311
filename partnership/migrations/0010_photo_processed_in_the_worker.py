from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0009_talk_preparation_and_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="observationphoto",
            name="original",
            field=models.FileField(blank=True, editable=False, max_length=200, upload_to="uploads/%Y/%m/"),
        ),
        migrations.AddField(
            model_name="observationphoto",
            name="status",
            field=models.CharField(
                choices=[("pending", "Being processed"), ("ready", "Ready"), ("failed", "Could not be read")],
                default="ready",
                editable=False,
                max_length=8,
            ),
        ),
    ]
