"""Rules of the hall in plain Python: no Qt, no database session, testable alone."""
