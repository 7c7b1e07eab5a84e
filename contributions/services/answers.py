"""The official answer of the owning direction to a contribution."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import Conflict
from backend.models import User
from contributions.models import Contribution, OfficialAnswer
from contributions.services.contributions import _clean_body
from push import services as push
from push.models import Kind
from push.texts import bilingual


@transaction.atomic
def contribution_answer(
    *, contribution: Contribution, by: User, status: str, body: str
) -> OfficialAnswer:
    """The owning direction answers; the author and the supporters are told, once each."""
    if contribution.state != Contribution.State.PUBLISHED:
        raise Conflict(_("Only published contributions can be answered."))
    if contribution.kind == Contribution.Kind.COMMENT:
        raise Conflict(_("Comments get no official answer; answer the contribution instead."))
    answer, _created = OfficialAnswer.objects.update_or_create(
        contribution=contribution,
        defaults={
            "status": status,
            "body": _clean_body(body),
            "direction_id": contribution.consultation.direction_id,
            "author": by,
        },
    )
    supporters = [support.user for support in contribution.supports.select_related("user")]
    # One notification per person even if the author also supports their own idea.
    recipients = {user.pk: user for user in [contribution.author, *supporters] if user.pk != by.pk}
    title = bilingual(
        gettext_lazy("Answer to a contribution: %(status)s"), status=answer.get_status_display()
    )
    summary = Truncator(answer.body).chars(180)
    push.notify(
        users=recipients.values(),
        kind=Kind.CONTRIBUTION_ANSWERS,
        title=title,
        body=bilingual(summary),
        link_type="contribution",
        link_id=contribution.pk,
        collapse_key=f"contribution-{contribution.pk}-answer",
    )
    return answer
