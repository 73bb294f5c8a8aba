"""Mediation: the record of a case's mediation, confidential by construction."""
