"""Thin views (validate, call one service or selector, serialise), one module per sub-domain.

- ``consultations``: Consultations: list, detail, map, follow, publish; organisation follows.
- ``meetings``: Meeting registrations and iCalendar files of meetings.
- ``feeds``: The public JSON and Atom feeds of consultations.
- ``actors``: The actor directory.
- ``contact``: The contact form and the staff's handling of its messages.
- ``contributions``: Contributions of a consultation, one contribution, and my own.
- ``moderation``: The charter, the moderation queue and the moderation log.
- ``restitution``: Restitutions: read, write, publish, documents; the staff's list.
"""
