"""The demo data: a user, a project, two datasets, two built-in packages, their models."""
