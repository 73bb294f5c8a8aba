"""Worklists: « Ma journée »."""
