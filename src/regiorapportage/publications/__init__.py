"""Publications: a list of measures, their vocabulary (CONTRACT.md) and their checks.

The long-format table built here is the single source of every rendering."""
