"""Plumbing every part shares: paths, settings, logging. Imports neither Qt nor the domain."""
