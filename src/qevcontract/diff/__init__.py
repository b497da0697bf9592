"""diff package."""
