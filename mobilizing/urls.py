from django.urls import path

from mobilizing import views

app_name = "mobilizing"

I = "initiatives/<int:pk>/mobilizing"  # noqa: E741 - the prefix of every per-initiative page

urlpatterns = [
    path(f"{I}/", views.overview, name="overview"),
    # Stakeholders
    path(f"{I}/stakeholders/", views.stakeholder_grid, name="stakeholders"),
    path(f"{I}/stakeholders/new/", views.stakeholder_add, name="stakeholder-add"),
    path(f"{I}/stakeholders/<int:sid>/edit/", views.stakeholder_edit, name="stakeholder-edit"),
    path(f"{I}/stakeholders/<int:sid>/move/", views.stakeholder_move, name="stakeholder-move"),
    path(
        f"{I}/stakeholders/<int:sid>/delete/", views.stakeholder_delete, name="stakeholder-delete"
    ),
    # Engagement activities
    path(f"{I}/activities/", views.activities, name="activities"),
    path(f"{I}/activities/<int:aid>/edit/", views.activity_edit, name="activity-edit"),
    path(f"{I}/activities/<int:aid>/delete/", views.activity_delete, name="activity-delete"),
    # Pulse surveys
    path(f"{I}/pulse/", views.pulse_list, name="pulse"),
    path(f"{I}/pulse/new/", views.pulse_create, name="pulse-create"),
    path(f"{I}/pulse/trends/", views.pulse_trends, name="pulse-trends"),
    path(f"{I}/pulse/<int:sid>/", views.pulse_detail, name="pulse-detail"),
    path(f"{I}/pulse/<int:sid>/edit/", views.pulse_edit, name="pulse-edit"),
    path(f"{I}/pulse/<int:sid>/status/", views.pulse_status, name="pulse-status"),
    path(f"{I}/pulse/<int:sid>/questions/", views.pulse_question_add, name="pulse-question-add"),
    path(
        f"{I}/pulse/<int:sid>/questions/<int:qid>/edit/",
        views.pulse_question_edit,
        name="pulse-question-edit",
    ),
    path(
        f"{I}/pulse/<int:sid>/questions/<int:qid>/delete/",
        views.pulse_question_delete,
        name="pulse-question-delete",
    ),
    path(f"{I}/pulse/<int:sid>/links/", views.pulse_invitations, name="pulse-invitations"),
    path(f"{I}/pulse/<int:sid>/import/", views.pulse_import, name="pulse-import"),
    # Rollout waves
    path(f"{I}/waves/", views.waves, name="waves"),
    path(f"{I}/waves/new/", views.wave_add, name="wave-add"),
    path(f"{I}/waves/<int:wid>/edit/", views.wave_edit, name="wave-edit"),
    path(f"{I}/waves/<int:wid>/units/", views.unit_add, name="unit-add"),
    path(f"{I}/waves/readings/", views.reading_add, name="reading-add"),
    # Importance-performance analysis: organisation-wide, not per initiative
    path("ipa/", views.ipa_list, name="ipa-list"),
    path("ipa/new/", views.ipa_create, name="ipa-create"),
    path("ipa/<int:sid>/", views.ipa_detail, name="ipa-detail"),
    path("ipa/<int:sid>/edit/", views.ipa_edit, name="ipa-edit"),
    path("ipa/<int:sid>/status/", views.ipa_status, name="ipa-status"),
    path("ipa/<int:sid>/statements/", views.ipa_statements_add, name="ipa-statements"),
    path(
        "ipa/<int:sid>/statements/<int:st>/delete/",
        views.ipa_statement_delete,
        name="ipa-statement-delete",
    ),
    path(
        "ipa/<int:sid>/statements/<int:st>/initiative/",
        views.ipa_initiative,
        name="ipa-initiative",
    ),
    path("ipa/<int:sid>/links/", views.ipa_invitations, name="ipa-invitations"),
    path("ipa/<int:sid>/import/", views.ipa_import, name="ipa-import"),
    # The only pages anyone may open without an account: answering through a link.
    path("pulse/<str:token>/", views.pulse_answer, name="pulse-answer"),
    path("ipa/answer/<str:token>/", views.ipa_answer, name="ipa-answer"),
]
