"""Seeing the whole: hot issues, surges, reply quality and the weekly brief."""
