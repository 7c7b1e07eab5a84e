"""Reads shared by views, feeds and commands, one module per sub-domain.

- ``_common``: Who works for an organisation: reads shared by every sub-domain.
- ``consultations``: Consultations a person may read or publish, near a point, and their perimeter.
- ``meetings``: Meetings of published consultations.
- ``feeds``: The public JSON feed other platforms import.
- ``actors``: The actor directory as each person sees it, and who validates it.
- ``contact``: Contact messages as staff see them.
- ``contributions``: Contributions a person may read, with their counts and replies.
- ``moderation``: The moderation queue, the decision log and the charter.
- ``answers``: Who may answer a contribution.
- ``restitution``: Participants, the audience and key figures of a restitution, and overdue ones.
"""
