"""Dossier: one case whole — header figures, tabs, and the actions on it.

Deep link: ?case=2026-000123. Each action form sends the case version the user saw, so a
save over someone else's change is refused with "rechargez la page" and the form keeps
what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from case_core.accounts import auth
from case_core.cases.attachments import case_documents, upload_document
from case_core.cases.detail import case_claims, case_history, case_view
from case_core.cases.intake import ClaimInput, add_claim
from case_core.cases.lifecycle import (
    REOPEN_TO,
    change_phase,
    close_case,
    reassign,
    reopen_case,
    set_next_action,
)
from case_core.documents.store import get_document_content
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, format_instant, today_paris
from case_core.kernel.errors import CaseError, NotFound
from case_core.kernel.money import format_cents, format_size
from case_core.kernel.permissions import Perm, can
from case_core.models import ClosureReason, DocumentKind, Phase
from case_core.privacy.hold import legal_hold, lift_legal_hold, set_legal_hold
from pages.components.handover import render_handover, render_holder
from pages.components.journal_tab import render_journal_tab
from pages.components.letters_tab import render_letters_tab
from pages.components.mediation_tab import render_mediation_tab
from pages.components.payments_tab import render_payments_tab
from pages.components.plan_tab import render_plan_tab
from pages.components.session import (
    RATES_REVISION_KEY,
    current_actor,
    flash,
    reporting_errors,
    show_flash,
)
from pages.components.statement_tab import (
    HeaderFigures,
    ScreenStatement,
    render_statement_tab,
    screen_statement,
)

VERSIONS_KEY = "_case_versions"

actor = current_actor()
reference = st.query_params.get("case") or st.session_state.get("case_ref")

if not reference:
    st.title("Dossier")
    typed = st.text_input("Référence du dossier", placeholder="2026-000123")
    if typed:
        st.query_params["case"] = typed.strip()
        st.rerun()
    st.info("Ouvrez un dossier depuis la liste « Dossiers » ou saisissez sa référence.")
    st.stop()

try:
    detail = case_view(actor, reference)
except NotFound as exc:
    st.title("Dossier")
    st.error(exc.message)
    st.stop()
except CaseError as exc:
    st.error(exc.message)
    st.stop()

st.session_state["case_ref"] = detail.reference
# The version this user saw before this run: what every action below is based on.
versions: dict[str, int] = st.session_state.setdefault(VERSIONS_KEY, {})
seen_version = versions.get(detail.reference, detail.version)
versions[detail.reference] = detail.version


def _done(message: str, new_version: int, clear: tuple[str, ...] = ()) -> None:
    """After a successful action: the new version, the message, and the action's form
    emptied (its widget keys start with one of `clear`); a refused one keeps its input."""
    versions[detail.reference] = new_version
    if clear:
        for key in [k for k in st.session_state if str(k).startswith(clear)]:
            del st.session_state[key]
    flash(message)
    st.rerun()


# --- header --------------------------------------------------------------------------

st.title(f"Dossier {detail.reference}")
show_flash()
st.markdown(
    f"**{detail.creditor.display_name}** contre **{detail.debtor.display_name}** "
    f"({detail.debtor_kind.label.lower()})"
)
# As text, not a metric: a metric's large font cuts a full name (« Hugo Recou… »).
st.markdown(f"Chargé de dossier : **{detail.assignee_name or 'non attribué'}**")
phase_text = detail.phase.label
if detail.closure_reason:
    phase_text += f" — {detail.closure_reason.label}"
cols = st.columns([2, 2, 1])
cols[0].metric("Phase", phase_text)
cols[1].metric("Échéance la plus ancienne", format_date(detail.oldest_due_date) or "—")
cols[2].metric("Jours de retard", detail.days_overdue)
# Today's amount due: computed at most once per run, and kept (two figures) while the
# case, the rate table and the day are the same, so that the header costs no statement
# on a rerun; the Décompte tab opened at today's date reuses a statement computed here.
HEADER_KEY = "_case_header_figures"
header_key = (
    detail.reference,
    detail.version,
    today_paris(),
    st.session_state.get(RATES_REVISION_KEY),
)
kept = st.session_state.get(HEADER_KEY)
today_statement: ScreenStatement | None = None
if kept is not None and kept[0] == header_key:
    figures: HeaderFigures = kept[1]
else:
    today_statement = screen_statement(actor, detail.reference, today_paris())
    figures = HeaderFigures.of(today_statement)
    st.session_state[HEADER_KEY] = (header_key, figures)
suffix = " (provisoire)" if figures.provisional else ""
cols = st.columns(4)
cols[0].metric("Principal facturé", format_cents(detail.principal_cents))
cols[1].metric("Payé", format_cents(detail.paid_cents))
cols[2].metric(
    f"Dû aujourd'hui{suffix}",
    format_cents(figures.due_cents) if figures.due_cents is not None else "—",
    help="Principal, intérêts, indemnités forfaitaires et frais à la charge du débiteur, "
    "moins les paiements, au jour d'aujourd'hui : le « Solde dû » de l'onglet Décompte."
    if figures.due_cents is not None
    else "Le décompte ne peut pas être calculé : voir l'onglet Décompte.",
)
cols[3].metric("Prescription", format_date(detail.limitation_date) or "—")
if figures.principal_left_cents is not None:
    # Payments go to interest before principal (Code civil 1343-1): what remains of the
    # principal is not « principal − payé ».
    st.caption(
        f"Dont principal restant dû : {format_cents(figures.principal_left_cents)} — les "
        "paiements "
        "s'imputent d'abord sur les intérêts (article 1343-1 du code civil)."
    )
if detail.next_action_date or detail.next_action_note:
    st.caption(
        f"Prochaine action : {format_date(detail.next_action_date)} "
        f"{detail.next_action_note or ''}".strip()
    )
referrals = render_holder(actor, detail.reference)


# --- tabs ----------------------------------------------------------------------------


def render_claims_tab(viewer: Actor, ref: str) -> None:
    st.dataframe(
        [
            {
                "N° facture": c.invoice_number,
                "Date": format_date(c.issue_date),
                "Échéance": format_date(c.due_date),
                "Montant TTC": format_cents(c.principal_cents),
                "Intérêts": c.interest_regime.label,
                "Description": c.description or "",
            }
            for c in case_claims(viewer, ref)
        ],
        hide_index=True,
        width="stretch",
    )


def render_documents_tab(viewer: Actor, ref: str) -> None:
    documents = case_documents(viewer, ref)
    if not documents:
        st.info("Aucun document.")
        return
    st.dataframe(
        [
            {
                "Fichier": doc.filename,
                "Type": doc.kind.label,
                "Taille": format_size(doc.size_bytes),
                "Ajouté le": format_instant(doc.created_at),
                "Généré": "oui" if doc.generated else "non",
                "SHA-256": doc.sha256,
            }
            for doc in documents
        ],
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox(
        "Télécharger", documents, format_func=lambda doc: doc.filename, key="doc_pick"
    )
    if chosen is not None and st.button("Préparer le téléchargement", key="doc_prepare"):
        with reporting_errors():
            content = get_document_content(viewer, chosen.id)
            st.download_button(
                f"Télécharger {content.filename}",
                content.content,
                file_name=content.filename,
                mime=content.mime_type,
                key="doc_download",
            )


def render_history_tab(viewer: Actor, ref: str) -> None:
    st.dataframe(
        [
            {
                "Quand": format_instant(h.occurred_at),
                "Qui": h.actor_label,
                "Action": h.action_label,
                "Changements": h.summary,
            }
            for h in case_history(viewer, ref)
        ],
        hide_index=True,
        width="stretch",
    )


# One line per tab; other capabilities add theirs: (title, renderer(actor, reference)).
TABS: list[tuple[str, Callable[[Actor, str], None]]] = [
    ("Créances", render_claims_tab),
    ("Décompte", lambda viewer, ref: render_statement_tab(viewer, ref, today_statement)),
    ("Documents", render_documents_tab),
    ("Échéancier", render_plan_tab),
    ("Paiements", render_payments_tab),
    ("Journal", render_journal_tab),
    ("Courriers", render_letters_tab),
    ("Médiation", render_mediation_tab),
]
# The history shows before/after values of contact data and bank details: audit readers only.
if can(actor, Perm.AUDIT_READ):
    TABS.append(("Historique", render_history_tab))

# Keyed and stateful: the open tab is a widget value, so an action's rerun keeps it
# instead of jumping back to the first tab.
CASE_TAB_KEY = "case_tab"
case_tabs = st.tabs([t for t, _ in TABS], key=CASE_TAB_KEY, on_change="rerun")
for tab, (_title, render) in zip(case_tabs, TABS, strict=True):
    # Only the open tab runs: a tab's figures (statement, plans, journal) cost queries.
    if tab.open:
        with tab, reporting_errors():
            render(actor, detail.reference)


# --- actions -------------------------------------------------------------------------

ACTION_PERMS = (
    Perm.CASES_PHASE,
    Perm.CASES_ASSIGN,
    Perm.CASES_CLOSE,
    Perm.CASES_EDIT,
    Perm.DOCUMENTS_UPLOAD,
    Perm.DOSSIERS_GENERATE,
)
# A role with no action on the case (a viewer) sees no empty « Actions » heading; the
# hand-over section still shows a case's referrals to everyone.
if referrals or any(can(actor, perm) for perm in ACTION_PERMS):
    st.subheader("Actions")
ref = detail.reference

if can(actor, Perm.CASES_PHASE) and detail.allowed_phases:
    with st.expander("Changer de phase"), st.form("change_phase"):
        target = st.selectbox(
            "Nouvelle phase",
            detail.allowed_phases,
            format_func=lambda p: p.label,
            key="phase_target",
        )
        if st.form_submit_button("Changer de phase", key="phase_submit"):
            with reporting_errors():
                state = change_phase(actor, ref, target, seen_version)
                _done(f"Phase : {state.phase.label}.", state.version)

if can(actor, Perm.CASES_ASSIGN):
    users = auth.assignable_users(actor)
    ids = [None, *[u.id for u in users]]
    names = {u.id: u.full_name for u in users}
    with st.expander("Réattribuer"), st.form("reassign"):
        chosen_id = st.selectbox(
            "Chargé de dossier",
            ids,
            index=ids.index(detail.assignee_id) if detail.assignee_id in ids else 0,
            format_func=lambda i: "Non attribué" if i is None else names[i],
        )
        if st.form_submit_button("Réattribuer", key="reassign_submit"):
            with reporting_errors():
                state = reassign(actor, ref, chosen_id, seen_version)
                _done("Dossier réattribué.", state.version)

if can(actor, Perm.CASES_CLOSE):
    if detail.phase != Phase.CLOSED:
        with st.expander("Clore le dossier"), st.form("close_case"):
            reason = st.selectbox(
                "Motif", list(ClosureReason), format_func=lambda r: r.label, key="close_reason"
            )
            note = st.text_area("Note", max_chars=500)
            if st.form_submit_button("Clore le dossier", key="close_submit"):
                with reporting_errors():
                    state = close_case(actor, ref, reason, note, seen_version)
                    _done(f"Dossier clos ({reason.label}).", state.version)
    else:
        with st.expander("Rouvrir le dossier"), st.form("reopen_case"):
            to_phase = st.selectbox("Rouvrir en", list(REOPEN_TO), format_func=lambda p: p.label)
            if st.form_submit_button("Rouvrir"):
                with reporting_errors():
                    state = reopen_case(actor, ref, to_phase, seen_version)
                    _done(f"Dossier rouvert en {to_phase.label}.", state.version)

if can(actor, Perm.CASES_CLOSE):
    hold = legal_hold(actor, ref)
    if hold.held:
        st.warning(
            f"Conservation légale depuis le {format_instant(hold.since)} : {hold.reason}. "
            "Aucune purge ni aucun effacement ne touche ce dossier."
        )
    title = "Lever la conservation légale" if hold.held else "Conservation légale"
    with st.expander(title), st.form("legal_hold"):
        hold_reason = st.text_area(
            "Motif de la levée" if hold.held else "Motif (litige, demande d'une autorité…)",
            max_chars=500,
            key="legal_hold_reason",
        )
        if st.form_submit_button(title, key="legal_hold_submit"):
            with reporting_errors():
                if hold.held:
                    done = lift_legal_hold(actor, ref, hold_reason, seen_version)
                    _done("Conservation légale levée.", done.version)
                else:
                    done = set_legal_hold(actor, ref, hold_reason, seen_version)
                    _done("Dossier placé sous conservation légale.", done.version)

if can(actor, Perm.CASES_EDIT) and detail.phase != Phase.CLOSED:
    with st.expander("Prochaine action"), st.form("next_action"):
        when = st.date_input("Date", value=detail.next_action_date, format="DD/MM/YYYY")
        what = st.text_input("Quoi", value=detail.next_action_note or "", max_chars=500)
        if st.form_submit_button("Enregistrer la prochaine action"):
            with reporting_errors():
                state = set_next_action(actor, ref, when, what, seen_version)
                _done("Prochaine action enregistrée.", state.version)

    with st.expander("Ajouter une facture"), st.form("add_claim"):
        c1, c2, c3, c4 = st.columns(4)
        number = c1.text_input("N° facture", key="claim_number")
        issued = c2.date_input(
            "Date de facture", value=None, format="DD/MM/YYYY", key="claim_issue"
        )
        due = c3.date_input("Date d'échéance", value=None, format="DD/MM/YYYY", key="claim_due")
        amount = c4.text_input("Montant TTC (€)", placeholder="1 234,56", key="claim_amount")
        description = st.text_input("Description", key="claim_description")
        if st.form_submit_button("Ajouter la facture", key="claim_submit"):
            with reporting_errors():
                view = add_claim(
                    actor,
                    ref,
                    ClaimInput(number, issued or "", due or "", amount, description),
                    seen_version,
                )
                _done(f"Facture {number.strip()} ajoutée.", view.version, clear=("claim_",))

if can(actor, Perm.DOCUMENTS_UPLOAD):
    with st.expander("Ajouter un document"), st.form("upload_document"):
        kind = st.selectbox(
            "Type de document",
            [DocumentKind.INVOICE, DocumentKind.CONTRACT, DocumentKind.ORDER, DocumentKind.OTHER],
            format_func=lambda k: k.label,
        )
        upload = st.file_uploader(
            "Fichier (PDF, PNG ou JPEG)", type=["pdf", "png", "jpg", "jpeg"], key="doc_file"
        )
        if st.form_submit_button("Ajouter le document", key="doc_submit"):
            if upload is None:
                st.error("Choisissez un fichier.")
            else:
                with reporting_errors():
                    doc = upload_document(
                        actor, ref, upload.name, upload.getvalue(), kind, seen_version
                    )
                    _done(f"Document « {doc.filename} » ajouté.", seen_version + 1, ("doc_file",))

render_handover(actor, ref, detail.phase, seen_version, referrals, _done)
