"""Which pages exist and which permission opens each; app.py builds st.navigation from it,
so a page missing from a role's list cannot be reached at all."""

from __future__ import annotations

from dataclasses import dataclass

from case_core.kernel.actor import Actor
from case_core.kernel.permissions import Perm, can


@dataclass(frozen=True)
class PageSpec:
    path: str  # file under pages/
    title: str
    icon: str
    url_path: str
    permission: Perm
    section: str
    # A second permission that also opens the page (the dashboard: reports.read for the
    # whole portfolio, or a collector's cases.export for their own cases).
    or_permission: Perm | None = None

    def opens_for(self, actor: Actor) -> bool:
        return can(actor, self.permission) or (
            self.or_permission is not None and can(actor, self.or_permission)
        )


# Order here is the order in the sidebar; each capability adds its pages.
PAGES: list[PageSpec] = [
    # "Dossiers" first: the first page of the first section is the landing page.
    PageSpec(
        "pages/portfolio.py",
        "Dossiers",
        ":material/folder:",
        "dossiers",
        Perm.CASES_READ,
        "Recouvrement",
    ),
    PageSpec(
        "pages/new_case.py",
        "Nouveau dossier",
        ":material/create_new_folder:",
        "nouveau-dossier",
        Perm.CASES_CREATE,
        "Recouvrement",
    ),
    PageSpec(
        "pages/imports.py",
        "Import",
        ":material/upload_file:",
        "import",
        Perm.CASES_IMPORT,
        "Recouvrement",
    ),
    PageSpec(
        "pages/case.py",
        "Dossier",
        ":material/description:",
        "dossier",
        Perm.CASES_READ,
        "Recouvrement",
    ),
    PageSpec(
        "pages/plans.py",
        "Échéanciers",
        ":material/event_repeat:",
        "echeanciers",
        Perm.CASES_READ,
        "Recouvrement",
    ),
    PageSpec(
        "pages/bank_import.py",
        "Import bancaire",
        ":material/account_balance:",
        "import-bancaire",
        Perm.PAYMENTS_RECORD,
        "Recouvrement",
    ),
    PageSpec(
        "pages/my_day.py",
        "Ma journée",
        ":material/today:",
        "ma-journee",
        Perm.CONTACTS_LOG,
        "Recouvrement",
    ),
    PageSpec(
        "pages/bulk_letters.py",
        "Courriers en masse",
        ":material/mail:",
        "courriers",
        Perm.LETTERS_GENERATE,
        "Recouvrement",
    ),
    PageSpec(
        "pages/bulk_dossiers.py",
        "Dossiers en masse",
        ":material/folder_zip:",
        "dossiers-en-masse",
        Perm.DOSSIERS_GENERATE,
        "Recouvrement",
    ),
    PageSpec(
        "pages/referrals.py",
        "Annuaire",
        ":material/gavel:",
        "annuaire",
        Perm.DOSSIERS_GENERATE,
        "Recouvrement",
    ),
    PageSpec(
        "pages/mediations.py",
        "Médiations",
        ":material/handshake:",
        "mediations",
        Perm.MEDIATION_RECORD,
        "Médiation",
    ),
    PageSpec(
        "pages/dashboard.py",
        "Tableau de bord",
        ":material/monitoring:",
        "tableau-de-bord",
        Perm.REPORTS_READ,
        "Pilotage",
        or_permission=Perm.REPORTS_OWN,
    ),
    PageSpec(
        "pages/settings.py",
        "Paramètres",
        ":material/settings:",
        "parametres",
        Perm.SETTINGS_MANAGE,
        "Administration",
    ),
    PageSpec(
        "pages/templates.py",
        "Modèles",
        ":material/article:",
        "modeles",
        Perm.SETTINGS_MANAGE,
        "Administration",
    ),
    PageSpec(
        "pages/account.py", "Mon compte", ":material/person:", "compte", Perm.ACCOUNT_SELF, "Compte"
    ),
    PageSpec(
        "pages/users.py",
        "Utilisateurs",
        ":material/group:",
        "utilisateurs",
        Perm.USERS_MANAGE,
        "Administration",
    ),
    PageSpec(
        "pages/privacy.py",
        "Données personnelles",
        ":material/shield_person:",
        "donnees-personnelles",
        Perm.USERS_MANAGE,
        "Administration",
    ),
    PageSpec(
        "pages/health.py",
        "Santé",
        ":material/monitor_heart:",
        "sante",
        Perm.USERS_MANAGE,
        "Administration",
    ),
    PageSpec(
        "pages/rates.py", "Taux", ":material/percent:", "taux", Perm.RATES_MANAGE, "Administration"
    ),
]

SECTION_ORDER = ["Recouvrement", "Médiation", "Pilotage", "Administration", "Compte"]


def pages_for(actor: Actor) -> list[PageSpec]:
    return [page for page in PAGES if page.opens_for(actor)]


def sections_for(actor: Actor) -> dict[str, list[PageSpec]]:
    """The actor's pages grouped by sidebar section, sections in a fixed order."""
    grouped: dict[str, list[PageSpec]] = {}
    for page in pages_for(actor):
        grouped.setdefault(page.section, []).append(page)
    return {s: grouped[s] for s in SECTION_ORDER if s in grouped}
