"""The templates an administrator may replace, each with a full-case sample of its context
(the documentation of the fields it may use, and the data of the check render)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from case_core.dossiers.sample import sample_context as dossier_sample
from case_core.dossiers.template import TEMPLATE_NAME as DOSSIER_TEMPLATE
from case_core.kernel.errors import NotFound


@dataclass(frozen=True)
class TemplateSpec:
    name: str  # file name under templates_docx/
    title: str
    sample: Callable[[], dict[str, Any]]


TEMPLATES: dict[str, TemplateSpec] = {
    spec.name: spec
    for spec in [
        TemplateSpec(DOSSIER_TEMPLATE, "Dossier de transmission contentieuse", dossier_sample),
    ]
}


def spec_of(name: str) -> TemplateSpec:
    spec = TEMPLATES.get(name)
    if spec is None:
        raise NotFound(f"Modèle inconnu : « {name} ».")
    return spec
