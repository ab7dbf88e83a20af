"""The demo matter: the lawsuit reported by DMR News on Jan 24, 2025 (the article is in this folder).

Every fact below is one the article states, dated no more precisely than the article dates it. Pinpoints count the
article's body paragraphs, quotations not counted.
"""

from pathlib import Path

ARTICLE = Path(__file__).with_name("dmr-news-2025-01-24.txt")
ARTICLE_TITLE = "DMR News, “LinkedIn Faces Legal Battle Over Alleged Misuse of Private Messages for AI Training”"
ARTICLE_DATE = "Jan 24, 2025"
ARTICLE_AUTHOR = "Yasmeeta Oon (DMR News)"

MATTER = {
    "slug": "linkedin-ai-training",
    "short_title": "Premium User v. LinkedIn",
    "court": "United States federal court, California (district not stated in the source)",
    "case_number": "",
    "parties": (
        "A LinkedIn Premium user, on behalf of “all others” similarly affected, Plaintiff,\nv.\nLinkedIn, Defendant."
    ),
    "time_zone": "America/Los_Angeles",
    "confidentiality_legend": "Demo matter built from public reporting — attorney work product in a real case",
    "exhibit_prefix": "PX-",
}

ACTORS = {
    "LinkedIn": "organisation",
    "LinkedIn Premium user (plaintiff)": "person",
    "LinkedIn spokesperson": "person",
    "DMR News": "organisation",
}

# (external id, date as the article gives it, kind, status, key, title, description, actors, issues, pinpoint)
EVENTS = [
    (
        "demo-setting",
        "Aug 2024",
        "setting_introduced",
        "disputed",
        True,
        "LinkedIn introduces a privacy setting that opts users into sharing their data for AI training",
        "The complaint alleges that LinkedIn introduced a privacy setting in August 2024 that automatically opted "
        "users into a program allowing third parties to use their personal data to train AI models, and that the "
        "change was made quietly, without notifying users. LinkedIn denies the allegations.",
        ["LinkedIn"],
        ["consent", "notice", "AI training"],
        "¶ 2",
    ),
    (
        "demo-faq",
        "",
        "help_page_edit",
        "unverified",
        False,
        "LinkedIn changes its FAQ to say users may opt out of data sharing for AI",
        "The complaint alleges that LinkedIn altered its “frequently asked questions” section to tell users they "
        "could opt out of data sharing for AI purposes, and that opting out would not affect training that had "
        "already occurred. The article gives no date for this change.",
        ["LinkedIn"],
        ["notice", "opt-out", "AI training"],
        "¶ 2",
    ),
    (
        "demo-policy",
        "c. Sept 2024",
        "policy_edit",
        "disputed",
        True,
        "LinkedIn modifies its privacy policy about a month after introducing the setting",
        "The complaint alleges that LinkedIn modified its privacy policy a month after the new setting was "
        "introduced, in an attempt to conceal its actions: “a pattern of attempting to cover its tracks.” "
        "The date is derived from the article (“a month after” Aug 2024). LinkedIn denies the allegations.",
        ["LinkedIn"],
        ["concealment", "notice"],
        "¶ 3",
    ),
    (
        "demo-email",
        "2024",
        "user_communication",
        "unverified",
        False,
        "LinkedIn e-mails users: data sharing for AI not enabled in the UK, EEA and Switzerland",
        "LinkedIn addressed its users “last year” (2024, the article being of Jan 24, 2025) in an e-mail stating "
        "that it has not enabled user data sharing for AI purposes in regions including the United Kingdom, the "
        "European Economic Area and Switzerland.",
        ["LinkedIn"],
        ["notice", "AI training"],
        "¶ 4",
    ),
    (
        "demo-complaint",
        "Jan 2025",
        "court_filing",
        "undisputed",
        True,
        "Complaint filed against LinkedIn in California federal court",
        "A putative class action is filed on behalf of a LinkedIn Premium user and “all others” similarly "
        "affected, accusing LinkedIn of sharing private messages with other companies to train AI models. It "
        "seeks damages and injunctive relief. The article reports the filing on Jan 24, 2025 without its date.",
        ["LinkedIn Premium user (plaintiff)", "LinkedIn"],
        ["consent", "notice", "concealment", "AI training"],
        "¶ 1",
    ),
    (
        "demo-denial",
        "",
        "public_statement",
        "undisputed",
        False,
        "LinkedIn spokesperson: “These are false claims with no merit.”",
        "A LinkedIn spokesperson dismissed the claims as unfounded. The article, of Jan 24, 2025, quotes the "
        "statement without giving its date.",
        ["LinkedIn spokesperson", "LinkedIn"],
        ["AI training"],
        "¶ 4",
    ),
    (
        "demo-article",
        "Jan 24, 2025",
        "public_statement",
        "undisputed",
        False,
        "DMR News reports the lawsuit against LinkedIn",
        "Article by Yasmeeta Oon, “LinkedIn Faces Legal Battle Over Alleged Misuse of Private Messages for AI "
        "Training”.",
        ["DMR News"],
        [],
        "",
    ),
]

# Tracked sources: two of the pages the complaint turns on, each with two short versions written for the demo (in
# sources/, labelled on every page as illustrative text, not LinkedIn's wording). Their dates follow the article: the
# setting and its FAQ in Aug 2024, the FAQ changed and the privacy policy amended about a month later (announced
# Sept 18, 2024, in force Nov 20, 2024), the e-mail saying the UK, EEA and Switzerland are left out.
SOURCE_FILES = Path(__file__).with_name("sources")
AUDIENCES = {
    "Members outside the UK, EEA and Switzerland": "Where, by LinkedIn's e-mail of 2024, member data may be used to "
    "train generative AI models.",
}

# name, kind, URL, description, then the versions: (file, title, capture method, captured at (UTC, ISO), first seen,
# effective, audiences)
SOURCES = [
    (
        "Privacy Policy",
        "policy",
        "https://www.linkedin.com/legal/privacy-policy",
        "The privacy policy the complaint says was modified about a month after the setting was introduced.",
        [
            ("privacy-policy-2023-11.html", "Privacy Policy, effective Nov 2023 (illustrative text)", "web_archive",
             "2024-08-12T17:00:00+00:00", "Aug 12, 2024", "Nov 2023", []),
            ("privacy-policy-2024-11-20.html", "Privacy Policy, effective Nov 20, 2024 (illustrative text)",
             "web_archive", "2024-09-18T20:00:00+00:00", "Sept 18, 2024", "Nov 20, 2024", []),
        ],
    ),
    (
        "Generative AI FAQ",
        "faq",
        "https://www.linkedin.com/help/linkedin/answer/a5538339",
        "The help page on the “Data for Generative AI Improvement” setting, which the complaint says was changed to "
        "tell users they could opt out.",
        [
            ("generative-ai-faq-2024-08.html", "Generative AI FAQ as first seen, Aug 2024 (illustrative text)",
             "screenshot", "2024-08-12T17:05:00+00:00", "Aug 2024", "", []),
            ("generative-ai-faq-2024-09.html", "Generative AI FAQ as changed, Sept 2024 (illustrative text)",
             "web_archive", "2024-09-18T20:05:00+00:00", "Sept 18, 2024", "",
             ["Members outside the UK, EEA and Switzerland"]),
        ],
    ),
]  # fmt: skip
