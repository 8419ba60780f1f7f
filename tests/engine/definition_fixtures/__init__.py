"""Fixtures and helpers for the definition validator's tests (tests/engine/test_definition_*.py)."""
