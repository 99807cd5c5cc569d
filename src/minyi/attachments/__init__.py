"""Files attached to any object (a case, a report's evidence): checked, cleaned, stored by content hash."""
