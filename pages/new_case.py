"""Nouveau dossier: creditor, debtor, claims, supporting files, assignee."""

from __future__ import annotations

import streamlit as st

from case_core.accounts import auth
from case_core.cases.intake import CaseInput, ClaimInput, FileInput, create_case
from case_core.cases.parties import DuplicateDebtor
from case_core.kernel.errors import CaseError, ValidationError
from case_core.models import DebtorKind, DocumentKind, PartyKind
from case_core.statement.creditor import creditor_consequences
from pages.components.form_errors import FormErrors
from pages.components.party_form import PARTY_FIELDS, pick_or_create_party
from pages.components.session import current_actor, flash, show_case_error

MAX_CLAIMS = 30
DUPLICATES_KEY = "_new_case_duplicates"
CLAIM_FIELDS = ("invoice_number", "issue_date", "due_date", "amount", "description")

actor = current_actor()
errors = FormErrors("new_case")
st.title("Nouveau dossier")

left, right = st.columns(2)
with left:
    st.subheader("Créancier")
    creditor_id, creditor = pick_or_create_party(actor, "creditor", "Créancier", errors)
    creditor_professional = st.radio(
        "Le créancier agit pour des besoins professionnels",
        [True, False],
        format_func=lambda v: (
            "Oui : société, commerçant, artisan, profession libérale (même en nom propre)"
            if v
            else "Non : particulier, ou organisme hors de toute activité professionnelle"
        ),
        key="creditor_professional",
        help="Décide du taux d'intérêt légal (CMF L313-2) et de la prescription de 2 ans "
        "d'une créance d'un professionnel sur un consommateur (Code de la consommation L218-2).",
    )
with right:
    st.subheader("Débiteur")
    debtor_id, debtor = pick_or_create_party(actor, "debtor", "Débiteur", errors)
    debtor_kind = st.radio(
        "Le débiteur est",
        [DebtorKind.PROFESSIONAL, DebtorKind.CONSUMER],
        format_func=lambda k: k.label,
        key="debtor_kind",
        horizontal=True,
        help="Décide des règles d'intérêts (L441-10 ou taux légal) et de prescription.",
    )
    errors.show("debtor_kind")
st.info(
    creditor_consequences(
        bool(creditor_professional),
        debtor_kind,
        None if creditor is None else creditor.kind == PartyKind.PERSON,
    ),
    icon=":material/gavel:",
)

st.subheader("Factures")
count = int(
    st.number_input("Nombre de factures", min_value=1, max_value=MAX_CLAIMS, key="claim_count")
)
errors.show("claims")
claims: list[ClaimInput] = []
for i in range(count):
    c1, c2, c3, c4, c5 = st.columns([2, 2, 2, 2, 3])
    with c1:
        number = st.text_input("N° facture", key=f"claim.{i}.invoice_number")
        errors.show(f"claims[{i}].invoice_number")
    with c2:
        issued = st.date_input(
            "Date de facture", value=None, format="DD/MM/YYYY", key=f"claim.{i}.issue_date"
        )
        errors.show(f"claims[{i}].issue_date")
    with c3:
        due = st.date_input(
            "Date d'échéance", value=None, format="DD/MM/YYYY", key=f"claim.{i}.due_date"
        )
        errors.show(f"claims[{i}].due_date")
    with c4:
        amount = st.text_input("Montant TTC (€)", key=f"claim.{i}.amount", placeholder="1 234,56")
        errors.show(f"claims[{i}].amount")
    with c5:
        description = st.text_input("Description", key=f"claim.{i}.description")
        errors.show(f"claims[{i}].description")
    claims.append(ClaimInput(number, issued or "", due or "", amount, description))

st.subheader("Pièces justificatives")
uploads = (
    st.file_uploader(
        "Facture, contrat, bon de commande (PDF, PNG ou JPEG)",
        type=["pdf", "png", "jpg", "jpeg"],
        accept_multiple_files=True,
        key="new_case_files",
    )
    or []
)
for i in range(len(uploads)):
    errors.show(f"files[{i}]")

users = auth.assignable_users(actor)
ids = [None, *[u.id for u in users]]
names = {u.id: u.full_name for u in users}
assignee_id = st.selectbox(
    "Chargé de dossier",
    ids,
    index=ids.index(actor.id) if actor.id in ids else 0,
    format_func=lambda i: "Non attribué" if i is None else names[i],
    key="assignee_id",
)
errors.show("assignee_id")

known = {
    "creditor",
    "debtor",
    "debtor_kind",
    "claims",
    "assignee_id",
    *(f"{p}.{f}" for p in ("creditor", "debtor") for f in PARTY_FIELDS),
    *(f"claims[{i}].{f}" for i in range(count) for f in CLAIM_FIELDS),
    *(f"files[{i}]" for i in range(len(uploads))),
}
errors.show_rest(known)


def submit(confirm_duplicate: bool) -> None:
    data = CaseInput(
        debtor_kind=debtor_kind,
        claims=claims,
        creditor_id=creditor_id,
        creditor=creditor,
        debtor_id=debtor_id,
        debtor=debtor,
        creditor_professional=bool(creditor_professional),
        files=[FileInput(u.name, u.getvalue(), DocumentKind.INVOICE) for u in uploads],
        assignee_id=assignee_id,
        confirm_duplicate=confirm_duplicate,
    )
    try:
        view = create_case(actor, data)
    except DuplicateDebtor as exc:
        errors.clear()
        st.session_state[DUPLICATES_KEY] = exc.matches
        st.rerun()
    except ValidationError as exc:
        errors.set(exc.errors)
        st.session_state.pop(DUPLICATES_KEY, None)
        st.rerun()
    except CaseError as exc:
        show_case_error(exc)
        return
    errors.clear()
    st.session_state.pop(DUPLICATES_KEY, None)
    st.session_state["case_ref"] = view.reference
    flash(f"Dossier {view.reference} créé.")
    st.switch_page("pages/case.py", query_params={"case": view.reference})


matches = st.session_state.get(DUPLICATES_KEY)
if errors.errors:
    st.error("Le dossier n'a pas été créé : corrigez les champs signalés.")
if matches:
    st.warning(
        "Ce débiteur ressemble à un débiteur existant. Ouvrez le dossier existant "
        "ou confirmez la création d'un nouveau débiteur."
    )
    for m in matches:
        st.markdown(f"**{m.party.display_name}** — {', '.join(m.reasons)}")
        for ref in m.open_case_references:
            if st.button(f"Ouvrir le dossier existant {ref}", key=f"open_{ref}"):
                st.session_state.pop(DUPLICATES_KEY, None)
                st.switch_page("pages/case.py", query_params={"case": ref})
    c1, c2 = st.columns(2)
    if c1.button("Créer quand même", type="primary", key="confirm_duplicate"):
        submit(confirm_duplicate=True)
    if c2.button("Revenir au formulaire", key="back_to_form"):
        st.session_state.pop(DUPLICATES_KEY, None)
        st.rerun()
elif st.button("Créer le dossier", type="primary", key="create_case"):
    submit(confirm_duplicate=False)
