"""English as a European reads it: "1 May 2025", a 24-hour clock (Django's "en" is American: "May 1, 2025")."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
SHORT_DATE_FORMAT = "d/m/Y"  # as en_GB: day first
