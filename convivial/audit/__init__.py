"""Follower audit: which followers are fake, dormant or real, from their profiles alone."""
