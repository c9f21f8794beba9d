"""Pydantic v2 models: the HTTP contract and the single source of /openapi.json."""
