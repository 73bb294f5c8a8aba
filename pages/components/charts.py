"""One chart block: a plotly figure in French number format, what a click on it does, the
table under it and its data as CSV and XLSX (each file built only when its button is
clicked)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from case_core.reports.tables import XLSX_MIME, Table, to_csv, to_xlsx

EURO_AXIS: dict[str, Any] = {"tickformat": ",.0f", "ticksuffix": " €"}
# A clicked point as st.plotly_chart reports it (curve_number, point_index, x, y, …).
Point = dict[str, Any]


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}".replace(".", ",") + " %"


def count(n: int) -> str:
    """« 12 345 »: a whole number with the French thousands space."""
    return f"{n:,}".replace(",", " ")


def layout(figure: go.Figure, **kw: Any) -> go.Figure:
    # separators: decimal comma, space between thousands, on axes and hover labels.
    figure.update_layout(separators=", ", height=380, margin={"t": 30}, **kw)
    return figure


def downloads(table: Table, label: str = "Données") -> None:
    """CSV and XLSX of a chart's table, each built only when its button is clicked."""

    def csv_bytes(t: Table = table) -> bytes:
        return to_csv(t)

    def xlsx_bytes(t: Table = table) -> bytes:
        return to_xlsx(t)

    with st.container(horizontal=True):
        st.download_button(
            f"{label} (CSV)",
            csv_bytes,
            file_name=f"{table.name}.csv",
            mime="text/csv",
            key=f"dl_csv_{table.name}",
            icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            f"{label} (XLSX)",
            xlsx_bytes,
            file_name=f"{table.name}.xlsx",
            mime=XLSX_MIME,
            key=f"dl_xlsx_{table.name}",
            icon=":material/download:",
            on_click="ignore",
        )


def render_chart(
    figure: go.Figure | None,
    key: str,
    tables: Sequence[Table | tuple[Table, str]],
    *,
    rows: list[dict[str, Any]] | None = None,
    empty: str = "Aucune donnée dans la période.",
    on_click: Callable[[Point], None] | None = None,
    click_hint: str | None = None,
) -> None:
    """The figure (or `empty` as a notice when it is None), then `rows` as a table, then a
    CSV and an XLSX button per table (a table or a (table, button label) pair). With
    `on_click`, a click on a bar or a slice calls it with the first point clicked."""
    if figure is None:
        st.info(empty)
    elif on_click is None:
        st.plotly_chart(figure, key=key)
    else:
        clicked = st.plotly_chart(
            figure, key=key, on_select="rerun", selection_mode="points"
        ).selection.points
        if click_hint:
            st.caption(click_hint)
        if clicked:
            on_click(clicked[0])
    if figure is not None and rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    for table in tables:
        if isinstance(table, Table):
            downloads(table)
        else:
            downloads(*table)
