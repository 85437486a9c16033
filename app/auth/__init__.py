"""Staff accounts, memberships in tenants, roles, login and API tokens (R-04, R-25, R-28, R-32)."""
