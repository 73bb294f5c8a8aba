"""Instalment plans: schedule maths, the one status rule, the service, the letter."""
