"""Misconduct reports (举报): a sealed channel to the discipline inspectors that bypasses the accused."""
