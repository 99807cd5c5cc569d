"""Consultations on draft decisions: the opinion map (Polis-style groups of opinion) as pure modules."""
