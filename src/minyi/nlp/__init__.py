"""Text understanding: topic, emotion, urgency, repeats and personal data. No database imports here."""
