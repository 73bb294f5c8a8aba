"""The managers' dashboard: figures computed by SQL aggregates over the portfolio.

Modules: `filters` (what a dashboard looks at, and who may see what), `buckets` (pure
ageing and month maths), `ageing`, `cash`, `cohorts`, `promises`, `activity`, `kpis`
(the queries), `exports` (CSV and XLSX of a chart's table).
"""
