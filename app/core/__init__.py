"""Cross-cutting infrastructure: tenancy, query scoping, i18n, theming, errors and time.

Every module depends on this package; it depends on no domain module.
"""
