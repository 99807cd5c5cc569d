"""Notifications: an outbox written with the event that causes it, sent after commit by e-mail, SMS or WeChat."""
