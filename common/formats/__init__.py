"""Date and time display per language (settings.FORMAT_MODULE_PATH points here).

Only display formats live here; input formats stay Django's (typed inputs use `common.widgets`). Besides
Django's names the templates use:

- MONTH_DAY_TIME_FORMAT: a day and a time without the year ("22 dec. 19:30");
- ABBR_DATE_FORMAT and ABBR_DATETIME_FORMAT: with an abbreviated month and the year ("1 dec. 2026 20:11").

The month abbreviations below override Django's (used by the `N` format character): Dutch writes them with a
full stop ("nov."), except the short months ("mei", "juni", "juli").
"""

from django.utils.translation import pgettext_lazy

MONTHS_AP = {
    1: pgettext_lazy("abbrev. month", "Jan."),
    2: pgettext_lazy("abbrev. month", "Feb."),
    3: pgettext_lazy("abbrev. month", "March"),
    4: pgettext_lazy("abbrev. month", "April"),
    5: pgettext_lazy("abbrev. month", "May"),
    6: pgettext_lazy("abbrev. month", "June"),
    7: pgettext_lazy("abbrev. month", "July"),
    8: pgettext_lazy("abbrev. month", "Aug."),
    9: pgettext_lazy("abbrev. month", "Sept."),
    10: pgettext_lazy("abbrev. month", "Oct."),
    11: pgettext_lazy("abbrev. month", "Nov."),
    12: pgettext_lazy("abbrev. month", "Dec."),
}
