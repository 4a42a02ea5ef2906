"""The lock files agree with pyproject.toml: every dependency pinned, within its range, with
hashes; the runtime lock has the same pins without the dev extra (run `make lock` after
changing dependencies)."""

import re
import tomllib
from pathlib import Path

from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BASE_DIR = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _pins(name: str) -> dict[str, str]:
    """{package: version} of a lock file; each pin must carry at least one hash."""
    text = (BASE_DIR / name).read_text()
    pins = {}
    for entry in re.split(r"\n(?=\S)", text):
        match = PIN.match(entry)
        if match:
            assert "--hash=sha256:" in entry, f"{name}: {match[1]} has no hash"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _requirements() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    return ([Requirement(r) for r in project["dependencies"]],
            [Requirement(r) for r in project["optional-dependencies"]["dev"]])


def test_the_lock_pins_every_dependency_within_its_range():
    runtime, dev = _requirements()
    pins = _pins("requirements.lock")
    for requirement in runtime + dev:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} is outside {requirement.specifier}: run make lock")


def test_the_runtime_lock_has_the_same_pins_without_the_dev_extra():
    runtime, dev = _requirements()
    pins, runtime_pins = _pins("requirements.lock"), _pins("requirements-runtime.lock")
    assert {name: pins.get(name) for name in runtime_pins} == runtime_pins
    assert {canonicalize_name(r.name) for r in runtime} <= set(runtime_pins)
    assert not {canonicalize_name(r.name) for r in dev} & set(runtime_pins)
