"""GitHub: the one client all GitHub I/O goes through, its rules without I/O, tokens, OAuth."""
