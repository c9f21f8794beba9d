"""HTTP blueprints: parse (pydantic) → call a service → serialise. No business rules here."""
