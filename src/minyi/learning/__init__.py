"""The learning loop: staff corrections train new topic model versions, promoted only when not worse."""
