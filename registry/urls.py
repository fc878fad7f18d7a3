"""Pages of projects, members, tokens, packages, model versions and artifacts."""

from django.urls import path

from registry.views import artifacts, members, models, packages, projects, tokens

app_name = "registry"

PROJECT = "projects/<int:project_id>"
MEMBER = f"{PROJECT}/members/<int:membership_id>"
PACKAGE = f"{PROJECT}/packages/<int:package_id>"
MODEL = f"{PROJECT}/models/<int:model_id>"
ARTIFACT = f"{MODEL}/artifacts/<int:artifact_id>"

urlpatterns = [
    path("", projects.index, name="index"),
    # --- Projects and their members ------------------------------------------
    path("projects/", projects.project_list, name="project_list"),
    path(f"{PROJECT}/", projects.project_detail, name="project_detail"),
    path(f"{PROJECT}/edit/", projects.project_edit, name="project_edit"),
    path(f"{PROJECT}/delete/", projects.project_delete_confirm, name="project_delete"),
    path(f"{PROJECT}/delete/confirm/", projects.project_delete_view, name="project_delete_post"),
    path(f"{PROJECT}/members/", members.member_list, name="member_list"),
    path(f"{MEMBER}/role/", members.member_role, name="member_role"),
    path(f"{MEMBER}/remove/", members.member_remove_view, name="member_remove"),
    # --- API tokens, on the user's profile -------------------------------------
    path("profile/tokens/", tokens.token_list, name="token_list"),
    path("profile/tokens/<int:token_id>/revoke/", tokens.token_revoke_view, name="token_revoke"),
    # --- Packages ----------------------------------------------------------------
    path(f"{PROJECT}/packages/", packages.package_list, name="package_list"),
    path(f"{PROJECT}/packages/new/", packages.package_create_view, name="package_create"),
    path(f"{PACKAGE}/", packages.package_detail, name="package_detail"),
    path(f"{PACKAGE}/edit/", packages.package_edit, name="package_edit"),
    path(f"{PACKAGE}/delete/", packages.package_delete_view, name="package_delete"),
    path(f"{PACKAGE}/check/", packages.package_check_view, name="package_check"),
    # --- Model versions ----------------------------------------------------------
    path(f"{PROJECT}/models/", models.model_list, name="model_list"),
    path(f"{PROJECT}/models/new/", models.model_create_view, name="model_create"),
    path(f"{MODEL}/", models.model_detail, name="model_detail"),
    path(f"{MODEL}/edit/", models.model_edit, name="model_edit"),
    path(f"{MODEL}/delete/", models.model_delete_view, name="model_delete"),
    path(f"{MODEL}/clone/", models.model_clone_view, name="model_clone"),
    # --- Artifacts of a model version --------------------------------------------
    path(f"{MODEL}/artifacts/", artifacts.artifact_upload_view, name="artifact_upload"),
    path(f"{ARTIFACT}/download", artifacts.artifact_download, name="artifact_download"),
    path(f"{ARTIFACT}/delete/", artifacts.artifact_delete_view, name="artifact_delete"),
]
