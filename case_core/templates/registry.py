"""The templates an administrator may replace, each with a full-case sample of its context
(the documentation of the fields it may use, and the data of the check render).

Each capability registers its own templates beside the module that builds them (as settings
are declared); case_core.templates_catalog imports them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from case_core.kernel.errors import NotFound


@dataclass(frozen=True)
class TemplateSpec:
    name: str  # file name under templates_docx/
    title: str
    sample: Callable[[], dict[str, Any]]


# The shipped files (version 0 of every template), committed beside the code.
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates_docx"
TEMPLATES: dict[str, TemplateSpec] = {}


def register(spec: TemplateSpec) -> None:
    TEMPLATES[spec.name] = spec


def spec_of(name: str) -> TemplateSpec:
    spec = TEMPLATES.get(name)
    if spec is None:
        raise NotFound(f"Modèle inconnu : « {name} ».")
    return spec
