"""Qt front-ends. They lay out and react; every rule and every write goes through services."""
