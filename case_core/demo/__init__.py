"""Reproducible demonstration data."""
