"""Django admin covers every model of Holdfast's apps, and each changelist opens."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

OUR_APPS = ["initiatives", "chartering", "learning", "mobilizing", "realigning"]


def _our_models():
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def _inline_models():
    return {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }


@pytest.mark.parametrize("model", list(_our_models()), ids=lambda m: m._meta.label)
def test_every_model_is_in_the_admin(model):
    """Registered, or edited inline with its parent (answers within their response)."""
    assert admin.site.is_registered(model) or model in _inline_models(), (
        f"{model._meta.label} is not in the admin"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [m for m in _our_models() if admin.site.is_registered(m)],
    ids=lambda m: m._meta.label,
)
def test_every_changelist_opens_for_a_superuser(model, admin_client):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "x"}).status_code == 200
