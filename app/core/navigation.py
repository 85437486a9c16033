"""The mandatory information categories of R-08 (a)-(n): every site's navigation.

Each section is a public path of the contract, served by the module it belongs to; a section
with nothing published yet says so (the ``_section.html`` layout).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Section:
    letter: str
    key: str
    title: object
    path: str
    description: object


SECTIONS = (
    Section(
        "a",
        "introduction",
        _l("Introduction"),
        "/pages/gioi-thieu",
        _l("Nature, geography, history, culture, economy, maps, organisation chart, functions and leaders."),
    ),
    Section(
        "b",
        "direction",
        _l("Direction and administration"),
        "/direction/",
        _l("Directives, answers to petitions, commendations and sanctions, leaders' work schedules."),
    ),
    Section(
        "c", "news", _l("News"), "/news/", _l("News on politics, the economy, culture, society, defence and security.")
    ),
    Section(
        "d",
        "documents",
        _l("Legal documents"),
        "/documents/",
        _l("Central and provincial legal documents, guidance and the e-gazette."),
    ),
    Section(
        "e",
        "procedures",
        _l("Administrative procedures"),
        "/procedures/",
        _l("Procedures with their steps, dossiers, fees, forms and online services."),
    ),
    Section(
        "f",
        "planning",
        _l("Strategies and planning"),
        "/planning/",
        _l("Strategies, plans, investment incentives, land-use and construction planning, resources and environment."),
    ),
    Section(
        "g",
        "contacts",
        _l("Contact directory"),
        "/contacts/",
        _l("Official phone numbers and email addresses of competent officials."),
    ),
    Section(
        "h", "contact", _l("Contact us"), "/contact", _l("The address, phone, fax and email of this site's agency.")
    ),
    Section(
        "i",
        "projects",
        _l("Projects and procurement"),
        "/projects/",
        _l("Investment projects, bidding and public procurement notices."),
    ),
    Section(
        "j",
        "participation",
        _l("Consultations and questions"),
        "/consultations/",
        _l("Drafts open for comment, citizens' questions, feedback and petitions."),
    ),
    Section(
        "k",
        "science",
        _l("Science programmes"),
        "/projects/science/",
        _l("State-funded science and technology programmes and their results."),
    ),
    Section(
        "l",
        "statistics",
        _l("Statistics"),
        "/statistics/",
        _l("Figures, reports, methodology and analysis from the Statistics Office."),
    ),
    Section(
        "m",
        "links",
        _l("Links"),
        "/links/",
        _l("Subsites, shared databases, online public services and the e-gazette."),
    ),
    Section("n", "more", _l("Other sections"), "/pages/", _l("Other sections added by the agency.")),
)


def section(key):
    return next(s for s in SECTIONS if s.key == key)
