"""``python manage.py load_demo``: load the demo town and each app's demo data, idempotently."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "载入演示镇（黄寨镇）及演示案件；可重复运行，不会重复创建。"

    def handle(self, *args, **options):
        # Each app's ``demo.load()`` runs in INSTALLED_APPS order, so ``grid`` comes first and
        # apps above it add their cases to the town it made (no app imports upward).
        with transaction.atomic():
            for config in apps.get_app_configs():
                if module_has_submodule(config.module, "demo"):
                    module = import_module(f"{config.name}.demo")
                    module.load(stdout=self.stdout)
                    self.stdout.write(f"demo: {config.label} ✓")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。Demo data is ready."))
