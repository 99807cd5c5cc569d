"""intake_import."""
