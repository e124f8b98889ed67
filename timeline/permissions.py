"""The editors group: add and change reports, claims, events and evidence, and accept or
reject suggestions; only administrators (superusers) delete anything, so an accepted
piece of evidence or a claim is never removed by an editor (rejecting is how an editor
says no). Kept in step after every migrate, so new models' permissions follow."""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
GRANTS = {
    "articles": {
        "article": ["add", "change", "view"],
        "claim": ["add", "change", "view"],
        "passage": ["view"],
        "datemention": ["view"],
        "outlet": ["add", "change", "view"],
        "topic": ["add", "change", "view"],
    },
    "timeline": {
        "event": ["add", "change", "view"],
        "evidence": ["add", "change", "view"],
        "statuschange": ["add", "view"],
        "eventcandidate": ["view"],
        "tariffpoint": ["change", "view"],
    },
}


def ensure_editors_group(**kwargs) -> Group:
    group, _ = Group.objects.get_or_create(name=EDITORS)
    codenames = [
        (app, f"{action}_{model}")
        for app, models in GRANTS.items()
        for model, actions in models.items()
        for action in actions
    ]
    perms = [
        p
        for p in Permission.objects.filter(content_type__app_label__in=GRANTS).select_related(
            "content_type"
        )
        if (p.content_type.app_label, p.codename) in codenames
    ]
    group.permissions.set(perms)
    return group
