"""The JSON API under ``/api/v1``: token authentication, pagination and the one error format."""
