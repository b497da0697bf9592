"""validate package."""
