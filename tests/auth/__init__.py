"""Accounts: sessions that end, two-factor sign-in."""
