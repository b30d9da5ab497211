"""Markdown to HTML for term and lesson bodies."""
