# English display formats; anything not set here comes from Django's own English formats.
DATE_FORMAT = "j F Y"  # 29 November 2026
DATETIME_FORMAT = "j F Y, H:i"  # 29 November 2026, 19:30
MONTH_DAY_FORMAT = "j N"  # 29 Nov.
MONTH_DAY_TIME_FORMAT = "j N, H:i"  # 22 Dec., 19:30
ABBR_DATE_FORMAT = "j N Y"  # 1 Dec. 2026
ABBR_DATETIME_FORMAT = "j N Y, H:i"  # 1 Dec. 2026, 20:11
WEEKDAY_DATE_FORMAT = "l j F"  # Monday 29 November
WEEKDAY_DATETIME_FORMAT = "l j F, H:i"  # Monday 29 November, 19:30
TIME_FORMAT = "H:i"
