"""minyi (民意): carry what people need and think to the bodies that must answer."""

__version__ = "0.1.0"
