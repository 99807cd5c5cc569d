"""Inspection rounds (巡视/巡察): the public ways to the team, problem clues, findings and rectification."""
