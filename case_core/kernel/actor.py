"""The acting user, as services receive it."""

from __future__ import annotations

from dataclasses import dataclass

from case_core.models import Role


@dataclass(frozen=True)
class Actor:
    id: int | None
    email: str
    full_name: str
    role: Role

    @property
    def label(self) -> str:
        return f"{self.full_name} <{self.email}>"


# Writes made by the command line before any account exists (first admin, migrations).
SYSTEM = Actor(id=None, email="system@casedesk", full_name="Système", role=Role.ADMIN)
