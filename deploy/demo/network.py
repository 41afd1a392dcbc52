#!/usr/bin/env python3
"""The demo network that `make run` loads: eight member organizations in eight provinces, their sites,
offerings, two years of daily visits, incidents, drug checks, practice notes and resiliency months.

Everything goes in through the API's own write path, with each organization's own Keycloak tokens: the
bulk import (`POST /v1/orgs/{org}/imports`) for sites, offerings, visits, incidents and drug checks, the
single endpoints for what the import has no record type for (notes, resiliency months).

Seeded: each site's figures for a date come from a random generator seeded with the site and the date,
so the same date always gets the same figures, and a run on the same day sends exactly the same data.
Only what is relative to "today" moves with it: the two-year window, exemptions due soon, temporary closures.

    network.py realms DIR          write the demo organizations' Keycloak realms (from riverside's) into DIR
    network.py realm-names         the realms the demo needs, one a line
    network.py generate DIR        write what would be loaded, as JSON Lines per organization (to look at it)
    network.py load                load it into the running stack, unless it is there already

Python 3 standard library only.
"""
import argparse
import functools
import http.client
import json
import math
import os
import random
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
WEEK, WEEKDAYS = DAYS, DAYS[:5]
# The figures of a date are stable; this anchors the growth trend (a site's "base" is its level here).
TREND_ANCHOR = date(2025, 6, 1)

# ---------------------------------------------------------------------------------------------------------
# The organizations. riverside and lakeshore keep their committed realms; the others get a realm made from
# riverside's at run time. One province each, so that several time zones (and St. John's half hour) show.
# ---------------------------------------------------------------------------------------------------------

ORGS = [
    dict(slug="riverside", en="Riverside Harm Reduction Society", fr="Société de réduction des méfaits Riverside",
         province="CA-ON", tz="America/Toronto", realm_file=True),
    dict(slug="lakeshore", en="Lakeshore Community Health", fr="Santé communautaire Lakeshore",
         province="CA-QC", tz="America/Montreal", realm_file=True, language="fr"),
    dict(slug="coastal", en="Coastal Harm Reduction Collective", fr="Collectif de réduction des méfaits Coastal",
         province="CA-BC", tz="America/Vancouver"),
    dict(slug="chinook", en="Chinook Community Harm Reduction", fr="Réduction des méfaits communautaire Chinook",
         province="CA-AB", tz="America/Edmonton"),
    dict(slug="prairie", en="Prairie Lights Harm Reduction", fr="Réduction des méfaits Prairie Lights",
         province="CA-SK", tz="America/Regina"),
    dict(slug="redriver", en="Red River Harm Reduction Network", fr="Réseau de réduction des méfaits Red River",
         province="CA-MB", tz="America/Winnipeg"),
    dict(slug="atlantic", en="Atlantic Harm Reduction Society", fr="Société de réduction des méfaits de l'Atlantique",
         province="CA-NS", tz="America/Halifax"),
    dict(slug="avalon", en="Avalon Harm Reduction Collective", fr="Collectif de réduction des méfaits Avalon",
         province="CA-NL", tz="America/St_Johns"),
]
ORG = {o["slug"]: o for o in ORGS}

# ---------------------------------------------------------------------------------------------------------
# Schedules: weekly slots in the site's local time (README "Schedules"). closes <= opens runs overnight.
# ---------------------------------------------------------------------------------------------------------


def slot(days, opens=None, closes=None, audience=None):
    s = {"days": list(days)}
    if opens is None:
        s["allDay"] = True
    else:
        s["opens"], s["closes"] = opens, closes
    if audience:
        s["audience"] = audience
    return s


H24 = [slot(WEEK)]  # 24 hours, 7 days


def daily(opens, closes, days=WEEK):
    return [slot(days, opens, closes)]


def except_days(days, *out):
    return [d for d in days if d not in out]


# Services every consumption site offers during its hours; the others are per site.
BASIC = ["NALOXONE_DISTRIBUTION", "STERILE_SUPPLIES", "REFERRAL_TO_TREATMENT"]
STRIP_METHOD = {"DRUG_CHECKING_FENTANYL_STRIP": "FENTANYL_TEST_STRIP",
                "DRUG_CHECKING_BENZODIAZEPINE_STRIP": "BENZODIAZEPINE_TEST_STRIP",
                "DRUG_CHECKING_XYLAZINE_STRIP": "XYLAZINE_TEST_STRIP"}
METHOD = {"DRUG_CHECKING_FTIR": "FTIR", "DRUG_CHECKING_MASS_SPECTROMETRY": "MASS_SPECTROMETRY", **STRIP_METHOD}

# ---------------------------------------------------------------------------------------------------------
# The sites. base = visits on a typical full day at TREND_ANCHOR; od = overdoses per 1,000 visits;
# hours = the consumption schedule (audience slots included); services = what the site offers besides
# naloxone, sterile supplies and referrals, each with its schedule (None: the site's hours; []: by
# arrangement); exemption = (number, expiry, years it runs); paused = temporarily closed for so many days;
# dc_rate = drug checks a day. Dates given as integers are days from today (exemptions due soon), so that
# the demo always has some; everything else is fixed, so that a date's figures never change.
# ---------------------------------------------------------------------------------------------------------


def site(org, ref, name, kind, model, city, region, booths, opened, base, hours, services, od=None, address=None,
         exemption=None, closed=None, paused=None, inhalation=0.0, growth=1.15, women=0.27, nonbinary=0.03, youth=0.01,
         dc_rate=0.0):
    return dict(org=org, ref=ref, name=name, kind=kind, model=model, city=city, region=region, booths=booths,
                opened=opened, base=base, hours=hours, services=services, od=od, address=address, exemption=exemption,
                closed=closed, paused=paused, inhalation=inhalation, growth=growth, women=women, nonbinary=nonbinary,
                youth=youth, dc_rate=dc_rate)


# Drug checking runs on weekday afternoons at most sites: the technician's hours, not the site's.
DC_HOURS = daily("12:00", "18:00", WEEKDAYS)

SITES = [
    # Riverside: Toronto and Hamilton. RS-001, RS-002, LS-001 and LS-002 are also the minimal demo's sites
    # (deploy/demo/sites.json), with the references the end-to-end suite and make bench look for.
    site("riverside", "RS-001", "Riverside Harbour Street", "SCS", "STANDALONE", "Toronto", "Toronto Region", 8,
         "2018-03-01", 92, address="120 Harbour St", exemption=("S-56.1-2025-017", 38, 1), inhalation=0.30,
         hours=[slot(except_days(WEEK, "WEDNESDAY"), "09:00", "21:00"), slot(["WEDNESDAY"], "09:00", "18:00"),
                slot(["WEDNESDAY"], "18:00", "21:00", "TRANS")],
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "ASSISTED_INJECTION_EDUCATION": None,
                   "WOUND_CARE": daily("10:00", "16:00", WEEKDAYS), "DRUG_CHECKING_FTIR": DC_HOURS,
                   "DRUG_CHECKING_FENTANYL_STRIP": None, "DRUG_CHECKING_XYLAZINE_STRIP": None, "HOUSING_SUPPORT": [],
                   "PEER_WITNESSING": None},
         od=4.6, dc_rate=0.8),
    site("riverside", "RS-002", "Riverside Mobile Van", "MOBILE", "INTEGRATED", "Toronto", "Toronto Region", 2,
         "2021-06-15", 21, hours=daily("19:00", "03:00", except_days(WEEK, "SUNDAY")),
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INTRANASAL": None, "DRUG_CHECKING_FENTANYL_STRIP": None},
         od=3.8, dc_rate=0.2),
    site("riverside", "RS-003", "Riverside General Inpatient Harm Reduction", "HOSPITAL", "INTEGRATED", "Toronto",
         "Toronto Region", 1, "2023-09-05", 4, address="55 Riverside Ave", exemption=("S-56.1-2024-311", -17, 1),
         hours=H24, services={"SUPERVISED_INJECTION": None, "IOAT": daily("08:00", "10:00") + daily("16:00", "18:00")},
         od=2.5),
    site("riverside", "RS-004", "Riverside Queen West CTS", "SCS", "STANDALONE", "Toronto", "Toronto Region", 6,
         "2018-08-01", 66, address="800 Queen St W", exemption=("S-56.1-2024-052", date(2025, 9, 30), 1),
         closed="2025-03-31", hours=daily("10:00", "22:00"), services={"SUPERVISED_INJECTION": None}, od=4.2),
    site("riverside", "RS-005", "Riverside Barton Street", "OPS", "STANDALONE", "Hamilton", "West Region", 4,
         "2019-07-15", 38, address="410 Barton St E", exemption=("S-56.1-2024-203", 640, 3), inhalation=0.25,
         hours=daily("10:00", "22:00"),
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "WOUND_CARE": daily("12:00", "16:00")},
         od=5.1),
    site("riverside", "RS-006", "Riverside Safer Supply Dispensing", "DISPENSING", "INTEGRATED", "Toronto",
         "Toronto Region", 0, "2024-02-01", 14, hours=H24, services={"SAFER_SUPPLY": None}, od=0.3),

    # Lakeshore: Montréal and Québec City (French notes, cocaine more common than in the West).
    site("lakeshore", "LS-001", "Lakeshore Overdose Prevention Site", "OPS", "STANDALONE", "Montréal", "Montréal", 6,
         "2020-09-01", 44, hours=daily("10:00", "22:00"), services={"SUPERVISED_INJECTION": None}, od=4.0),
    site("lakeshore", "LS-002", "Lakeshore Supportive Housing OPS", "HOUSING", "INTEGRATED", "Montréal", "Montréal", 1,
         "2022-01-10", 12, hours=H24, services={"SUPERVISED_INJECTION": None, "HOUSING_SUPPORT": [],
                                                 "PEER_WITNESSING": None}, od=7.5),
    site("lakeshore", "LS-003", "Lakeshore Saint-Henri", "SCS", "STANDALONE", "Montréal", "Montréal", 7, "2017-06-19",
         84, address="4500 rue Notre-Dame O", exemption=("S-56.1-2025-088", 64, 1), inhalation=0.20,
         # The women's room runs next to the main room on Tuesday and Thursday afternoons.
         hours=daily("08:00", "00:00") + [slot(["TUESDAY", "THURSDAY"], "13:00", "17:00", "WOMEN")],
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "WOUND_CARE": daily("09:00", "17:00"),
                   "DRUG_CHECKING_FTIR": DC_HOURS, "DRUG_CHECKING_FENTANYL_STRIP": None,
                   "DRUG_CHECKING_BENZODIAZEPINE_STRIP": None, "INCARCERATION_SUPPORT": []},
         od=4.4, dc_rate=0.6),
    site("lakeshore", "LS-004", "Lakeshore Saint-Roch", "SCS", "INTEGRATED", "Québec", "Capitale-Nationale", 5,
         "2021-05-03", 39, address="250 rue Saint-Vallier E", exemption=("S-56.1-2023-140", 700, 3),
         hours=daily("09:00", "21:00"), services={"SUPERVISED_INJECTION": None, "WOUND_CARE": None}, od=4.1),
    site("lakeshore", "LS-005", "Lakeshore Mobile Unit", "MOBILE", "INTEGRATED", "Montréal", "Montréal", 3,
         "2019-11-01", 19, hours=daily("20:00", "04:00") + [slot(["FRIDAY", "SATURDAY"], "16:00", "19:00", "YOUTH")],
         services={"SUPERVISED_INJECTION": None, "YOUTH_ACCESS": [slot(["FRIDAY", "SATURDAY"], "16:00", "19:00", "YOUTH")]},
         od=3.6, youth=0.08),
    site("lakeshore", "LS-006", "Lakeshore Hospital Harm Reduction Unit", "HOSPITAL", "INTEGRATED", "Montréal",
         "Montréal", 1, "2025-10-06", 3, exemption=("S-56.1-2024-402", 420, 2), hours=H24,
         services={"SUPERVISED_INJECTION": None}, od=2.0),

    # Coastal: Vancouver, Victoria, Surrey, Kelowna, Prince George. Inhalation dominates in British Columbia.
    site("coastal", "CO-001", "Coastal Hastings Street", "SCS", "STANDALONE", "Vancouver", "Vancouver Coastal Health",
         13, "2015-09-21", 112, address="139 E Hastings St", exemption=("S-56.1-2025-009", 21, 1), inhalation=0.45,
         hours=daily("09:00", "03:00"),
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "PEER_ASSISTED_INJECTION": None,
                   "ASSISTED_INJECTION_EDUCATION": None, "SPLITTING_AND_SHARING": None,
                   "WOUND_CARE": daily("10:00", "18:00"), "DRUG_CHECKING_FTIR": daily("10:00", "20:00"),
                   "DRUG_CHECKING_FENTANYL_STRIP": None, "DRUG_CHECKING_BENZODIAZEPINE_STRIP": None,
                   "DRUG_CHECKING_MASS_SPECTROMETRY": daily("10:00", "16:00", ["MONDAY", "WEDNESDAY", "FRIDAY"]),
                   "PEER_WITNESSING": None},
         od=4.9, dc_rate=1.1),
    site("coastal", "CO-002", "Coastal Alley OPS", "OPS", "STANDALONE", "Vancouver", "Vancouver Coastal Health", 10,
         "2016-12-08", 118, exemption=("BC-OPS-2016-004", 300, 2), inhalation=0.70, hours=H24,
         services={"SUPERVISED_INHALATION": None, "SUPERVISED_INJECTION": None, "PEER_WITNESSING": None,
                   "DRUG_CHECKING_FENTANYL_STRIP": None},
         od=5.6, dc_rate=0.25),
    site("coastal", "CO-003", "Coastal Women's Space", "OPS", "STANDALONE", "Vancouver", "Vancouver Coastal Health", 4,
         "2017-12-04", 29, exemption=("BC-OPS-2017-021", 410, 2), inhalation=0.50, women=0.86, nonbinary=0.09,
         # For women and trans people every day; Sundays for women only.
         hours=[slot(except_days(WEEK, "SUNDAY"), "10:00", "22:00", "WOMEN_AND_TRANS"),
                slot(["SUNDAY"], "10:00", "22:00", "WOMEN")],
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "PEER_WITNESSING": None,
                   "HOUSING_SUPPORT": []},
         od=4.3),
    site("coastal", "CO-004", "Coastal Safer Supply Dispensing", "DISPENSING", "INTEGRATED", "Vancouver",
         "Vancouver Coastal Health", 0, "2020-01-15", 18, hours=H24, services={"SAFER_SUPPLY": None}, od=0.2),
    site("coastal", "CO-005", "Coastal Pandora Avenue", "SCS", "STANDALONE", "Victoria", "Island Health", 6,
         "2018-12-01", 68, address="941 Pandora Ave", exemption=("S-56.1-2025-031", 80, 1), inhalation=0.40,
         hours=H24, services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "WOUND_CARE": None},
         od=4.8),
    site("coastal", "CO-006", "Coastal Surrey Strip OPS", "OPS", "INTEGRATED", "Surrey", "Fraser Health", 6,
         "2017-03-13", 58, exemption=("BC-OPS-2017-009", 950, 3), inhalation=0.45, hours=daily("08:00", "22:00"),
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None}, od=5.2),
    site("coastal", "CO-007", "Coastal Kelowna Mobile", "MOBILE", "INTEGRATED", "Kelowna", "Interior Health", 2,
         "2018-04-01", 14, inhalation=0.35, hours=daily("17:00", "01:00", except_days(WEEK, "SUNDAY")),
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None}, od=3.9),
    site("coastal", "CO-008", "Coastal St. Paul's Inpatient OPS", "HOSPITAL", "INTEGRATED", "Vancouver",
         "Vancouver Coastal Health", 1, "2022-05-01", 6, exemption=("BC-OPS-2022-011", 500, 3), hours=H24,
         services={"SUPERVISED_INJECTION": None, "IOAT": daily("09:00", "11:00") + daily("17:00", "19:00")}, od=2.6),
    site("coastal", "CO-009", "Coastal SRO Tenant OPS", "HOUSING", "INTEGRATED", "Vancouver",
         "Vancouver Coastal Health", 2, "2019-06-01", 24, inhalation=0.5, hours=H24,
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "PEER_ASSISTED_INJECTION": None,
                   "PEER_WITNESSING": None, "HOUSING_SUPPORT": []},
         od=7.8),
    site("coastal", "CO-010", "Coastal Prince George OPS", "OPS", "STANDALONE", "Prince George", "Northern Health", 3,
         "2018-02-01", 24, paused=40, exemption=("BC-OPS-2018-002", 230, 2), inhalation=0.35,
         hours=daily("10:00", "20:00"), services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None}, od=5.0),
    site("coastal", "CO-011", "Coastal Youth OPS", "OPS", "INTEGRATED", "Vancouver", "Vancouver Coastal Health", 2,
         "2025-04-14", 9, exemption=("BC-OPS-2023-030", 330, 2), inhalation=0.55, youth=0.65,
         hours=[slot(WEEKDAYS, "15:00", "21:00", "YOUTH"), slot(["SATURDAY"], "12:00", "18:00", "YOUTH")],
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "YOUTH_ACCESS": None,
                   "HOUSING_SUPPORT": []},
         od=3.4),

    # Chinook: Calgary, Edmonton, Red Deer, Grande Prairie; Lethbridge closed in 2020.
    site("chinook", "CH-001", "Chinook Calgary Centre SCS", "SCS", "INTEGRATED", "Calgary", "Calgary Zone", 10,
         "2017-10-30", 92, address="1213 4 St SW", exemption=("S-56.1-2024-077", 420, 2), inhalation=0.30, hours=H24,
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "WOUND_CARE": None,
                   "DRUG_CHECKING_FTIR": DC_HOURS, "DRUG_CHECKING_FENTANYL_STRIP": None},
         od=5.4, dc_rate=0.5),
    site("chinook", "CH-002", "Chinook 101 Avenue SCS", "SCS", "STANDALONE", "Edmonton", "Edmonton Zone", 6,
         "2018-03-23", 58, exemption=("S-56.1-2024-090", 510, 2), hours=daily("08:00", "22:00"),
         services={"SUPERVISED_INJECTION": None, "STAFF_ASSISTED_INJECTION": None, "WOUND_CARE": None}, od=5.0),
    site("chinook", "CH-003", "Chinook Lethbridge SCS", "SCS", "STANDALONE", "Lethbridge", "South Zone", 13,
         "2018-02-28", 150, closed="2020-08-31", exemption=("S-56.1-2018-012", date(2021, 2, 28), 3),
         hours=H24, services={}, od=4.5),
    site("chinook", "CH-004", "Chinook Red Deer OPS", "OPS", "STANDALONE", "Red Deer", "Central Zone", 4,
         "2018-10-15", 33, exemption=("AB-OPS-2022-004", -52, 3), hours=daily("09:00", "21:00"),
         services={"SUPERVISED_INJECTION": None}, od=5.5),
    site("chinook", "CH-005", "Chinook Paramedic Response Site", "PARAMEDIC", "INTEGRATED", "Calgary", "Calgary Zone", 2,
         "2025-01-13", 17, hours=daily("16:00", "04:00"), services={"SUPERVISED_INJECTION": None,
                                                                    "SUPERVISED_INHALATION": None},
         inhalation=0.4, od=6.2),
    site("chinook", "CH-006", "Chinook Edmonton Housing OPS", "HOUSING", "INTEGRATED", "Edmonton", "Edmonton Zone", 1,
         "2021-08-16", 13, hours=H24, services={"SUPERVISED_INJECTION": None, "HOUSING_SUPPORT": []}, od=8.1),
    site("chinook", "CH-007", "Chinook Grande Prairie Mobile", "MOBILE", "INTEGRATED", "Grande Prairie", "North Zone", 2,
         "2025-05-06", 10, hours=daily("12:00", "20:00", ["TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]),
         services={"SUPERVISED_INJECTION": None}, od=4.0),

    # Prairie Lights: Saskatoon, Regina, Prince Albert (no daylight saving in Saskatchewan).
    site("prairie", "PR-001", "Prairie Lights 20th Street", "SCS", "STANDALONE", "Saskatoon", "Saskatoon", 4,
         "2020-10-01", 49, address="1516 20th St W", exemption=("S-56.1-2025-044", 55, 1), inhalation=0.25,
         hours=daily("10:00", "02:00"),
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "DRUG_CHECKING_FENTANYL_STRIP": None,
                   "DRUG_CHECKING_BENZODIAZEPINE_STRIP": None},
         od=5.8, dc_rate=0.25),
    site("prairie", "PR-002", "Prairie Lights Regina OPS", "OPS", "STANDALONE", "Regina", "Regina", 3, "2021-06-01", 27,
         exemption=("SK-OPS-2021-002", 610, 3), hours=daily("09:00", "21:00"), services={"SUPERVISED_INJECTION": None},
         od=5.3),
    site("prairie", "PR-003", "Prairie Lights Prince Albert Mobile", "MOBILE", "INTEGRATED", "Prince Albert",
         "Prince Albert", 2, "2022-04-01", 12, hours=daily("13:00", "21:00", WEEKDAYS),
         services={"SUPERVISED_INJECTION": None}, od=4.6),
    site("prairie", "PR-004", "Prairie Lights Paramedic Evenings", "PARAMEDIC", "INTEGRATED", "Saskatoon", "Saskatoon",
         1, "2025-06-06", 10, hours=daily("18:00", "02:00", ["FRIDAY", "SATURDAY", "SUNDAY"]),
         services={"SUPERVISED_INJECTION": None}, od=6.5),
    site("prairie", "PR-005", "Prairie Lights Regina Housing", "HOUSING", "INTEGRATED", "Regina", "Regina", 1,
         "2025-02-03", 9, hours=H24, services={"SUPERVISED_INJECTION": None, "HOUSING_SUPPORT": []}, od=7.9),

    # Red River: Winnipeg and Brandon; the mobile OPS came first, a fixed SCS opened in 2026.
    site("redriver", "RR-001", "Red River Mobile OPS", "MOBILE", "INTEGRATED", "Winnipeg", "Winnipeg RHA", 4,
         "2022-10-15", 24, inhalation=0.2, hours=daily("18:00", "02:00"),
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "DRUG_CHECKING_FENTANYL_STRIP": None},
         od=4.7, dc_rate=0.15),
    site("redriver", "RR-002", "Red River Main Street SCS", "SCS", "STANDALONE", "Winnipeg", "Winnipeg RHA", 6, "2026-04-07",
         54, address="630 Main St", exemption=("S-56.1-2026-005", 135, 1), inhalation=0.25,
         hours=daily("09:00", "21:00") + [slot(["MONDAY"], "21:00", "23:00", "TRANS")],
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INHALATION": None, "WOUND_CARE": None}, od=5.0),
    site("redriver", "RR-003", "Red River Brandon OPS", "OPS", "STANDALONE", "Brandon", "Prairie Mountain Health", 2,
         "2025-03-03", 12, exemption=("MB-OPS-2025-001", 800, 3),
         hours=daily("10:00", "18:00", except_days(WEEK, "SUNDAY")) + [slot(["WEDNESDAY"], "18:00", "20:00", "YOUTH")],
         services={"SUPERVISED_INJECTION": None, "YOUTH_ACCESS": [slot(["WEDNESDAY"], "18:00", "20:00", "YOUTH")]},
         od=4.5, youth=0.05),
    site("redriver", "RR-004", "Red River Housing OPS", "HOUSING", "INTEGRATED", "Winnipeg", "Winnipeg RHA", 1,
         "2021-09-20", 11, hours=H24, services={"SUPERVISED_INJECTION": None, "PEER_WITNESSING": None}, od=7.6),
    site("redriver", "RR-005", "Red River Health Sciences Centre", "HOSPITAL", "INTEGRATED", "Winnipeg", "Winnipeg RHA",
         1, "2025-08-05", 4, exemption=("S-56.1-2025-150", 380, 2), hours=H24, services={"SUPERVISED_INJECTION": None},
         od=2.2),

    # Atlantic: Halifax, Dartmouth, Sydney.
    site("atlantic", "AT-001", "Atlantic Gottingen Street OPS", "OPS", "STANDALONE", "Halifax", "Central Zone", 6,
         "2019-09-03", 39, exemption=("S-56.1-2024-120", 460, 2), hours=H24,
         services={"SUPERVISED_INJECTION": None, "SUPERVISED_INTRANASAL": None, "DRUG_CHECKING_FTIR": DC_HOURS,
                   "DRUG_CHECKING_FENTANYL_STRIP": None},
         od=4.6, dc_rate=0.45),
    site("atlantic", "AT-002", "Atlantic Halifax SCS", "SCS", "STANDALONE", "Halifax", "Central Zone", 5, "2021-11-01",
         42, address="2131 Gottingen St", exemption=("S-56.1-2025-061", 75, 1), hours=daily("09:00", "21:00"),
         services={"SUPERVISED_INJECTION": None, "WOUND_CARE": None}, od=4.4),
    site("atlantic", "AT-003", "Atlantic Sydney OPS", "OPS", "STANDALONE", "Sydney", "Eastern Zone", 3, "2020-06-15",
         15, exemption=("S-56.1-2023-210", 540, 3), hours=daily("11:00", "19:00", WEEKDAYS),
         services={"SUPERVISED_INJECTION": None}, od=4.3),
    site("atlantic", "AT-004", "Atlantic Paramedic Evenings", "PARAMEDIC", "INTEGRATED", "Halifax", "Central Zone", 1,
         "2025-05-01", 9, hours=daily("20:00", "04:00", ["THURSDAY", "FRIDAY", "SATURDAY"]),
         services={"SUPERVISED_INJECTION": None}, od=6.0),
    site("atlantic", "AT-005", "Atlantic Safer Supply Dispensary", "DISPENSING", "INTEGRATED", "Halifax", "Central Zone",
         0, "2022-08-02", 12, hours=daily("08:00", "20:00", WEEKDAYS), services={"SAFER_SUPPLY": None}, od=0.3),
    site("atlantic", "AT-006", "Atlantic Shelter OPS", "HOUSING", "INTEGRATED", "Dartmouth", "Central Zone", 1,
         "2025-01-20", 10, paused=25, hours=H24, services={"SUPERVISED_INJECTION": None}, od=7.2),

    # Avalon: St. John's and Corner Brook (Newfoundland time, UTC-3:30).
    site("avalon", "AV-001", "Avalon Water Street OPS", "OPS", "STANDALONE", "St. John's", "Eastern Zone", 3,
         "2021-03-29", 21, exemption=("S-56.1-2024-188", 300, 2), hours=daily("10:00", "22:00"),
         services={"SUPERVISED_INJECTION": None, "DRUG_CHECKING_FENTANYL_STRIP": None,
                   "DRUG_CHECKING_XYLAZINE_STRIP": None},
         od=4.2, dc_rate=0.2),
    site("avalon", "AV-002", "Avalon Mobile", "MOBILE", "INTEGRATED", "St. John's", "Eastern Zone", 2, "2025-03-17", 9,
         hours=daily("18:00", "02:00", ["WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]),
         services={"SUPERVISED_INJECTION": None}, od=3.9),
    site("avalon", "AV-003", "Avalon Corner Brook OPS", "OPS", "STANDALONE", "Corner Brook", "Western Zone", 2,
         "2025-09-08", 8, exemption=("S-56.1-2023-260", 190, 2), hours=daily("12:00", "20:00", WEEKDAYS),
         services={"SUPERVISED_INJECTION": None}, od=4.0),
    site("avalon", "AV-004", "Avalon Duckworth Street SCS", "SCS", "STANDALONE", "St. John's", "Eastern Zone", 4, "2026-07-27",
         40, exemption=("S-56.1-2026-019", 245, 1), hours=daily("09:00", "21:00"),
         services={"SUPERVISED_INJECTION": None, "WOUND_CARE": None}, od=4.5),
]

# What people report using, as a share of visits, by province: fentanyl everywhere, methamphetamine on the
# Prairies, cocaine and hydromorphone ("other opioid") in Quebec and the Atlantic provinces.
SUBSTANCES = {
    "CA-BC": dict(fentanyl=.74, otherOpioid=.07, methamphetamine=.38, cocaine=.11, otherStimulant=.03, benzodiazepine=.05, other=.03),
    "CA-AB": dict(fentanyl=.71, otherOpioid=.06, methamphetamine=.46, cocaine=.08, otherStimulant=.03, benzodiazepine=.04, other=.03),
    "CA-SK": dict(fentanyl=.55, otherOpioid=.12, methamphetamine=.58, cocaine=.05, otherStimulant=.02, benzodiazepine=.03, other=.03),
    "CA-MB": dict(fentanyl=.52, otherOpioid=.10, methamphetamine=.60, cocaine=.06, otherStimulant=.02, benzodiazepine=.03, other=.03),
    "CA-ON": dict(fentanyl=.72, otherOpioid=.06, methamphetamine=.27, cocaine=.19, otherStimulant=.02, benzodiazepine=.08, other=.03),
    "CA-QC": dict(fentanyl=.36, otherOpioid=.21, methamphetamine=.20, cocaine=.42, otherStimulant=.04, benzodiazepine=.04, other=.04),
    "CA-NS": dict(fentanyl=.40, otherOpioid=.26, methamphetamine=.16, cocaine=.34, otherStimulant=.03, benzodiazepine=.04, other=.03),
    "CA-NL": dict(fentanyl=.38, otherOpioid=.28, methamphetamine=.14, cocaine=.36, otherStimulant=.03, benzodiazepine=.04, other=.03),
}
# Distinct people over visits, by kind: housing residents come back many times a day; a dispensing
# machine is used twice a day by the same people.
UNIQUE_SHARE = dict(SCS=.58, OPS=.62, MOBILE=.80, HOUSING=.45, HOSPITAL=.75, PARAMEDIC=.78, DISPENSING=.50)

# ---------------------------------------------------------------------------------------------------------
# Calendar: today, the two-year window, and the day-to-day rhythm.
# ---------------------------------------------------------------------------------------------------------


class Calendar:
    """Today for the network (Toronto, where the coordinator is) and each site's last reportable day."""

    def __init__(self, today=None):
        self.fixed = today is not None
        self.today = today or datetime.now(ZoneInfo("America/Toronto")).date()
        self.first = self.today - timedelta(days=730)

    def day(self, value):
        """A site date: ISO text, a date, or an integer number of days from today."""
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, int):
            return self.today + timedelta(days=value)
        return date.fromisoformat(value)

    def yesterday(self, tz):
        # Visits are refused for a date after today in the site's zone: at 1 a.m. in Halifax it is still
        # yesterday in Vancouver.
        if self.fixed:
            return self.today - timedelta(days=1)
        return datetime.now(ZoneInfo(tz)).date() - timedelta(days=1)


def payday(d):
    """The last Wednesday of d's month: income assistance day, after which overdoses climb for a few days."""
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 2) % 7)


@functools.lru_cache(maxsize=None)
def after_payday(d):
    prev = d.replace(day=1) - timedelta(days=1)
    return any(0 <= (d - p).days <= 2 for p in (payday(d), payday(prev)))


@functools.lru_cache(maxsize=None)
def outage(ref, d):
    """A site's reporting outage: a week, now and then, whose first days never get reported."""
    year, week, _ = d.isocalendar()
    return random.Random(f"{ref}|{year}-{week}|outage").random() < 0.008


def open_minutes(schedule, d):
    """The minutes of local date d covered by a schedule: overnight slots reach into the next day."""
    wd, yd = DAYS[d.weekday()], DAYS[(d.weekday() - 1) % 7]
    spans = []
    for s in schedule:
        if s.get("allDay"):
            if wd in s["days"]:
                spans.append((0, 1440))
            continue
        o, c = (int(t[:2]) * 60 + int(t[3:]) for t in (s["opens"], s["closes"]))
        if o < c:
            if wd in s["days"]:
                spans.append((o, c))
        else:
            if wd in s["days"]:
                spans.append((o, 1440))
            if yd in s["days"] and c > 0:
                spans.append((0, c))
    merged = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def minute_in(rng, spans):
    total = sum(b - a for a, b in spans)
    k = rng.randrange(total)
    for a, b in spans:
        if k < b - a:
            return a + k
        k -= b - a
    raise AssertionError


def instant(d, minute, tz, second=0):
    local = datetime(d.year, d.month, d.day, minute // 60, minute % 60, second, tzinfo=ZoneInfo(tz))
    return local.astimezone(timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def poisson(rng, lam):
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def pick(rng, weights):
    """A key of a {value: weight} dict."""
    r = rng.random() * sum(weights.values())
    for value, w in weights.items():
        r -= w
        if r < 0:
            return value
    return value


def share(rng, n, p, spread=0.10):
    return max(0, min(n, round(n * p * (1 + rng.gauss(0, spread)))))


# ---------------------------------------------------------------------------------------------------------
# The generator: a site's records, day by day.
# ---------------------------------------------------------------------------------------------------------


class Site:
    def __init__(self, spec, cal):
        self.__dict__.update(spec)
        org = ORG[self.org]
        self.cal, self.province, self.tz = cal, org["province"], org["tz"]
        self.opened = cal.day(self.opened)
        self.closed = cal.day(self.closed)
        self.paused = cal.day(-self.paused) if isinstance(self.paused, int) else None
        self.status = "CLOSED" if self.closed else "TEMPORARILY_CLOSED" if self.paused else "ACTIVE"
        self.full_day = max(sum(b - a for a, b in open_minutes(self.hours, date(2026, 1, 5) + timedelta(days=i)))
                            for i in range(7))
        self.assisted = any(s in self.services for s in ("PEER_ASSISTED_INJECTION", "STAFF_ASSISTED_INJECTION"))
        self.checks = sorted(c for c in self.services if c.startswith("DRUG_CHECKING_"))
        # Samples are checked in the spectrometer's hours where it has its own, else whenever the site is open.
        self.dc_hours = self.services.get("DRUG_CHECKING_FTIR") or self.hours

    # -- the site and its offerings, as an org-admin posts them --

    def record(self):
        r = {"type": "site", "externalRef": self.ref, "name": self.name, "kind": self.kind, "model": self.model,
             "city": self.city, "province": self.province, "healthRegion": self.region, "timeZone": self.tz,
             "booths": self.booths, "openedOn": self.opened.isoformat(), "status": self.status}
        if self.address:
            r["address"] = self.address
        if self.closed:
            r["closedOn"] = self.closed.isoformat()
        if self.exemption:
            number, expires, years = self.exemption
            expires = self.cal.day(expires)
            r["exemption"] = {"number": number, "issuedOn": (expires - timedelta(days=365 * years)).isoformat(),
                              "expiresOn": expires.isoformat()}
        return r

    def offerings(self):
        if self.closed:
            return []  # a closed site offers nothing any more
        out = []
        for code, schedule in sorted(self.services.items()):
            out.append({"type": "offering", "siteExternalRef": self.ref, "serviceCode": code,
                        "schedule": self.hours if schedule is None else schedule})
        for code in BASIC:
            if self.kind != "DISPENSING" and code not in self.services:
                out.append({"type": "offering", "siteExternalRef": self.ref, "serviceCode": code, "schedule": self.hours})
        return out

    # -- day by day --

    def days(self):
        """The local dates the site could have reported: from opening (within the window) to yesterday."""
        first = max(self.opened, self.cal.first)
        last = self.cal.yesterday(self.tz)
        if self.closed:
            last = min(last, self.closed - timedelta(days=1))
        if self.paused:
            last = min(last, self.paused - timedelta(days=1))
        d = first
        while d <= last:
            yield d
            d += timedelta(days=1)

    def level(self, d, rng):
        """Expected visits on a full day: growth, season, week, payday, the first months after opening."""
        years = (d - TREND_ANCHOR).days / 365.25
        v = self.base * self.growth ** years
        # Busier in summer; housing and hospital sites hardly feel the season.
        amplitude = 0.03 if self.kind in ("HOUSING", "HOSPITAL", "DISPENSING") else 0.10
        v *= 1 + amplitude * math.cos(2 * math.pi * (d.timetuple().tm_yday - 200) / 365.25)
        v *= (1.0, 0.99, 1.0, 1.01, 1.06, 1.07, 0.93)[d.weekday()]
        if after_payday(d):
            v *= 1.12
        since = (d - self.opened).days
        if since < 120:
            v *= 0.35 + 0.65 * since / 120
        return v * math.exp(rng.gauss(0, 0.11))

    def generate(self):
        visits, incidents, checks = [], [], []
        for d in self.days():
            # One generator per site and date: the same date always gets the same figures.
            rng = random.Random(f"{self.ref}|{d}")
            spans = open_minutes(self.hours, d)
            minutes = sum(b - a for a, b in spans)
            if not minutes:
                continue  # closed that day: nothing to report
            n = round(self.level(d, rng) * minutes / self.full_day)
            day_checks = self.drug_checks(rng, d) if self.checks else []
            checks.extend(day_checks)
            incidents.extend(self.incidents(rng, d, n, spans))
            # A few days go unreported: a single missed day now and then, the first days of a week's outage.
            if rng.random() < 0.015 or (outage(self.ref, d) and d.weekday() < 4):
                continue
            visits.append(self.visit(d, n, rng, day_checks))
        return visits, incidents, checks

    def visit(self, d, n, rng, day_checks):
        v = {"type": "visit", "siteExternalRef": self.ref, "date": d.isoformat(), "visits": n}
        if n == 0:
            v["uniqueClients"] = 0
            return v
        v["uniqueClients"] = max(1, share(rng, n, UNIQUE_SHARE[self.kind], 0.06))
        if self.kind == "DISPENSING":
            return v  # a dispensing machine's visits are doses dispensed, not consumption: no mode or substance
        modes = self.modes(d)
        counts, left = {}, n
        for mode, p in modes.items():
            c = min(left, int(n * p * (1 + rng.gauss(0, 0.06))))
            counts[mode], left = max(0, c), left - max(0, c)
        v["byMode"] = counts
        mix = SUBSTANCES[self.province]
        v["bySubstance"] = {k: share(rng, n, p) for k, p in mix.items()}
        if self.kind == "SCS":
            # Services provided, as the federally exempted sites report them to Health Canada. Only there: the
            # API looks each code up on its own, which made the load half as long again when every site sent them.
            provided = {"NALOXONE_DISTRIBUTION": share(rng, n, 0.07, 0.3)}
            if "WOUND_CARE" in self.services:
                provided["WOUND_CARE"] = share(rng, n, 0.04, 0.4)
            for c in self.checks:  # samples checked that day, by method
                checked = sum(1 for s in day_checks if METHOD[c] in s["methods"])
                if checked:
                    provided[c] = checked
            v["servicesProvided"] = provided
        v["referrals"] = {"treatment": poisson(rng, n * .012), "housing": poisson(rng, n * .008),
                          "healthCare": poisson(rng, n * .015), "socialServices": poisson(rng, n * .007)}
        full = poisson(rng, max(0.0, (n - self.booths * 12) * 0.25) + 0.05) if self.booths else 0
        unable = 0 if self.assisted else poisson(rng, 0.12)
        young = 0 if "YOUTH_ACCESS" in self.services else poisson(rng, 0.03)
        if full or unable or young:
            v["turnedAway"] = {"full": full, "unableToSelfInject": unable, "youth": young}
        if self.kind in ("SCS", "OPS", "MOBILE"):
            women = share(rng, n, self.women, .08)
            nb = min(n - women, share(rng, n, self.nonbinary, .3))
            ns = min(n - women - nb, share(rng, n, .03, .3))
            v["byGender"] = {"woman": women, "man": n - women - nb - ns, "nonBinary": nb, "notStated": ns}
        if self.kind in ("SCS", "OPS"):
            bands = dict(under19=self.youth, from19To29=.20, from30To39=.33, from40To49=.22, from50To59=.14,
                         from60=.05, notStated=.03)
            total = sum(bands.values())
            ages, left = {}, n
            for band, p in bands.items():
                c = min(left, int(n * p / total))
                ages[band], left = c, left - c
            v["byAgeBand"] = ages
        return v

    def modes(self, d):
        """Shares of visits by mode: smoking keeps gaining on injection where inhalation is supervised."""
        if self.kind == "HOSPITAL":
            return {"injection": .93, "inhalation": 0, "intranasal": .03, "oral": .02}
        if self.kind == "DISPENSING":  # tablets from the machine, mostly swallowed
            return {"injection": .3, "inhalation": 0, "intranasal": .05, "oral": .65}
        inh = 0.0
        if "SUPERVISED_INHALATION" in self.services:
            inh = min(0.85, self.inhalation + 0.04 * (d - TREND_ANCHOR).days / 365.25)
        nasal = .06 if "SUPERVISED_INTRANASAL" in self.services else .025
        return {"injection": 1 - inh - nasal - .03, "inhalation": inh, "intranasal": nasal, "oral": .015}

    # -- incidents --

    def incidents(self, rng, d, visits, spans):
        if not spans:
            return []
        od_rate = self.od * (1.7 if after_payday(d) else 1.0)
        rates = dict(OVERDOSE=od_rate, DRUG_EMERGENCY=.55, MEDICAL_OTHER=.9, BEHAVIOURAL=1.4, NEEDLESTICK=.05,
                     STAFF_INJURY=.05, OTHER=.25)
        if self.kind == "DISPENSING":
            rates.update(DRUG_EMERGENCY=.05, MEDICAL_OTHER=.1, BEHAVIOURAL=.6, NEEDLESTICK=0)
        out = []
        for kind, rate in rates.items():
            for _ in range(poisson(rng, visits * rate / 1000)):
                out.append((minute_in(rng, spans), kind))
        out.sort()
        return [incident(rng, ORG[self.org], self, d, f"{self.ref}-{d:%Y%m%d}-{i + 1:02d}", m, kind, self.location(rng))
                for i, (m, kind) in enumerate(out)]

    def location(self, rng):
        if self.kind == "HOUSING":
            return pick(rng, {"HOUSING_UNIT": 60, "INSIDE": 35, "WASHROOM": 5})
        if self.kind == "MOBILE":
            return pick(rng, {"INSIDE": 70, "OUTSIDE_NEARBY": 30})
        if self.kind == "HOSPITAL":
            return pick(rng, {"INSIDE": 80, "WASHROOM": 20})
        return pick(rng, {"INSIDE": 82, "WASHROOM": 6, "OUTSIDE_NEARBY": 12})

    # -- drug checking --

    def drug_checks(self, rng, d):
        spans = open_minutes(self.dc_hours, d)
        if not spans:
            return []
        # More people ask for drug checking every year.
        count = poisson(rng, self.dc_rate * max(0.4, 1 + 0.3 * (d - TREND_ANCHOR).days / 365.25))
        return [drug_check(rng, self, d, f"{self.ref}-DC-{d:%Y%m%d}-{i + 1:02d}", minute_in(rng, spans))
                for i in range(count)]


# ---------------------------------------------------------------------------------------------------------
# Incidents (IncidentInput): overdoses in the single digits per 1,000 visits, naloxone in most, EMS called
# for a share, deaths very rare; other kinds too. Debriefs as the incident API defines them.
# ---------------------------------------------------------------------------------------------------------

OVERDOSE_SUBSTANCES = {"FENTANYL": 88, "METHAMPHETAMINE": 35, "BENZODIAZEPINE": 14, "COCAINE": 10, "OTHER_OPIOID": 6,
                       "XYLAZINE": 4, "ALCOHOL": 3}
NOTES = {
    "en": ["Responded within a minute; client alert after oxygen.", "Used alone in the washroom; found on the check.",
           "Second overdose this week for this client; referral offered.", "A peer noticed first and called staff.",
           "Long sedation afterwards, benzodiazepine suspected.", "Client left before EMS arrived."],
    "fr": ["Intervention en moins d'une minute; personne alerte après l'oxygène.",
           "Consommation seule aux toilettes; trouvée lors de la vérification.",
           "Deuxième surdose cette semaine pour cette personne; orientation offerte.",
           "Un pair a remarqué en premier et a appelé l'équipe.", "Longue sédation ensuite, benzodiazépine soupçonnée.",
           "La personne est partie avant l'arrivée des ambulanciers."],
}


def incident(rng, org, site, d, ref, minute, kind, location):
    """One incident as the organization's system posts it; site None is outreach."""
    occurred = instant(d, minute, org["tz"], rng.randrange(60))
    r = {"type": "incident", "externalRef": ref, "occurredAt": iso(occurred), "location": location, "kind": kind}
    if site:
        r["siteExternalRef"] = site.ref
    outreach, housing = site is None, site is not None and site.kind == "HOUSING"
    empty, response, outcome = {}, None, None
    if kind == "OVERDOSE":
        r["substances"] = ["UNKNOWN"] if rng.random() < 0.05 else sorted(
            {s for s, w in OVERDOSE_SUBSTANCES.items() if rng.random() < w / 100} or {"FENTANYL"})
    elif kind == "DRUG_EMERGENCY":  # stimulant overamping, mostly
        r["substances"] = [pick(rng, {"METHAMPHETAMINE": 60, "COCAINE": 30, "OTHER_STIMULANT": 10})]
    else:
        empty.update(substances="NOT_APPLICABLE", mode="NOT_APPLICABLE")
    if kind in ("OVERDOSE", "DRUG_EMERGENCY"):
        if site:
            m = site.modes(d)
            r["mode"] = pick(rng, {"INJECTION": m["injection"] * 1.3, "INHALATION": m["inhalation"] * 0.7,
                                   "INTRANASAL": m["intranasal"], "ORAL": m["oral"], "UNKNOWN": .03})
        else:
            r["mode"] = pick(rng, {"INJECTION": 50, "INHALATION": 35, "UNKNOWN": 15})
    if kind == "OVERDOSE":
        opioid = any(s in ("FENTANYL", "OTHER_OPIOID", "UNKNOWN") for s in r["substances"])
        naloxone = rng.random() < (0.84 if opioid else 0.35)
        doses = pick(rng, {1: 55, 2: 30, 3: 11, 4: 4}) if naloxone else 0
        ems = rng.random() < 0.17 + 0.2 * (doses >= 3) + 0.25 * outreach + 0.1 * housing
        attended = ems and rng.random() < 0.9
        # Deaths are very rare where someone watches: mostly alone in a housing unit, or found on outreach.
        death = rng.random() < (0.008 if outreach else 0.0025 if housing else 0.00012)
        if death:
            naloxone, doses, ems, attended = True, max(doses, 3), True, True
        response = {"naloxoneDoses": doses, "oxygen": rng.random() < (0.4 if outreach else 0.78),
                    "rescueBreathing": rng.random() < 0.33, "bagValveMask": rng.random() < (0.2 if outreach else 0.45),
                    "peerNaloxoneBeforeStaff": rng.random() < (0.3 if outreach or housing else 0.02),
                    "emsCalled": ems, "emsAttended": attended, "policeAttended": death or rng.random() < 0.03}
        if naloxone:
            hospital = site is not None and site.kind == "HOSPITAL"
            response["naloxoneRoute"] = "INTRAVENOUS" if hospital and rng.random() < .5 else pick(
                rng, {"INTRAMUSCULAR": 85, "INTRANASAL": 15})
        else:
            empty["response.naloxoneRoute"] = "NOT_APPLICABLE"
        if outreach and not attended and rng.random() < 0.3:
            del response["emsAttended"]
            empty["response.emsAttended"] = "UNKNOWN"
        if death:
            outcome = "DEATH"
        elif attended:
            outcome = pick(rng, {"TRANSPORTED": 50, "REFUSED_TRANSPORT": 35, "RESOLVED_ON_SITE": 15})
        else:
            outcome = pick(rng, {"RESOLVED_ON_SITE": 96, "UNKNOWN": 4 + 8 * outreach})
        if rng.random() < 0.1:
            empty["flailingInSmallSpace"] = "NOT_ASSESSED"
        else:
            r["flailingInSmallSpace"] = rng.random() < 0.03
    elif kind in ("DRUG_EMERGENCY", "MEDICAL_OTHER"):
        ems = rng.random() < 0.35
        attended = ems and rng.random() < 0.9
        response = {"oxygen": rng.random() < 0.3, "emsCalled": ems, "emsAttended": attended,
                    "policeAttended": rng.random() < 0.05}
        outcome = pick(rng, {"TRANSPORTED": 55, "REFUSED_TRANSPORT": 45}) if attended else "RESOLVED_ON_SITE"
    elif kind == "BEHAVIOURAL":
        response = {"emsCalled": False, "policeAttended": rng.random() < 0.1}
        outcome = "RESOLVED_ON_SITE"
    if response:
        r["response"] = response
    if outcome:
        r["outcome"] = outcome
    if empty:
        r["emptyReasons"] = empty
    if rng.random() < 0.15:
        r["note"] = rng.choice(NOTES[org.get("language", "en")])
    debrief = debrief_of(rng, kind, outcome, occurred)
    if debrief:
        r["debrief"] = debrief
    return r


def debrief_of(rng, kind, outcome, occurred):
    """Critical incidents are mostly debriefed hot, within hours; formal debriefs come days later."""
    if outcome == "DEATH":
        how = "FORMAL"
    elif kind in ("OVERDOSE", "DRUG_EMERGENCY"):
        how = pick(rng, {"HOT": 60, "FORMAL": 13, "INDIVIDUAL": 10, "not held": 13, "unrecorded": 4})
    elif kind in ("NEEDLESTICK", "STAFF_INJURY"):
        how = pick(rng, {"INDIVIDUAL": 80, "not held": 20})
    elif kind == "BEHAVIOURAL":
        how = pick(rng, {"HOT": 25, "unrecorded": 75})
    else:
        how = "unrecorded"
    if how == "unrecorded":
        return None
    if how == "not held":
        return {"held": False}
    delay = {"HOT": timedelta(minutes=rng.randrange(20, 150)), "FORMAL": timedelta(hours=rng.randrange(20, 140)),
             "INDIVIDUAL": timedelta(hours=rng.randrange(3, 80))}[how]
    held = occurred + delay
    if held > datetime.now(timezone.utc):
        return None  # not held yet: the system posts it when it is
    return {"held": True, "heldAt": iso(held), "kind": how}


def outreach_incidents(org, cal):
    """Overdoses responded to on outreach, at no site: a couple a month per organization."""
    out, d, last = [], cal.first, cal.yesterday(org["tz"])
    while d <= last:
        rng = random.Random(f"{org['slug']}|{d}|outreach")
        for i in range(poisson(rng, 0.06)):
            ref = f"{org['slug'].upper()}-OUT-{d:%Y%m%d}-{i + 1:02d}"
            out.append(incident(rng, org, None, d, ref, rng.randrange(1440), "OVERDOSE", "OUTREACH"))
        d += timedelta(days=1)
    return out


# ---------------------------------------------------------------------------------------------------------
# Drug checking (DrugCheckInput): what was expected, what was found. Substances of concern at about the
# rates drug-checking services publish: benzodiazepines in a fifth to a quarter of opioid samples,
# xylazine and medetomidine mostly in the East, nitazenes and carfentanil now and then, fentanyl in a few
# stimulant samples.
# ---------------------------------------------------------------------------------------------------------

EXPECTED = {"FENTANYL": 50, "METHAMPHETAMINE": 18, "COCAINE": 9, "CRACK": 5, "HEROIN": 3, "OPIOID_OTHER": 4,
            "BENZODIAZEPINE": 3, "MDMA": 3, "KETAMINE": 2, "UNKNOWN": 3}
PRIMARY = {"FENTANYL": "FENTANYL", "HEROIN": "FENTANYL", "OPIOID_OTHER": "OPIOID_OTHER",
           "METHAMPHETAMINE": "METHAMPHETAMINE", "COCAINE": "COCAINE", "CRACK": "COCAINE",
           "BENZODIAZEPINE": "BENZODIAZEPINE", "MDMA": "MDMA", "KETAMINE": "KETAMINE", "UNKNOWN": "OTHER"}
STRIP_TARGET = {"FENTANYL_TEST_STRIP": "FENTANYL", "BENZODIAZEPINE_TEST_STRIP": "BENZODIAZEPINE",
                "XYLAZINE_TEST_STRIP": "XYLAZINE"}


def drug_check(rng, site, d, ref, minute):
    expected = pick(rng, EXPECTED)
    opioid = expected in ("FENTANYL", "HEROIN", "OPIOID_OTHER")
    stimulant = expected in ("METHAMPHETAMINE", "COCAINE", "CRACK", "MDMA")
    east = site.province in ("CA-ON", "CA-QC", "CA-NS", "CA-NL")
    years = (d - TREND_ANCHOR).days / 365.25  # newer adulterants keep spreading
    found = {PRIMARY[expected]: "PRIMARY"}
    if opioid:
        found["CAFFEINE"] = "TRACE"
        if rng.random() < 0.21 + 0.04 * years:
            found["BENZODIAZEPINE"] = "TRACE"
        if rng.random() < (0.08 if east else 0.03):
            found["XYLAZINE"] = "TRACE"
        if rng.random() < max(0.0, 0.012 + 0.015 * years) * (2 if east else 1):
            found["MEDETOMIDINE"] = "TRACE"
        if rng.random() < 0.012:
            found["NITAZENE"] = "TRACE"
        if rng.random() < (0.006 if site.province in ("CA-AB", "CA-BC") else 0.002):
            found["CARFENTANIL"] = "TRACE"
    if stimulant and rng.random() < 0.035:
        found["FENTANYL"] = "TRACE"
    if rng.random() < 0.5:
        found["CUTTING_AGENT"] = "TRACE"
    # Methods: the site's instruments on every sample (mass spectrometry on a fifth, sent out), the
    # fentanyl strip on most, the other strips on opioid samples.
    methods = {METHOD[c] for c in site.checks if c == "DRUG_CHECKING_FTIR"}
    if "DRUG_CHECKING_MASS_SPECTROMETRY" in site.checks and rng.random() < 0.2:
        methods.add("MASS_SPECTROMETRY")
    strips = {METHOD[c] for c in site.checks if c in STRIP_METHOD}
    if "FENTANYL_TEST_STRIP" in strips and (not methods or rng.random() < 0.85):
        methods.add("FENTANYL_TEST_STRIP")
    if opioid or not methods:
        methods |= strips - {"FENTANYL_TEST_STRIP"}
    if not methods:
        methods.add(sorted(strips)[0])
    results = []
    lab = next((m for m in ("MASS_SPECTROMETRY", "FTIR") if m in methods), None)
    if lab:
        for substance, abundance in sorted(found.items()):
            res = {"substance": substance, "method": lab, "abundance": abundance}
            if lab == "MASS_SPECTROMETRY" and substance == "FENTANYL" and abundance == "PRIMARY":
                res["percentage"] = round(rng.uniform(4, 22), 1)
            results.append(res)
    for method in sorted(methods & set(STRIP_TARGET)):
        target = STRIP_TARGET[method]
        reading = "INVALID" if rng.random() < 0.01 else "POSITIVE" if target in found else "NEGATIVE"
        results.append({"substance": target, "method": method, "stripResult": reading})
    return {"type": "drug-check", "externalRef": ref, "siteExternalRef": site.ref,
            "takenAt": iso(instant(d, minute, site.tz, rng.randrange(60))), "expected": expected,
            "sampleKind": "USED_EQUIPMENT" if lab and rng.random() < 0.08 else "DRUG",
            "methods": sorted(methods), "results": results}


def concerns_of(check):
    """The substances of concern the API will find (SubstancesOfConcern defaults), for the summary only."""
    opioid = check["expected"] in ("FENTANYL", "HEROIN", "OPIOID_OTHER")
    stimulant = check["expected"] in ("METHAMPHETAMINE", "COCAINE", "CRACK", "STIMULANT_OTHER", "MDMA")
    found = set()
    for r in check["results"]:
        s = r["substance"]
        if r.get("stripResult") in ("NEGATIVE", "INVALID"):
            continue
        if s in ("CARFENTANIL", "NITAZENE", "XYLAZINE", "MEDETOMIDINE") or (opioid and s == "BENZODIAZEPINE") or (
                stimulant and s in ("FENTANYL", "FENTANYL_ANALOGUE", "CARFENTANIL", "NITAZENE")):
            found.add(s)
    return found


# ---------------------------------------------------------------------------------------------------------
# Practice notes, in English and French, and the teams' resiliency months.
# ---------------------------------------------------------------------------------------------------------

# (org, author: admin or viewer, language, theme, kind, visibility, tags, title, body)
PRACTICE_NOTES = [
    ("coastal", "viewer", "en", "OPERATIONS", "TIP", "NETWORK", ["inhalation", "ventilation"],
     "Check the inhalation room's air changes before opening",
     "We log the air-change reading at every shift start. Twice this year the fan had failed overnight and we "
     "kept the inhalation room closed until facilities fixed it, instead of finding out from staff headaches."),
    ("coastal", "admin", "en", "EXPANDING_MODELS", "TIP", "NETWORK", ["peer-assisted", "training"],
     "Training peers for assisted injection",
     "Peers who assist with injection complete a two-day course, then five supervised sessions. Pair each new "
     "peer assistant with an experienced one for the first month; the guidebook's consent script works well."),
    ("coastal", "admin", "en", "STAFF_RESILIENCY", "ISSUE", "ORGANIZATION", ["payday", "staffing"],
     "Cheque week needs two more staff on the floor",
     "Overdoses nearly double in the three days after income assistance day. We now schedule two extra "
     "responders for those shifts and hold the hot debriefs at shift change."),
    ("riverside", "admin", "en", "STAFF_RESILIENCY", "TIP", "NETWORK", ["debrief", "overdose"],
     "Hot debriefs after every overdose, even the quick ones",
     "Five minutes, standing, right after the client is stable: what happened, what went well, how is everyone. "
     "Our debrief rate within 72 hours went from half to nine in ten once it became routine."),
    ("riverside", "viewer", "en", "OPERATIONS", "TIP", "ORGANIZATION", ["xylazine", "wound-care"],
     "Xylazine wounds: book the nurse's afternoon hours",
     "Since xylazine showed up in our drug checking, wound care visits tripled. Clients come back when the "
     "dressing change is booked, so we keep a sign-up sheet at intake."),
    ("riverside", "admin", "fr", "COMMUNITY_ENGAGEMENT", "TIP", "NETWORK", ["francophone", "accès"],
     "Des services en français à Toronto",
     "Deux intervenants bilingues par quart suffisent pour accueillir les personnes francophones. Nous "
     "affichons les heures en français et en anglais à l'entrée."),
    ("lakeshore", "admin", "fr", "STAFF_RESILIENCY", "TIP", "NETWORK", ["résilience", "pairs"],
     "Résilience : le soutien par les pairs après une surdose",
     "Après chaque surdose, un pair aidant propose un moment d'échange à l'équipe. La résilience se construit "
     "dans ces retours rapides, avant la fin du quart, plutôt qu'en réunion la semaine suivante."),
    ("lakeshore", "admin", "fr", "REGULATORY", "ISSUE", "NETWORK", ["exemption", "renouvellement"],
     "Renouvellement de l'exemption fédérale : prévoir six mois",
     "Notre demande de renouvellement a pris cinq mois. Préparez les lettres d'appui du voisinage et les "
     "données de fréquentation mensuelles bien avant l'échéance."),
    ("lakeshore", "viewer", "fr", "COMMUNITY_ENGAGEMENT", "TIP", "NETWORK", ["voisinage", "médiation"],
     "Rencontres mensuelles avec le voisinage de Saint-Henri",
     "Une marche du quartier chaque mois avec les commerçants a réduit les plaintes de moitié. Nous ramassons "
     "le matériel usagé ensemble et répondons aux questions sur place."),
    ("lakeshore", "viewer", "fr", "OPERATIONS", "TIP", "ORGANIZATION", ["femmes", "horaire"],
     "Heures réservées aux femmes : ce qui a fonctionné",
     "Les après-midi du mardi et du jeudi, la salle des femmes a doublé sa fréquentation quand nous avons "
     "ajouté une intervenante dédiée et des produits d'hygiène."),
    ("lakeshore", "admin", "fr", "EXPANDING_MODELS", "TIP", "NETWORK", ["inhalation", "ventilation"],
     "Inhalation supervisée : une salle dédiée et bien ventilée",
     "L'ajout de deux postes d'inhalation a demandé une hotte et un suivi de la qualité de l'air. La "
     "fréquentation a augmenté dès le premier mois."),
    ("chinook", "admin", "en", "REGULATORY", "ISSUE", "NETWORK", ["exemption", "renewal"],
     "Start the exemption renewal six months ahead",
     "Our Red Deer site's provincial exemption lapsed while the renewal sat in review. Start early, keep "
     "monthly figures ready, and ask for a longer term: five years, not one."),
    ("chinook", "viewer", "en", "OPERATIONS", "ISSUE", "NETWORK", ["benzodiazepine", "monitoring"],
     "Benzodiazepine overdoses need longer monitoring",
     "Naloxone brings breathing back but the sedation stays. We now monitor for at least an hour after a "
     "suspected benzodiazepine overdose and keep a recovery chair free."),
    ("prairie", "admin", "en", "COMMUNITY_ENGAGEMENT", "TIP", "NETWORK", ["neighbours", "outreach"],
     "A monthly walk-around with neighbours",
     "Once a month staff walk the block with business owners and pick up used supplies together. Complaints "
     "dropped, and two neighbours now volunteer at our naloxone training."),
    ("prairie", "viewer", "en", "STAFF_RESILIENCY", "ISSUE", "ORGANIZATION", ["burnout", "winter"],
     "Winter evenings wear the team down",
     "Short days and cold nights brought more overdoses and longer shifts. We rotate the evening lead weekly "
     "and added a grief session after each death in the community."),
    ("redriver", "admin", "en", "EXPANDING_MODELS", "TIP", "NETWORK", ["mobile", "scs"],
     "From a mobile OPS to a fixed site",
     "Three years of the van told us where and when people use. The fixed site opened on Main Street at those "
     "hours, and most van regulars followed within a month."),
    ("redriver", "viewer", "en", "OPERATIONS", "ISSUE", "ORGANIZATION", ["mobile", "winter"],
     "The van's heater at minus thirty",
     "Two January nights without heat closed the van. A second heater and a block heater timer fixed it."),
    ("atlantic", "admin", "en", "EXPANDING_MODELS", "TIP", "NETWORK", ["paramedic", "evenings"],
     "Paramedic-staffed evenings",
     "Paramedics staff our Thursday to Saturday evenings. Transports dropped because they can assess on site "
     "and keep people who would otherwise be sent to emergency."),
    ("atlantic", "viewer", "fr", "OPERATIONS", "TIP", "NETWORK", ["analyse", "alertes"],
     "Analyse de substances : afficher les alertes de la semaine",
     "Nous affichons à l'accueil les alertes du réseau pour la province : xylazine, nitazènes, "
     "benzodiazépines. Les personnes demandent plus souvent une analyse depuis."),
    ("avalon", "admin", "en", "OPERATIONS", "TIP", "NETWORK", ["drug-checking", "xylazine"],
     "Fentanyl and xylazine strips together at intake",
     "Offering both strips at intake doubled the number of samples checked. A positive xylazine strip starts "
     "the wound-care conversation early."),
    ("avalon", "viewer", "en", "STAFF_RESILIENCY", "TIP", "NETWORK", ["small-team", "peer-support"],
     "Peer support in a team of six",
     "In a small team everyone responds to every overdose. We pair up for a check-in at the end of each shift "
     "and call a partner organization's counsellor when it gets heavy."),
]

TEAMS = {"riverside": ["front-line", "outreach"], "lakeshore": ["front-line", "outreach"],
         "coastal": ["front-line", "outreach", "nursing"], "chinook": ["front-line", "outreach"],
         "prairie": ["front-line"], "redriver": ["front-line", "outreach"], "atlantic": ["front-line"],
         "avalon": ["front-line"]}


def resiliency_months(slug, cal, deaths_by_month):
    """The last twelve complete months, per team: trainings held, and a pulse (monthly on the front line,
    quarterly elsewhere). Compassion satisfaction dips and burnout rises in months with deaths."""
    first = date(cal.today.year - 1, cal.today.month, 1)
    out = []
    for team in TEAMS[slug]:
        for k in range(12):
            m = date(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, 1)
            rng = random.Random(f"{slug}|{team}|{m:%Y-%m}|resiliency")
            size = {"front-line": 14, "outreach": 8, "nursing": 9}[team] + rng.randrange(-2, 4)
            trainings = [{"kind": "OVERDOSE_RESPONSE_DRILL", "sessions": rng.randrange(1, 4),
                          "attendees": rng.randrange(size // 2, size + 1)}]
            if m.month % 3 == 1:
                trainings.append({"kind": "TRAUMA_INFORMED_PRACTICE", "sessions": 1, "attendees": rng.randrange(4, size + 1)})
            if m.month % 2 == 0:
                trainings.append({"kind": "RESILIENCY_SELF_CARE", "sessions": 1, "attendees": rng.randrange(3, size + 1)})
            if team == "front-line" and slug in ("coastal", "lakeshore", "avalon"):
                trainings.append({"kind": "PEER_SUPPORT", "sessions": rng.randrange(2, 5), "attendees": rng.randrange(4, size + 1)})
            deaths = deaths_by_month.get(f"{m:%Y-%m}", 0)
            if deaths:
                trainings.append({"kind": "GRIEF", "sessions": 1, "attendees": rng.randrange(size // 2, size + 1)})
            body = {"trainings": trainings}
            if team == "front-line" or m.month % 3 == 0:
                winter = 1.5 if m.month in (12, 1, 2) else 0
                body["pulse"] = {"respondents": max(5, size - rng.randrange(0, 6)),
                                 "compassionSatisfaction": round(38.5 - 2.0 * deaths - winter + rng.gauss(0, 1.2), 1),
                                 "burnout": round(24.0 + 1.5 * deaths + winter + rng.gauss(0, 1.2), 1),
                                 "secondaryTraumaticStress": round(22.5 + 2.5 * deaths + rng.gauss(0, 1.2), 1)}
            out.append((team, f"{m:%Y-%m}", body))
    return out


# ---------------------------------------------------------------------------------------------------------
# The whole network, per organization.
# ---------------------------------------------------------------------------------------------------------


def organization_input(org, keycloak):
    sites = [s for s in SITES if s["org"] == org["slug"]]
    return {"slug": org["slug"], "legalNameEn": org["en"], "legalNameFr": org["fr"],
            "provinces": sorted({org["province"]} | {ORG[s["org"]]["province"] for s in sites}),
            "issuer": f"{keycloak}/realms/{org['slug']}", "audience": "harbour-api"}


def generate(cal):
    """Per organization: its Site objects, its import lines (admin: sites and offerings; visits; incidents;
    checks), its resiliency months and its practice notes."""
    network = {}
    for org in ORGS:
        sites = [Site(s, cal) for s in SITES if s["org"] == org["slug"]]
        admin = [s.record() for s in sites] + [o for s in sites for o in s.offerings()]
        visits, incidents, checks = [], [], []
        for s in sites:
            v, i, c = s.generate()
            visits += v
            incidents += i
            checks += c
        incidents += outreach_incidents(org, cal)
        deaths = {}
        for i in incidents:
            if i.get("outcome") == "DEATH":
                deaths[i["occurredAt"][:7]] = deaths.get(i["occurredAt"][:7], 0) + 1
        network[org["slug"]] = dict(sites=sites, admin=admin, visits=visits, incidents=incidents, checks=checks,
                                    resiliency=resiliency_months(org["slug"], cal, deaths),
                                    notes=[n for n in PRACTICE_NOTES if n[0] == org["slug"]])
    return network


def summary(network, cal):
    """What the demo contains, computed from what is sent."""
    sites = [s for n in network.values() for s in n["sites"]]
    visits = [v for n in network.values() for v in n["visits"]]
    incidents = [i for n in network.values() for i in n["incidents"]]
    checks = [c for n in network.values() for c in n["checks"]]
    total_visits = sum(v["visits"] for v in visits)
    overdoses = [i for i in incidents if i["kind"] == "OVERDOSE"]
    kinds = {}
    for s in sites:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    concern = {}
    for c in checks:
        for s in concerns_of(c):
            concern[s] = concern.get(s, 0) + 1
    soon = [s.ref for s in sites if s.exemption and not s.closed
            and cal.today <= cal.day(s.exemption[1]) <= cal.today + timedelta(days=90)]
    expired = [s.ref for s in sites if s.exemption and not s.closed and cal.day(s.exemption[1]) < cal.today]
    possible = sum(1 for s in sites for d in s.days() if open_minutes(s.hours, d))
    lines = [
        f"{len(network)} organizations in {len({s.province for s in sites})} provinces, "
        f"{len({s.tz for s in sites})} IANA time zones; {len(sites)} sites: "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        + f" ({sum(s.status != 'ACTIVE' for s in sites)} closed or temporarily closed)",
        f"{len(visits)} visit days ({100 * len(visits) / possible:.1f} % of the site-days reported), "
        f"{total_visits:,} visits, {cal.first} to {cal.today - timedelta(days=1)}",
        f"{len(incidents)} incidents: {len(overdoses)} overdoses ({1000 * len(overdoses) / total_visits:.1f} per 1,000 "
        f"visits, naloxone in {100 * sum(i['response']['naloxoneDoses'] > 0 for i in overdoses) / len(overdoses):.0f} %, "
        f"EMS called in {100 * sum(i['response']['emsCalled'] for i in overdoses) / len(overdoses):.0f} %, "
        f"{sum(i.get('outcome') == 'TRANSPORTED' for i in overdoses)} transported), "
        f"{sum(i.get('outcome') == 'DEATH' for i in incidents)} deaths",
        f"{len(checks)} drug checks, {sum(1 for c in checks if concerns_of(c))} with a substance of concern ("
        + ", ".join(f"{k} {n}" for k, n in sorted(concern.items())) + ")",
        f"{sum(len(n['notes']) for n in network.values())} practice notes "
        f"({sum(1 for n in network.values() for x in n['notes'] if x[2] == 'fr')} in French, "
        f"{sum(1 for n in network.values() for x in n['notes'] if x[5] == 'NETWORK')} shared with the network), "
        f"{sum(len(n['resiliency']) for n in network.values())} resiliency months",
        f"exemptions expiring within 90 days: {', '.join(soon)}; expired on an open site: {', '.join(expired)}",
    ]
    return lines


# ---------------------------------------------------------------------------------------------------------
# Keycloak: the new organizations' realms, made from riverside's (same roles, client, users, secrets).
# ---------------------------------------------------------------------------------------------------------


def realm_of(org):
    template = (ROOT / "deploy/keycloak/riverside-realm.json").read_text()
    short = org["en"].rsplit(" Harm", 1)[0].replace(" Community", "")  # the users' first name: "Red River"
    text = (template.replace("Riverside Harm Reduction Society", org["en"])
            .replace("riverside", org["slug"]).replace("Riverside", short))
    realm = json.loads(text)
    assert realm["realm"] == org["slug"] and "iverside" not in text, org["slug"]
    return text


def write_realms(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for org in ORGS:
        if not org.get("realm_file"):
            path = directory / f"{org['slug']}-realm.json"
            text = realm_of(org)
            if not path.exists() or path.read_text() != text:
                path.write_text(text)


# ---------------------------------------------------------------------------------------------------------
# Loading through the API, with each organization's own tokens.
# ---------------------------------------------------------------------------------------------------------


class LoadError(Exception):
    pass


class Http:
    """One keep-alive connection per thread and server."""

    local = threading.local()

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port, self.base = u.hostname, u.port, base

    def call(self, method, path, body=None, headers=None, expect=(200,), patience=600):
        """A 429 (busy, or over a rate limit) did nothing: wait Retry-After and send again, for up to `patience` s."""
        give_up = time.monotonic() + patience
        while True:
            status, data, retry_after = self.once(method, path, body, headers)
            if status != 429 or time.monotonic() > give_up:
                break
            time.sleep(retry_after)
        if status not in expect:
            raise LoadError(f"{method} {self.base}{path}: HTTP {status} {data[:600].decode(errors='replace')}")
        return status, json.loads(data) if data else None

    def once(self, method, path, body, headers):
        conns = self.local.__dict__.setdefault("conns", {})
        for attempt in (1, 2):
            conn = conns.get(self.base)
            if conn is None:
                conn = conns[self.base] = http.client.HTTPConnection(self.host, self.port, timeout=600)
            try:
                conn.request(method, path, body=body, headers=headers or {})
                resp = conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                conns.pop(self.base, None)
                if attempt == 2:
                    raise
        try:
            retry_after = min(max(float(resp.getheader("Retry-After")), 0.2), 30)
        except (TypeError, ValueError):
            retry_after = 1.0
        return resp.status, data, retry_after


class Loader:
    def __init__(self, api, keycloak):
        self.api, self.kc = Http(api), Http(keycloak)
        self.keycloak = keycloak
        self.tokens, self.lock = {}, threading.Lock()

    def token(self, realm, client, user=None):
        key = (realm, client, user)
        with self.lock:
            if key in self.tokens:
                return self.tokens[key]
        form = {"client_id": client, "client_secret": f"{client}-secret", "grant_type": "client_credentials"}
        if user:
            form.update(grant_type="password", username=user, password=user)
        _, answer = self.kc.call("POST", f"/realms/{realm}/protocol/openid-connect/token", urllib.parse.urlencode(form),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        with self.lock:
            self.tokens[key] = answer["access_token"]
        return answer["access_token"]

    def wait_for_keycloak(self, seconds=240):
        for _ in range(seconds):
            try:
                self.kc.call("GET", "/realms/network/.well-known/openid-configuration")
                return
            except (LoadError, OSError):
                time.sleep(1)
        raise LoadError(f"Keycloak not ready at {self.keycloak} after {seconds} s")

    def admin(self):
        return self.token("network", "harbour-admin")

    def org_admin(self, slug):  # sites, offerings, resiliency: the org-admin user, as a person would
        return self.token(slug, f"{slug}-system", f"{slug}-admin")

    def reporter(self, slug):  # the organization's system posts its data with client credentials
        return self.token(slug, f"{slug}-system")

    def author(self, slug, who):
        return self.token(slug, f"{slug}-system", f"{slug}-{who}")

    def json(self, method, path, token, body=None, expect=(200,)):
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body).encode()
        return self.api.call(method, path, body, headers, expect)

    def organizations(self):
        slugs, cursor = set(), None
        while True:
            query = "?limit=200" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
            _, page = self.json("GET", f"/v1/admin/organizations{query}", self.admin())
            slugs |= {o["slug"] for o in page["items"]}
            cursor = page.get("nextCursor")
            if not cursor:
                return slugs

    def note_exists(self, slug, title):
        q = urllib.parse.urlencode({"q": title, "limit": 50})
        _, page = self.json("GET", f"/v1/orgs/{slug}/notes?{q}", self.reporter(slug))
        return any(hit["title"] == title for hit in page["items"])

    def loaded(self):
        """The demo is in when every organization is registered and the last note of the load is there."""
        if not {o["slug"] for o in ORGS} <= self.organizations():
            return False
        last = PRACTICE_NOTES[-1]
        return self.note_exists(last[0], last[7])

    def register(self, org):
        status, _ = self.json("POST", "/v1/admin/organizations", self.admin(), organization_input(org, self.keycloak),
                              expect=(201, 409))
        return status == 201

    def imports(self, slug, token, lines, what):
        """One bulk import; every line must be written (created, updated or unchanged), or the load fails."""
        body = "\n".join(json.dumps(line, ensure_ascii=False, separators=(",", ":")) for line in lines).encode()
        _, report = self.api.call("POST", f"/v1/orgs/{slug}/imports", body,
                                  {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"})
        rejected = [line for line in report["lines"] if line["status"] == "REJECTED"]
        if rejected or len(report["lines"]) != len(lines):
            shown = "\n".join(f"  line {r['line']} ({r.get('type')}): {json.dumps(r.get('errors'), ensure_ascii=False)}\n"
                              f"    {json.dumps(lines[r['line'] - 1], ensure_ascii=False)[:400]}" for r in rejected[:10])
            raise LoadError(f"{slug} {what}: {len(rejected)} of {len(lines)} lines rejected "
                            f"({len(report['lines'])} reported)\n{shown}")
        return report["counts"]


def chunks(lines, size):
    for i in range(0, len(lines), size):
        yield lines[i:i + size]


def load(args):
    started = time.monotonic()
    cal = Calendar(args.today)
    loader = Loader(args.api, args.keycloak)
    # The data is made while Keycloak finishes starting and while we ask whether the demo is in already.
    network = {}
    maker = threading.Thread(target=lambda: network.update(generate(cal)), daemon=True)
    maker.start()
    loader.wait_for_keycloak()
    if loader.loaded():
        log(f"Demo network already loaded ({len(ORGS)} organizations); nothing to do")
        return
    maker.join()
    if not network:
        raise LoadError("the generator failed (see above)")
    log(f"Loading the demo network up to {cal.today - timedelta(days=1)}: "
        f"{sum(len(n['visits']) + len(n['incidents']) + len(n['checks']) for n in network.values())} records")
    for org in ORGS:
        log(f"Organization {org['slug']} " + ("created" if loader.register(org) else "already there"))
    totals, totals_lock = {}, threading.Lock()

    def run(slug, token_of, lines, what):
        t = time.monotonic()
        counts = loader.imports(slug, token_of(slug), lines, what)
        if args.verbose:
            log(f"  {slug} {what}: {len(lines)} lines in {time.monotonic() - t:.1f} s")
        with totals_lock:
            for k, n in counts.items():
                totals[k] = totals.get(k, 0) + n

    def resiliency(slug, team, month, body):
        loader.json("PUT", f"/v1/orgs/{slug}/resiliency/{team}/{month}", loader.org_admin(slug), body, expect=(200, 201))

    jobs = []
    for slug, n in network.items():
        for part in chunks(n["visits"], 2000):
            jobs.append((slug, part, "visits"))
        # An organization's drug checks in one request: the alerts they raise are per province and week.
        jobs.append((slug, n["incidents"] + n["checks"], "incidents and drug checks"))
    jobs.sort(key=lambda j: -len(j[1]))  # the longest first, so that the workers finish together
    # Three requests at once keep both cores busy while the API and PostgreSQL take turns on each.
    # Phase by phase: the sites must be in before the records that name them.
    phases = [[(run, slug, loader.org_admin, n["admin"], "sites and offerings") for slug, n in network.items()],
              [(run, slug, loader.reporter, part, what) for slug, part, what in jobs],
              [(resiliency, slug, *r) for slug, n in network.items() for r in n["resiliency"]]]
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        try:
            for phase in phases:
                for f in [pool.submit(*task) for task in phase]:
                    f.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # stop at the first failure
            raise
    log(f"Imported: {totals}; resiliency months: {sum(len(n['resiliency']) for n in network.values())}")
    # Notes last, one by one and in order: the last one says the load is complete. Notes have no external
    # reference, so a load that stopped half way posts only the ones that are missing.
    posted = 0
    for slug, who, language, theme, kind, visibility, tags, title, body in PRACTICE_NOTES:
        if not loader.note_exists(slug, title):
            loader.json("POST", f"/v1/orgs/{slug}/notes", loader.author(slug, who),
                        dict(title=title, body=body, language=language, theme=theme, kind=kind, tags=tags,
                             visibility=visibility), expect=(201,))
            posted += 1
    log(f"Practice notes posted: {posted}")
    for line in summary(network, cal):
        log("  " + line)
    log(f"Demo network loaded in {time.monotonic() - started:.0f} s")


def log(text):
    print(time.strftime("%H:%M:%S"), text, file=sys.stderr, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("realms", help="write the demo organizations' realms into DIR")
    r.add_argument("dir")
    sub.add_parser("realm-names", help="the realms the demo needs")
    for name in ("generate", "load"):
        c = sub.add_parser(name)
        c.add_argument("--today", type=date.fromisoformat, help="generate as on this date (default: today in Toronto)")
        if name == "generate":
            c.add_argument("dir")
        else:
            c.add_argument("--api", default="http://127.0.0.1:8080")
            c.add_argument("--keycloak", default="http://127.0.0.1:8180")
            c.add_argument("--workers", type=int, default=int(os.environ.get("HARBOUR_DEMO_WORKERS", "3")))
            c.add_argument("--verbose", action="store_true", help="time every request")
    args = p.parse_args()
    if args.command == "realms":
        write_realms(args.dir)
    elif args.command == "realm-names":
        print("\n".join(o["slug"] for o in ORGS))
    elif args.command == "generate":
        cal = Calendar(args.today)
        network = generate(cal)
        out = Path(args.dir)
        out.mkdir(parents=True, exist_ok=True)
        for slug, n in network.items():
            with open(out / f"{slug}.jsonl", "w") as f:
                for line in n["admin"] + n["visits"] + n["incidents"] + n["checks"]:
                    f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
            with open(out / f"{slug}-other.json", "w") as f:
                json.dump({"organization": organization_input(ORG[slug], "http://127.0.0.1:8180"),
                           "resiliency": n["resiliency"], "notes": n["notes"]}, f, ensure_ascii=False, indent=1)
        print("\n".join(summary(network, cal)))
    else:
        try:
            load(args)
        except LoadError as e:
            log(f"Loading the demo network failed: {e}")
            sys.exit(1)


if __name__ == "__main__":
    main()
