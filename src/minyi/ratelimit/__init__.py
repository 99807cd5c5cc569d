"""Rate limits shared by every process of the app: one `rate_counters` table, counted by an atomic upsert."""
