"""Every Word template users may replace, registered by the capability that renders it.

The one place that loads them all (as settings_catalog does for settings), so that the
« Modèles » page and the tests see the same list whatever else happens to be imported.
"""

from __future__ import annotations

# Imported for its registration.
from case_core.dossiers import template as dossier_template
from case_core.letters import plan_letter
from case_core.letters import templates as letter_templates
from case_core.mediation import template_samples as mediation_templates
from case_core.privacy import letter_template as privacy_letter_template
from case_core.templates.registry import TEMPLATES, TemplateSpec

REGISTERING_MODULES = (
    letter_templates,
    plan_letter,
    dossier_template,
    privacy_letter_template,
    mediation_templates,
)


def catalog() -> list[TemplateSpec]:
    return list(TEMPLATES.values())
