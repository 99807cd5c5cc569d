"""Media as a channel: registered RSS/Atom feeds become intake candidates, de-duplicated, accepted or dismissed."""
