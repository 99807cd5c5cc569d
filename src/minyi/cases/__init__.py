"""The canonical slice: a public demand from registration to closure."""
