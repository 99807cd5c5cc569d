"""Time limits: policies, the working-day calendar, stage clocks and the escalation ladder, in one home."""
