"""Pick an existing party or type a new one (creditor or debtor on "Nouveau dossier")."""

from __future__ import annotations

import streamlit as st

from case_core.cases.parties import PartyInput, PartySummary, search_parties
from case_core.kernel.actor import Actor
from case_core.models import PartyKind
from pages.components.form_errors import FormErrors

EXISTING = "Choisir une partie existante"
NEW = "Créer une nouvelle partie"
PARTY_FIELDS = (
    "kind",
    "company_name",
    "siren",
    "siret",
    "vat_number",
    "last_name",
    "first_name",
    "address_line1",
    "address_line2",
    "postcode",
    "city",
    "country",
    "email",
    "phone",
    "iban",
    "representative_name",
    "representative_role",
)


def _describe(p: PartySummary) -> str:
    extra = " · ".join(x for x in (p.siren, p.postcode, p.city, p.email) if x)
    return f"{p.display_name} ({extra})" if extra else p.display_name


def pick_or_create_party(
    actor: Actor,
    prefix: str,
    label: str,
    errors: FormErrors,
    creditors_only: bool | None = None,
) -> tuple[int | None, PartyInput | None]:
    """(existing party id, None) or (None, typed PartyInput); widgets keyed `prefix.…`.

    The creditor picker (prefix "creditor" unless told otherwise) offers creditors only:
    picking a debtor there by mistake would file the case the wrong way round.
    """
    if creditors_only is None:
        creditors_only = prefix == "creditor"
    mode = st.radio(label, [EXISTING, NEW], key=f"{prefix}.mode", horizontal=True)
    errors.show(prefix)
    if mode == EXISTING:
        text = st.text_input("Rechercher (nom, SIREN, e-mail, téléphone)", key=f"{prefix}.search")
        found = search_parties(actor, text, limit=50, creditors_only=creditors_only)
        if not found:
            st.info("Aucune partie trouvée : affinez la recherche ou créez-la.")
            return None, None
        chosen = st.selectbox(
            "Partie",
            found,
            format_func=_describe,
            key=f"{prefix}.pick",
            index=None,
            placeholder="Choisissez…",
        )
        return (chosen.id if chosen else None), None
    return None, party_fields(prefix, errors)


def party_fields(prefix: str, errors: FormErrors) -> PartyInput:
    def text(label: str, name: str, **kwargs: object) -> str:
        value = st.text_input(label, key=f"{prefix}.{name}", **kwargs)  # type: ignore[arg-type]
        errors.show(f"{prefix}.{name}")
        return value

    kind = st.radio(
        "Type",
        [PartyKind.COMPANY, PartyKind.PERSON],
        format_func=lambda k: k.label,
        key=f"{prefix}.kind",
        horizontal=True,
    )
    values: dict[str, str] = {}
    if kind == PartyKind.COMPANY:
        values["company_name"] = text("Raison sociale", "company_name")
        c1, c2, c3 = st.columns(3)
        with c1:
            values["siren"] = text("SIREN", "siren")
        with c2:
            values["siret"] = text("SIRET", "siret")
        with c3:
            values["vat_number"] = text("N° TVA intracommunautaire", "vat_number")
        c1, c2 = st.columns(2)
        with c1:
            values["representative_name"] = text(
                "Représentant légal (nom)",
                "representative_name",
                max_chars=200,
                help="La personne qui agit pour la société : elle est nommée dans les "
                "courriers et le dossier contentieux.",
            )
        with c2:
            values["representative_role"] = text(
                "Qualité du représentant",
                "representative_role",
                max_chars=150,
                placeholder="gérant, président, directeur général…",
            )
    else:
        c1, c2, c3 = st.columns(3)
        with c1:
            values["last_name"] = text("Nom", "last_name")
        with c2:
            values["first_name"] = text("Prénom", "first_name")
        with c3:
            # A sole trader, craftsman or liberal profession is a person with a SIREN.
            values["siren"] = text(
                "SIREN (entrepreneur individuel)",
                "siren",
                help="À remplir pour un commerçant, artisan ou professionnel libéral.",
            )
    values["address_line1"] = text("Adresse", "address_line1")
    values["address_line2"] = text("Complément d'adresse", "address_line2")
    c1, c2, c3 = st.columns([1, 2, 1])
    with c1:
        values["postcode"] = text("Code postal", "postcode")
    with c2:
        values["city"] = text("Ville", "city")
    with c3:
        values["country"] = text("Pays", "country", value="FR", max_chars=2)
    c1, c2 = st.columns(2)
    with c1:
        values["email"] = text("E-mail", "email")
    with c2:
        values["phone"] = text("Téléphone", "phone", help="Français par défaut ; +44… accepté.")
    values["iban"] = text("IBAN", "iban")
    return PartyInput(kind=kind, **{k: v or None for k, v in values.items()})  # type: ignore[arg-type]
