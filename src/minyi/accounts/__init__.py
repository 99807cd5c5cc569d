"""Staff accounts, roles, passwords and API tokens."""
