"""The consultations app (Aggloforum): residents take part in the projects of the territory.

Each layer is a package with one module per sub-domain: ``models/``, ``services/`` (writes
and side effects), ``selectors/`` (reads), ``serializers/`` and ``views/``. A sub-domain
lives in the module of the same name in each layer that has something for it:

- ``consultations``: consultations, their themes, phases and status; publishing and the
  opening alert; following a consultation or an organisation; the participation check.
- ``meetings``: public meetings, registrations and the waiting list, documents, and the
  iCalendar files (``calendar.py`` builds them).
- ``feeds``: the public JSON and Atom feeds, and relaying the consultations of other
  platforms (``manage.py import_consultations``).
- ``actors``: the actor directory and its validation.
- ``contact``: messages of the contact form, handled by staff.
- ``contributions``: ideas, questions and comments, supports and flags.
- ``moderation``: the charter, each organisation's settings, decisions, the queue and the log;
  ``services/moderation.py`` is the state machine, the only code that moves a contribution.
- ``answers``: the owning direction's official answer to a contribution.
- ``restitution``: restitutions, their documents and key figures, and overdue ones.

What several sub-domains of a layer share sits in its ``_common`` module. The rest of the
app is one file each: ``permissions.py``, ``filters.py``, ``admin.py``, ``tasks.py``,
``privacy.py`` (erasure and retention) and ``demo.py``.
"""
