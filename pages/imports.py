"""Import: invoices from a CSV/XLSX file, or open receivables from a FEC."""

from __future__ import annotations

import hashlib

import streamlit as st

from case_core.cases.parties import search_creditors
from case_core.imports.fec import DEFAULT_TERM_DAYS, FecAnalysis, analyse_fec, import_fec
from case_core.imports.invoices import (
    FIELDS,
    import_invoices,
    list_mappings,
    locate_header,
    preview,
    recognise_headers,
    rejected_rows_csv,
    save_mapping,
)
from case_core.imports.tabular import Table, read_table, write_csv
from case_core.imports.writer import ImportReport, Progress
from case_core.kernel.money import format_cents
from case_core.models import DebtorKind
from case_core.statement.creditor import import_creditor_note
from pages.components.session import current_actor, flash, reporting_errors, show_flash

NOT_MAPPED = "— (non importée)"
AUTO = "Reconnaissance automatique des en-têtes"
KIND_CHOICES: dict[str, DebtorKind | None] = {
    "Selon la colonne « Type de débiteur », sinon le SIREN": None,
    "Professionnels": DebtorKind.PROFESSIONAL,
    "Particuliers (consommateurs)": DebtorKind.CONSUMER,
}
REPORT_KEY = "import_report"

actor = current_actor()
st.title("Import")
show_flash()


def _show_report(report: ImportReport, rejected_csv: bytes | None) -> None:
    st.success(report.summary)
    cols = st.columns(4)
    cols[0].metric("Créées", report.created)
    cols[1].metric("Mises à jour", report.updated)
    cols[2].metric("Inchangées", report.unchanged)
    cols[3].metric("Rejetées", report.rejected)
    if report.errors:
        st.warning(f"{report.rejected} ligne(s) rejetée(s) : corrigez-les puis importez à nouveau.")
        st.dataframe(
            [{"Ligne": e.row, "Colonne": e.column, "Motif": e.reason} for e in report.errors],
            hide_index=True,
            width="stretch",
        )
        if rejected_csv:
            st.download_button(
                "Télécharger les lignes rejetées (CSV)",
                rejected_csv,
                file_name="lignes_rejetees.csv",
                mime="text/csv",
            )


# Reruns (each widget change) reuse what was read from the same bytes; the cache is per
# process and short-lived since files hold personal data.
@st.cache_data(max_entries=4, ttl=900, show_spinner="Lecture du fichier…")
def _read_invoices(data: bytes, name: str) -> Table:
    return locate_header(read_table(data, name))


@st.cache_data(max_entries=4, ttl=900, show_spinner="Analyse du FEC…")
def _read_fec(data: bytes, name: str) -> FecAnalysis:
    return analyse_fec(data, name)


def _progress_callback(label: str) -> Progress:
    bar = st.progress(0.0, text=label)

    def update(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{label} : {done} / {total}")

    return update


with reporting_errors():
    needle = st.text_input("Rechercher le créancier (nom ou SIREN)", key="creditor_search")
    creditors = search_creditors(actor, needle)
    if not creditors:
        st.info(
            "Aucun créancier trouvé : affinez la recherche, ou créez le créancier en ouvrant "
            "son premier dossier depuis « Nouveau dossier »."
        )
        st.stop()
    # No preselection: importing into the wrong creditor mixes two companies' claims.
    creditor = st.selectbox(
        "Créancier",
        creditors,
        index=None,
        placeholder="Choisissez le créancier…",
        format_func=lambda p: f"{p.display_name} — SIREN {p.siren or 'non renseigné'}",
        key="creditor_pick",
    )
    if creditor is None:
        st.info("Choisissez le créancier pour lequel les factures sont importées.")
        st.stop()
    st.info(import_creditor_note(creditor.kind, creditor.siren), icon=":material/gavel:")
    kind_of_file = st.radio(
        "Fichier",
        ["Factures (CSV ou XLSX)", "FEC (fichier des écritures comptables)"],
        key="import_kind",
    )
    is_fec = kind_of_file.startswith("FEC")
    upload = st.file_uploader(
        "Déposez le fichier",
        type=["txt", "csv", "tsv"] if is_fec else ["csv", "txt", "xlsx"],
        key="fec_upload" if is_fec else "invoice_upload",
    )
    if upload is None:
        st.stop()
    data = upload.getvalue()
    file_id = hashlib.sha256(data).hexdigest()[:12]
    # The last report stays on screen across reruns (e.g. the download) for this file only.
    last = st.session_state.get(REPORT_KEY)
    last_report = last[1:] if last and last[0] == file_id else None

    if is_fec:
        analysis = _read_fec(data, upload.name)
        st.caption(
            f"{analysis.lines_read} écritures, dont {analysis.receivable_lines} sur des comptes "
            f"clients 411 ; {len(analysis.items)} pièces ouvertes chez "
            f"{len(analysis.customers)} clients."
        )
        st.dataframe(
            [
                {
                    "Compte": account,
                    "Client": name,
                    "Pièces ouvertes": pieces,
                    "Montant ouvert": format_cents(cents),
                }
                for account, name, pieces, cents in analysis.per_customer()
            ],
            hide_index=True,
            width="stretch",
        )
        if analysis.credit_balances:
            st.info(
                "Clients créditeurs, rien à recouvrer : "
                + ", ".join(
                    f"{a} ({format_cents(c)})" for a, c in sorted(analysis.credit_balances.items())
                )
            )
        if analysis.errors:
            st.warning("Écritures illisibles (leurs clients ne sont pas importés) :")
            st.dataframe(
                [{"Ligne": e.row, "Colonne": e.column, "Motif": e.reason} for e in analysis.errors],
                hide_index=True,
            )
        term = st.number_input(
            "Délai de paiement (jours)",
            min_value=0,
            max_value=365,
            value=DEFAULT_TERM_DAYS,
            key="term_days",
        )
        st.caption(
            "Un FEC ne contient pas de date d'échéance : elle est fixée à la date de la pièce "
            f"plus ce délai ({int(term)} jours)."
        )
        with st.expander("Comment les montants ouverts sont calculés"):
            st.markdown(
                "- Seules les écritures des comptes clients **411** comptent ; le client est le "
                "compte auxiliaire (CompAuxNum).\n"
                "- Un groupe de lettrage équilibré est soldé ; un groupe déséquilibré et les "
                "écritures non lettrées restent ouverts.\n"
                "- Les écritures d'une même pièce (PieceRef) se compensent.\n"
                "- Les avoirs et règlements restants s'imputent d'abord sur les factures de "
                "leur groupe de lettrage, puis sur les plus anciennes factures du client.\n"
                "- Chaque facture restant due devient une créance du dossier du client, pour "
                "son solde."
            )
        fec_kind = st.selectbox(
            "Type des débiteurs", ["Professionnels", "Particuliers (consommateurs)"]
        )
        if st.button("Importer les créances ouvertes", type="primary", key="run_fec_import"):
            report = import_fec(
                actor,
                creditor.id,
                analysis,
                term_days=int(term),
                debtor_kind=KIND_CHOICES[fec_kind] or DebtorKind.PROFESSIONAL,
                progress=_progress_callback("Import"),
            )
            headers = ["Ligne", "Colonne", "Motif"]
            rows = [[str(e.row), e.column, e.reason] for e in report.errors]
            last_report = (report, write_csv(headers, rows) if rows else None)
            st.session_state[REPORT_KEY] = (file_id, *last_report)
        if last_report:
            _show_report(*last_report)
        st.stop()

    table: Table = _read_invoices(data, upload.name)
    st.caption(table.description)
    saved = {m.name: m.mapping for m in list_mappings(actor, creditor.id)}
    chosen = st.selectbox("Correspondance des colonnes", [AUTO, *saved], key="saved_mapping")
    initial = recognise_headers(table.headers) if chosen == AUTO else saved[chosen]
    st.subheader("Colonnes")
    options = [NOT_MAPPED, *table.headers]
    mapping: dict[str, str] = {}
    grid = st.columns(3)
    for position, field in enumerate(FIELDS):
        current = initial.get(field.key)
        with grid[position % 3]:
            picked = st.selectbox(
                field.label + (" *" if field.required else ""),
                options,
                index=options.index(current) if current in options else 0,
                key=f"map_{file_id}_{chosen}_{field.key}",
            )
        if picked != NOT_MAPPED:
            mapping[field.key] = picked
    default_kind = KIND_CHOICES[st.selectbox("Type des débiteurs", list(KIND_CHOICES))]
    with st.form("save_mapping"):
        name = st.text_input("Enregistrer cette correspondance sous le nom", key="mapping_name")
        if st.form_submit_button("Enregistrer la correspondance", key="save_mapping_button"):
            with reporting_errors():
                save_mapping(actor, creditor.id, name, mapping)
                flash(f"Correspondance « {name.strip()} » enregistrée.")
                st.rerun()

    st.subheader("Aperçu")
    shown = preview(table, mapping, limit=20, default_kind=default_kind)
    st.dataframe(shown.rows, hide_index=True, width="stretch")
    if shown.errors:
        st.warning(f"{len({e.row for e in shown.errors})} ligne(s) en erreur dans l'aperçu.")
    if st.button(f"Importer {len(table.rows)} lignes", type="primary", key="run_import"):
        report = import_invoices(
            actor,
            creditor.id,
            table,
            mapping,
            default_kind=default_kind,
            progress=_progress_callback("Import"),
            source=f"import {upload.name}",
        )
        rejected = rejected_rows_csv(table, report.errors) if report.errors else None
        last_report = (report, rejected)
        st.session_state[REPORT_KEY] = (file_id, *last_report)
    if last_report:
        _show_report(*last_report)
