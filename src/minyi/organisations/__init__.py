"""Organisations as intermediaries: mass organisations, social organisations, committees, their members."""
