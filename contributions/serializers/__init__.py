"""Shapes of the consultation API, one module per sub-domain; no business rule here.

- ``_common``: Brief shapes of organisations, directions and charter reasons.
- ``meetings``: Shapes of meetings, registrations and documents.
- ``consultations``: Shapes of consultations, their phases, perimeter and follows.
- ``feeds``: The shape of the public JSON feed.
- ``actors``: The shape of an actor of the directory.
- ``contact``: Shapes of contact messages.
- ``answers``: Shapes of official answers.
- ``contributions``: Shapes of contributions, supports and flags.
- ``moderation``: Shapes of the moderation queue, decisions and the log.
- ``restitution``: Shapes of restitutions, their documents and key figures.
"""
