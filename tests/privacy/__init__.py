"""Members' own data: the privacy notice."""
