"""The funder report: `collect.collect_funder_report()` gathers, `pdf` and `xlsx` draw from its dataclass only."""
