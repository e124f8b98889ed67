"""The editors group: add and change reports, claims, events and evidence; never delete
events or users. Kept in step after every migrate, so new models' permissions follow."""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
GRANTS = {
    "articles": {
        "article": ["add", "change", "view"],
        "claim": ["add", "change", "view", "delete"],
        "passage": ["view"],
        "datemention": ["view"],
        "outlet": ["add", "change", "view"],
        "topic": ["add", "change", "view"],
    },
    "timeline": {
        "event": ["add", "change", "view"],
        "evidence": ["add", "change", "view", "delete"],
        "eventcandidate": ["view"],
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
