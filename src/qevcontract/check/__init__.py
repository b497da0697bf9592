"""check package."""
