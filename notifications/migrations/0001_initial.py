"""Notification moves here from partnership. The table stays `partnership_notification`: on an existing
database this migration only changes Django's state; on a new one partnership's migrations made the table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("partnership", "0004_event_setting_limits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("message", models.CharField(max_length=300, verbose_name="message")),
                        ("url", models.CharField(max_length=500)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "db_table": "partnership_notification",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(fields=["recipient", "-created_at"], name="partnership_recipie_21261a_idx"),
                            models.Index(
                                condition=models.Q(("read_at__isnull", True)),
                                fields=["recipient"],
                                name="notification_unread",
                            ),
                            models.Index(
                                condition=models.Q(("emailed_at__isnull", True)),
                                fields=["created_at"],
                                name="notification_unmailed",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
