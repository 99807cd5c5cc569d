"""Operations: backup and restore, metrics, structured logs, liveness and readiness."""
