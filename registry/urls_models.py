from django.urls import path

from registry.views import artifacts, deployments, models, packages

PROJECT = "projects/<int:project_id>"
PACKAGE = f"{PROJECT}/packages/<int:package_id>"
MODEL = f"{PROJECT}/models/<int:model_id>"
ARTIFACT = f"{MODEL}/artifacts/<int:artifact_id>"

urlpatterns = [
    # Packages
    path(f"{PROJECT}/packages/", packages.package_list, name="package_list"),
    path(f"{PROJECT}/packages/new/", packages.package_create_view, name="package_create"),
    path(f"{PACKAGE}/", packages.package_detail, name="package_detail"),
    path(f"{PACKAGE}/edit/", packages.package_edit, name="package_edit"),
    path(f"{PACKAGE}/delete/", packages.package_delete_view, name="package_delete"),
    path(f"{PACKAGE}/check/", packages.package_check_view, name="package_check"),
    # Model versions
    path(f"{PROJECT}/models/", models.model_list, name="model_list"),
    path(f"{PROJECT}/models/new/", models.model_create_view, name="model_create"),
    path(f"{MODEL}/", models.model_detail, name="model_detail"),
    path(f"{MODEL}/edit/", models.model_edit, name="model_edit"),
    path(f"{MODEL}/delete/", models.model_delete_view, name="model_delete"),
    path(f"{MODEL}/clone/", models.model_clone_view, name="model_clone"),
    # Deploying a model version
    path(f"{MODEL}/deploy/", deployments.model_deploy_view, name="model_deploy"),
    path(f"{MODEL}/undeploy/", deployments.model_undeploy_view, name="model_undeploy"),
    path(f"{MODEL}/deployment/", deployments.model_deployment_card, name="model_deployment"),
    # Artifacts of a model version
    path(f"{MODEL}/artifacts/", artifacts.artifact_upload_view, name="artifact_upload"),
    path(f"{ARTIFACT}/download", artifacts.artifact_download, name="artifact_download"),
    path(f"{ARTIFACT}/delete/", artifacts.artifact_delete_view, name="artifact_delete"),
]
