"""Every write and side effect of the consultations app, one module per sub-domain.

- ``_common``: Rich text and bilingual messages, shared by the consultation services.
- ``consultations``: Publishing and opening alerts; phases, follows, the participation check.
- ``meetings``: Meetings and documents of a consultation; seats and the waiting list.
- ``feeds``: Relaying the consultations of another platform from its feed.
- ``actors``: Registering, editing and validating the actors of the directory.
- ``contact``: Contact messages: acknowledgement, redirection, reply, closing.
- ``contributions``: Writing, editing, supporting and flagging contributions.
- ``moderation``: The state machine of contributions: every move, logged and told.
- ``answers``: The official answer of the owning direction to a contribution.
- ``restitution``: Writing and publishing the restitution of a consultation.
"""
