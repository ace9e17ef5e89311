# Dutch display formats; anything not set here comes from Django's own Dutch formats.
DATE_FORMAT = "j F Y"  # 29 november 2026
DATETIME_FORMAT = "j F Y H:i"  # 29 november 2026 19:30
MONTH_DAY_FORMAT = "j N"  # 29 nov.
MONTH_DAY_TIME_FORMAT = "j N H:i"  # 22 dec. 19:30
ABBR_DATE_FORMAT = "j N Y"  # 1 dec. 2026
ABBR_DATETIME_FORMAT = "j N Y H:i"  # 1 dec. 2026 20:11
WEEKDAY_DATE_FORMAT = "l j F"  # maandag 29 november
WEEKDAY_DATETIME_FORMAT = "l j F, H:i"  # maandag 29 november, 19:30
TIME_FORMAT = "H:i"
