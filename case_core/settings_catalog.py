"""Every setting a user may change, declared by the capability that reads it.

Each capability declares its own keys beside the rule that reads them (kernel.settings
`declare`); this module is the one place that loads them all, so that the settings page, the
command line and the tests see the same list whatever else happens to be imported.
"""

from __future__ import annotations

from typing import Any

# Imported for their declarations.
from case_core.journal import guardrails, promises
from case_core.kernel.settings import DEFAULTS, all_settings
from case_core.letters import service as letters
from case_core.plans import settings as plans
from case_core.privacy import retention
from case_core.worklists import my_day

DECLARING_MODULES = (guardrails, promises, letters, plans, my_day, retention)

GROUP_TITLES = {
    "guardrails": "Garde-fous des contacts",
    "promises": "Promesses de paiement",
    "my_day": "Ma journée",
    "letters": "Courriers",
    "plans": "Échéanciers",
    "privacy": "Données personnelles",
}


def declared() -> dict[str, tuple[Any, str]]:
    """key -> (default, French label), every capability's settings included."""
    return dict(DEFAULTS)


def grouped() -> dict[str, list[str]]:
    """The keys by the capability that declares them (the part before the dot)."""
    groups: dict[str, list[str]] = {}
    for key in DEFAULTS:
        groups.setdefault(key.split(".")[0], []).append(key)
    return groups


def group_title(group: str) -> str:
    return GROUP_TITLES.get(group, group.capitalize())


def current_values() -> dict[str, Any]:
    return all_settings()
