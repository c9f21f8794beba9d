"""Printed documents (PDF): protocol sheets, letters, labels."""
