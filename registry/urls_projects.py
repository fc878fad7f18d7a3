from django.urls import path

from registry.views import deployments, health, members, projects, tokens

urlpatterns = [
    path("", projects.index, name="index"),
    path("health/", health.health, name="health"),
    # Projects
    path("projects/", projects.project_list, name="project_list"),
    path("projects/<int:project_id>/", projects.project_detail, name="project_detail"),
    path("projects/<int:project_id>/edit/", projects.project_edit, name="project_edit"),
    path(
        "projects/<int:project_id>/delete/",
        projects.project_delete_confirm,
        name="project_delete",
    ),
    path(
        "projects/<int:project_id>/delete/confirm/",
        projects.project_delete_view,
        name="project_delete_post",
    ),
    # Members
    path("projects/<int:project_id>/members/", members.member_list, name="member_list"),
    path(
        "projects/<int:project_id>/members/<int:membership_id>/role/",
        members.member_role,
        name="member_role",
    ),
    path(
        "projects/<int:project_id>/members/<int:membership_id>/remove/",
        members.member_remove_view,
        name="member_remove",
    ),
    path(
        "projects/<int:project_id>/settings/predictions/",
        deployments.project_predict_setting,
        name="project_predict_setting",
    ),
    # API tokens, on the user's profile
    path("profile/tokens/", tokens.token_list, name="token_list"),
    path("profile/tokens/<int:token_id>/revoke/", tokens.token_revoke_view, name="token_revoke"),
]
