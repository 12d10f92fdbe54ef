"""SQLite persistence: typed models, engine set-up, migrations, the outbox."""
