"""pytest plugin: fixtures for testing code that consumes Qlik Cloud events."""
