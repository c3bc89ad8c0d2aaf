"""Pulumi resource classes and their Args."""
