"""Agora: citizen-relationship CRM for French communes (Chalice application library)."""
