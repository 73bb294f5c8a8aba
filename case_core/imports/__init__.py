"""Imports: invoices (CSV/XLSX), FEC, bank statements, and the shared writer."""
