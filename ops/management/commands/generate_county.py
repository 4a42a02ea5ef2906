"""``python manage.py generate_county --towns 8 --cases 200000 --seed 1``: a county to measure
(PostgreSQL only), on top of the demo (``load_demo`` first)."""

from django.core.management.base import BaseCommand, CommandError

from ops.county import generate_county


class Command(BaseCommand):
    help = "生成用于测量的县级数据（按演示镇复制）。Generate a county to measure (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--towns", type=int, default=8)
        parser.add_argument("--cases", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=3)

    def handle(self, *args, towns, cases, seed, years, **options):
        try:
            result = generate_county(towns=towns, cases=cases, seed=seed, years=years,
                                     stdout=self.stdout)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"done in {result['seconds']['total']:.1f} s")
