"""Demo data: a fictional city (明川市) with districts, departments, staff and cases in every state."""
