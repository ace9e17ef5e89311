import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0003_privacy_consent_retention_deletion"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="mentor",
            field=models.ForeignKey(
                blank=True,
                help_text="The pedagogical staff member of the child's group who is the parents' first contact.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="mentor_children",
                to=settings.AUTH_USER_MODEL,
                verbose_name="mentor",
            ),
        ),
        migrations.AddField(
            model_name="historicalchild",
            name="mentor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The pedagogical staff member of the child's group who is the parents' first contact.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="mentor",
            ),
        ),
    ]
