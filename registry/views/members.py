from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from core.views import add_form_errors, flash_validation_error
from registry.forms.projects import MemberAddForm, MemberRoleForm
from registry.models import Role
from registry.selectors.projects import members_of
from registry.services.projects import member_add, member_change_role, member_remove
from registry.views.helpers import get_project_for_user, render_project_page


@login_required
def member_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    form = MemberAddForm()
    if request.method == "POST":
        get_project_for_user(request, project_id, Role.OWNER)
        form = MemberAddForm(request.POST)
        if form.is_valid() and _add_member(request, project, form):
            return redirect("registry:member_list", project.id)
    context = {"members": members_of(project), "form": form, "roles": Role.choices}
    status = 400 if form.errors else 200
    return render_project_page(
        request, "registry/members/list.html", project, "members", context, status=status
    )


def _add_member(request: HttpRequest, project, form: MemberAddForm) -> bool:
    try:
        membership = member_add(project=project, **form.cleaned_data)
    except ValidationError as error:
        add_form_errors(form, error)
        return False
    messages.success(request, f"{membership.user.username} joined as {membership.role}.")
    return True


@login_required
@require_POST
def member_role(request: HttpRequest, project_id: int, membership_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.OWNER)
    membership = get_object_or_404(project.memberships, pk=membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
        return redirect("registry:member_list", project.id)
    try:
        member_change_role(membership=membership, role=form.cleaned_data["role"])
    except ValidationError as error:
        flash_validation_error(request, error)
    else:
        messages.success(request, f"{membership.user.username} is now {membership.role}.")
    return redirect("registry:member_list", project.id)


@login_required
@require_POST
def member_remove_view(request: HttpRequest, project_id: int, membership_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.OWNER)
    membership = get_object_or_404(project.memberships, pk=membership_id)
    try:
        member_remove(membership=membership)
    except ValidationError as error:
        flash_validation_error(request, error)
    else:
        messages.success(request, f"{membership.user.username} was removed from the project.")
    return redirect("registry:member_list", project.id)
