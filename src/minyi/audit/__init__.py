"""The tamper-evident record: hash-chained case events and their verification."""
