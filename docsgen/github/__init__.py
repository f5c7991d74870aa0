"""GitHub: the one client all GitHub I/O goes through, token encryption, connections, OAuth."""
