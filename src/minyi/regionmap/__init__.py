"""The map: the city's region boundaries (GeoJSON keyed by region code) with public case counts and points."""
