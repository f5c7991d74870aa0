"""What a newcomer reads first: the README read as prose and code, the key concepts ranked."""
