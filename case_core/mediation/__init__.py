"""Mediation: what may leave it (disclosure) for the dossier."""
