"""Non-HTML outputs escaped for their own format: XML templates (Atom feeds, the sitemap) are autoescaped like
HTML, and every XML response loses the characters XML 1.0 forbids, so no title can break a feed.

iCalendar text is escaped in app/schedule/ical.py, mail headers in app/core/mail.py and spreadsheet cells in
app/core/tabular.py.
"""

import re

# Flask autoescapes .html/.htm/.xml/.xhtml/.svg; feeds are .atom (and could be .rss).
ESCAPED_EXTENSIONS = (".html", ".htm", ".xml", ".xhtml", ".svg", ".atom", ".rss")
XML_MIMETYPES = {"application/atom+xml", "application/rss+xml", "application/xml", "text/xml"}
# Characters that XML 1.0 never allows, even escaped (C0 controls but tab, LF and CR; U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def select_autoescape(filename):
    """Flask's rule (strings and HTML/XML files) extended to feed templates."""
    return filename is None or filename.endswith(ESCAPED_EXTENSIONS)


def xml_safe(text):
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def _clean_xml_response(response):
    if response.mimetype in XML_MIMETYPES and not response.direct_passthrough and not response.is_streamed:
        text = response.get_data(as_text=True)
        cleaned = xml_safe(text)
        if cleaned != text:
            response.set_data(cleaned)
    return response


def init_app(app):
    app.jinja_env.autoescape = select_autoescape
    app.after_request(_clean_xml_response)
