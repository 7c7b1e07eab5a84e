"""The project's registries are explicit lists in the settings, and each entry is real."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.tasks import Task
from django.utils.module_loading import import_string

from backend import schedule
from signalements import services, tasks


def test_every_periodic_job_names_a_task_and_one_timing():
    jobs = schedule.jobs()
    assert len(jobs) == len(settings.PERIODIC_JOBS), "each job has its own name"
    for job in jobs.values():
        assert isinstance(import_string(job.task_path), Task), job
        assert (job.every is None) != (job.daily_at is None), job


def test_every_app_with_a_privacy_module_is_listed():
    found = {
        f"{config.name}.privacy"
        for config in apps.get_app_configs()
        if find_spec(f"{config.name}.privacy") is not None
    }
    assert found == set(settings.PRIVACY_MODULES)
    assert len(settings.PRIVACY_MODULES) == len(found), "each module once"


def test_every_listed_privacy_module_exports_what_it_holds():
    for name in settings.PRIVACY_MODULES:
        assert callable(import_module(name).export), name


def test_the_task_the_services_name_by_path_is_the_photo_task():
    assert import_string(services.PROCESS_PHOTO_TASK) is tasks.process_photo
