"""Periodic jobs: each app may offer `<app>.tasks.periodic_jobs()` -> [(interval_seconds, callable, name)]."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class PeriodicJob:
    interval_seconds: float
    run: Callable[[], object]
    name: str


def collect_periodic_jobs() -> list[PeriodicJob]:
    jobs: list[PeriodicJob] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("onewindow."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.tasks":
                raise
            continue
        offer = getattr(module, "periodic_jobs", None)
        if offer is not None:
            jobs.extend(PeriodicJob(interval, run, name) for interval, run, name in offer())
    return jobs
