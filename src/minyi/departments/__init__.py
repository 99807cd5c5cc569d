"""Departments, administrative regions and routing rules."""
