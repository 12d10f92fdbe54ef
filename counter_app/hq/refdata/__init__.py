"""Reference data from head office to the branches (SYNC.md c.7): the publisher every write goes
through, the console's functions, pull and snapshot pages, and the CSV import."""
