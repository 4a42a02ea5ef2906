"""Writes of the three-ones cadence: screening reports, the stored sweeps, the judgement."""

from .screening import screening_report_save
from .sweeps import (
    daily_sweep,
    monthly_judgement_save,
    monthly_sweep,
    run_sweep,
    weekly_sweep,
)

__all__ = ["daily_sweep", "monthly_judgement_save", "monthly_sweep", "run_sweep",
           "screening_report_save", "weekly_sweep"]
