"""Working in the open: Open311 GeoReport v2, the open-data package, feeds; read only through the public projection."""
