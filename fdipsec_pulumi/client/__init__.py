"""Typed client for the Frontdoor V2 IPsec API."""
