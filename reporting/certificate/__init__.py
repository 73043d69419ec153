"""The first-level control certificate of one partner report (docs/REPORTING.md, "First-level control")."""
