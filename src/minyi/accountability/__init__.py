"""The accountability register (问责): records from the ladder and supervisors, the unit's response, the decision."""
