"""Sync of this node with head office: enrolment, the restore guard, the outbox push worker."""
