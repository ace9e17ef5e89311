"""Notification now belongs to the notifications app; its table and rows stay where they are.

The content type (and with it the permissions and admin history) is renamed along, so nothing is orphaned.
"""

from django.db import migrations


def rename_content_type(apps, schema_editor, old="partnership", new="notifications"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="notification").exists():
        ContentType.objects.filter(app_label=old, model="notification").update(app_label=new)


def rename_back(apps, schema_editor):
    rename_content_type(apps, schema_editor, old="notifications", new="partnership")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnership", "0004_event_setting_limits"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, rename_back),
    ]
