"""GitHub: the one client all GitHub I/O goes through, tokens sealed at rest, OAuth."""
