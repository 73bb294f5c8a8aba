"""Courriers en masse: the cases chosen are listed, the user confirms, then one letter
per case, as a ZIP, with a progress bar."""

from __future__ import annotations

import hashlib

import streamlit as st

from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.money import format_cents
from case_core.letters.bulk import (
    LETTER_PHASES,
    MAX_BULK_CASES,
    BulkSelection,
    select_by_filter,
    select_by_references,
    split_references,
)
from case_core.letters.service import LetterKind, generate_letters, sender_missing
from case_core.models import Phase
from pages.components.session import current_actor, reporting_errors

RESULT_KEY = "_bulk_letters"

actor = current_actor()
st.title("Courriers en masse")
st.caption(
    "Chaque dossier est traité séparément : le courrier est enregistré dans ses documents "
    "et son journal ; un dossier en erreur (contestation en cours, dossier clos…) est "
    "signalé sans bloquer les autres. Un dossier dont une facture est prescrite ou dont "
    "l'échéancier accepté est en cours est signalé en erreur : traitez-le depuis sa fiche."
)
missing = sender_missing()
if missing:
    st.warning(missing)

source = st.radio(
    "Dossiers", ["Par filtres", "Références collées"], horizontal=True, key="bulk_src"
)
selection: BulkSelection | None = None
with reporting_errors():
    if source == "Références collées":
        pasted = st.text_area(
            "Références (une par ligne, ou séparées par des virgules)",
            key="bulk_refs",
            placeholder="2026-000123\n2026-000124",
        )
        selection = select_by_references(actor, split_references(pasted))
    else:
        c1, c2, c3 = st.columns(3)
        scope = c1.selectbox(
            "Dossiers de",
            ["mine", "all"],
            format_func=lambda s: (
                "Moi (dossiers qui me sont attribués)" if s == "mine" else "Toute l'équipe"
            ),
            key="bulk_scope",
        )
        phases = c2.multiselect(
            "Phases",
            list(LETTER_PHASES),
            default=[Phase.AMIABLE],
            format_func=lambda p: p.label,
            placeholder="Choisissez une phase",
            select_all=False,
            key="bulk_phases",
        )
        min_days = c3.number_input("Retard minimum (jours)", min_value=0, value=30, key="bulk_days")
        selection = select_by_filter(
            actor,
            phases,
            int(min_days) or None,
            assignee_id=actor.id if scope == "mine" else None,
        )

references = selection.references if selection else []
if selection is not None:
    if selection.unknown:
        st.warning("Références inconnues, ignorées : " + ", ".join(selection.unknown))
    if selection.capped:
        st.warning(
            f"{selection.total} dossiers : seuls les {MAX_BULK_CASES} premiers (par référence) "
            "sont retenus ; affinez les filtres pour les autres."
        )
    st.write(f"**{len(references)} dossier(s)** recevront le courrier :")
    if references:
        st.dataframe(
            [
                {
                    "Référence": c.reference,
                    "Débiteur": c.debtor_name,
                    "Phase": c.phase.label,
                    "Solde hors intérêts": format_cents(c.balance_cents),
                    "Échéance la plus ancienne": format_date(c.oldest_due_date),
                }
                for c in selection.candidates
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "Solde hors intérêts": st.column_config.TextColumn(alignment="right"),
            },
        )

kind = st.selectbox("Courrier", list(LetterKind), format_func=lambda k: k.label, key="bulk_kind")
at = today_paris()
st.caption(f"Les courriers sont datés du jour ({format_date(at)}).")
# The confirmation belongs to this letter, this date and these cases: changing any of
# them asks again (a formal notice never goes out under a reminder's confirmation).
fingerprint = hashlib.sha256(f"{kind}|{at}|{','.join(references)}".encode()).hexdigest()[:16]
confirmed = st.checkbox(
    f"Je confirme l'envoi du courrier « {LetterKind(kind).label} » aux "
    f"{len(references)} dossier(s) listés.",
    key=f"bulk_confirm_{fingerprint}",
    disabled=not references or bool(missing),
)
if st.button(
    f"Générer {len(references)} courrier(s)",
    type="primary",
    disabled=not references or bool(missing) or not confirmed,
):
    bar = st.progress(0.0, text="Génération…")

    def _progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{done} / {total}")

    with reporting_errors():
        result = generate_letters(actor, references, LetterKind(kind), progress=_progress)
        st.session_state[RESULT_KEY] = result
        del st.session_state[f"bulk_confirm_{fingerprint}"]
        st.rerun()
result = st.session_state.get(RESULT_KEY)
if result is not None:
    st.success(f"{len(result.generated)} courrier(s) généré(s).")
    if result.failures:
        # Full messages, one per line: a table would cut them.
        st.error(
            f"{len(result.failures)} dossier(s) en erreur :\n\n"
            + "\n".join(f"- **{ref}** : {message}" for ref, message in result.failures)
        )
    st.download_button(
        "Télécharger le ZIP",
        result.zip_bytes,
        file_name=f"courriers_{today_paris():%Y%m%d}.zip",
        mime="application/zip",
    )
