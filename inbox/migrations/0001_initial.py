# The inbox's table was created by ``core``'s first migration, when the inbox lived there: this
# migration takes the model over without touching the database.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("core", "0002_notification_moves_to_inbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="标题")),
                        ("body", models.TextField(blank=True, verbose_name="内容")),
                        ("url", models.CharField(blank=True, max_length=300, verbose_name="链接")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True,
                                                            verbose_name="时间")),
                        ("read_at", models.DateTimeField(blank=True, null=True,
                                                         verbose_name="已读时间")),
                        ("recipient", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE,
                            related_name="notifications", to=settings.AUTH_USER_MODEL,
                            verbose_name="接收人")),
                    ],
                    options={
                        "verbose_name": "站内通知",
                        "verbose_name_plural": "站内通知",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "core_notification",
                        "indexes": [models.Index(fields=["recipient", "read_at"],
                                                 name="core_notifi_recipie_43dea6_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
