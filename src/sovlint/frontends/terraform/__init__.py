"""Terraform / OpenTofu frontend."""
