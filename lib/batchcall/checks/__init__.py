"""Pre-launch checks: what the operator answers for before a batch is sent.

Calling hours in each contact's time zone, the do-not-call list, duplicate
numbers, look-alikes (numbers the route's country accepts but another country
wrote), unusual number types, and route advice that counts its side effects.
The checks read the table and the platform's verdict (``batchcall.rules``);
they never change the table: dropping or fixing rows is ``batchcall.work``'s.
"""

from batchcall.checks.dispositions import Disposition
from batchcall.checks.dnc import DncSource, dnc_entries, load_dnc
from batchcall.checks.duplicates import KEEP_CHOICES, resolve_duplicates
from batchcall.checks.hours import IN_WINDOW
from batchcall.checks.lookalikes import CANDIDATES, Candidate, country_column
from batchcall.checks.precheck import UNUSUAL_TYPES, precheck, retime
from batchcall.checks.repairs import international_prefix_fix
from batchcall.checks.report import PrecheckReport
from batchcall.checks.routes import RouteSwitchEffect, route_switch_effect
from batchcall.checks.waves import Wave, WavePlan, plan_waves
from batchcall.checks.window import PRESETS, WEEKDAYS, CallingWindow

__all__ = [
    "CANDIDATES",
    "IN_WINDOW",
    "KEEP_CHOICES",
    "PRESETS",
    "UNUSUAL_TYPES",
    "WEEKDAYS",
    "CallingWindow",
    "Candidate",
    "Disposition",
    "DncSource",
    "PrecheckReport",
    "RouteSwitchEffect",
    "Wave",
    "WavePlan",
    "country_column",
    "dnc_entries",
    "international_prefix_fix",
    "load_dnc",
    "plan_waves",
    "precheck",
    "resolve_duplicates",
    "retime",
    "route_switch_effect",
]
