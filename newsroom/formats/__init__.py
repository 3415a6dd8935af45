"""The admin's one way of writing dates and times (``FORMAT_MODULE_PATH``): Django's own formats for English
would otherwise win over the settings' names, and the admin would show "Dec. 6, 2026, 1:05 p.m." beside the
newsroom's "6 Dec 2026, 13:05"."""
