"""Thin page views: look up through web.selectors, check rights with consortium.permissions, render."""
