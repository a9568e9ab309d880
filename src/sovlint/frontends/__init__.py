"""Frontends: turn files into facts."""
