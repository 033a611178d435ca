"""Accounts: the people who use the service, their roles and passwords."""
