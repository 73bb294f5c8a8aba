"""Annuaire: the commissaires de justice and avocats cases are handed over to (managers)."""

from __future__ import annotations

import streamlit as st

from case_core.dossiers.directory import (
    PAGE_SIZE,
    RecipientInput,
    RecipientView,
    create_recipient,
    list_recipients,
    set_recipient_active,
    update_recipient,
)
from case_core.kernel.actor import Actor
from case_core.kernel.errors import CaseError, ValidationError
from case_core.models import RecipientKind
from pages.components.form_errors import FormErrors
from pages.components.session import (
    current_actor,
    flash,
    reporting_errors,
    show_case_error,
    show_flash,
)

FIELDS = ("kind", "name", "office", "address_line1", "address_line2", "postcode", "city")
FILTERS_KEY = "_directory_filters"
KINDS: list[RecipientKind | None] = [None, RecipientKind.COMMISSAIRE, RecipientKind.AVOCAT]

actor = current_actor()
st.title("Annuaire")
st.caption("Commissaires de justice et avocats auxquels les dossiers sont transmis.")
show_flash()


def recipient_form(actor: Actor, key: str, current: RecipientView | None) -> None:
    """The add form (current None) or the edit form of one recipient."""
    errors = FormErrors(key)
    with st.form(key):
        kinds = list(RecipientKind)
        kind = st.radio(
            "Type",
            kinds,
            index=kinds.index(current.kind) if current else 0,
            format_func=lambda k: k.label,
            horizontal=True,
        )
        errors.show("kind")
        c1, c2 = st.columns(2)
        name = c1.text_input("Nom *", value=current.name if current else "", max_chars=200)
        errors.show("name")
        office = c2.text_input(
            "Étude ou cabinet", value=(current.office or "") if current else "", max_chars=300
        )
        errors.show("office")
        line1 = st.text_input(
            "Adresse", value=(current.address_line1 or "") if current else "", max_chars=300
        )
        errors.show("address_line1")
        line2 = st.text_input(
            "Complément d'adresse",
            value=(current.address_line2 or "") if current else "",
            max_chars=300,
        )
        c3, c4 = st.columns([1, 3])
        postcode = c3.text_input(
            "Code postal", value=(current.postcode or "") if current else "", max_chars=10
        )
        errors.show("postcode")
        city = c4.text_input("Ville", value=(current.city or "") if current else "", max_chars=150)
        c5, c6 = st.columns(2)
        email = c5.text_input("E-mail", value=(current.email or "") if current else "")
        errors.show("email")
        phone = c6.text_input("Téléphone", value=current.phone_display if current else "")
        errors.show("phone")
        label = "Enregistrer les modifications" if current else "Ajouter au répertoire"
        submitted = st.form_submit_button(label, type="primary")
    errors.show_rest(set(FIELDS) | {"email", "phone"})
    if not submitted:
        return
    data = RecipientInput(kind, name, office, line1, line2, postcode, city, email, phone)
    try:
        if current is None:
            view = create_recipient(actor, data)
            message = f"« {view.name} » ajouté à l'annuaire."
        else:
            view = update_recipient(actor, current.id, data, current.version)
            message = f"« {view.name} » modifié."
    except ValidationError as exc:
        # Shown beside each field on the rerun, the form keeping what was typed.
        errors.set(exc.errors)
        st.rerun()
    except CaseError as exc:
        show_case_error(exc)
        return
    errors.clear()
    flash(message)
    st.rerun()


filters = st.session_state.setdefault(FILTERS_KEY, {"kind": None, "search": "", "page": 0})
c1, c2, c3 = st.columns([1, 2, 1])
kind = c1.selectbox(
    "Type",
    KINDS,
    index=KINDS.index(filters["kind"]),
    format_func=lambda k: "Tous" if k is None else k.label,
)
search = c2.text_input("Rechercher (nom, étude, ville)", value=filters["search"])
inactive = c3.checkbox("Afficher les inactifs", value=filters.get("inactive", False))
if (kind, search, inactive) != (filters["kind"], filters["search"], filters.get("inactive")):
    filters.update(kind=kind, search=search, inactive=inactive, page=0)

with reporting_errors():
    page = list_recipients(
        actor,
        kind=kind,
        search=search,
        include_inactive=inactive,
        page=filters["page"],
        page_size=PAGE_SIZE,
    )
    if not page.rows:
        st.info("Aucun destinataire. Ajoutez-en un ci-dessous.")
    else:
        st.dataframe(
            [
                {
                    "N°": r.id,
                    "Type": r.kind.label,
                    "Nom": r.name,
                    "Étude / cabinet": r.office or "",
                    "Adresse": r.address,
                    "E-mail": r.email or "",
                    "Téléphone": r.phone_display,
                    "Actif": "oui" if r.active else "non",
                }
                for r in page.rows
            ],
            hide_index=True,
            width="stretch",
        )
        pages = page.pages
        st.caption(f"{page.total} destinataire(s) — page {page.page + 1} sur {pages}")
        p1, p2, _ = st.columns([1, 1, 4])
        if p1.button("Précédente", disabled=page.page == 0):
            filters["page"] = page.page - 1
            st.rerun()
        if p2.button("Suivante", disabled=page.page + 1 >= pages):
            filters["page"] = page.page + 1
            st.rerun()

        chosen = st.selectbox(
            "Modifier un destinataire",
            page.rows,
            format_func=lambda r: r.label,
            index=None,
            placeholder="Choisissez un destinataire",
            key="directory_pick",
        )
        if chosen is not None:
            with st.expander(f"Modifier « {chosen.name} »", expanded=True):
                recipient_form(actor, f"recipient_edit_{chosen.id}", chosen)
                action = "Réactiver" if not chosen.active else "Désactiver"
                if st.button(action, key=f"recipient_toggle_{chosen.id}"):
                    with reporting_errors():
                        set_recipient_active(actor, chosen.id, not chosen.active, chosen.version)
                        flash(
                            f"« {chosen.name} » {'réactivé' if not chosen.active else 'désactivé'}."
                        )
                        st.rerun()

with st.expander("Ajouter un destinataire", expanded=False):
    recipient_form(actor, "recipient_add", None)
