"""Use cases: orchestrate domain rules, storage and messaging."""
