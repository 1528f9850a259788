from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tmgportal import roles
from tmgportal.forms import add_service_errors
from tmgportal.sorting import sort_queryset
from tmgportal.views import apply_filter, paginate, requires

from .. import services
from ..filters import FunctionFilter
from ..forms import FunctionForm
from ..models import Function
from ..selectors import function_pipeline, vacancies

FUNCTION_COLUMNS = {
    "functie": ("title", "organisation"),
    "organisatie": ("organisation", "title"),
    "ministerie": ("ministry__name", "title", "organisation"),
    "groep": ("group", "title"),
}


def function_list(request):
    queryset = Function.objects.for_user(request.user).select_related("ministry")
    filterset, functions, status = apply_filter(FunctionFilter, request, queryset)
    functions, sorting = sort_queryset(request, functions, FUNCTION_COLUMNS, "ministerie")
    on = (filterset.form.cleaned_data.get("op") if status == 200 and filterset.is_bound else None) or (
        timezone.localdate()
    )
    page = paginate(request, functions, per_page=50)
    found = vacancies([function.pk for function in page], on=on)
    for function in page:
        function.vacancy = found[function.pk]
    return render(
        request,
        "appointments/function_list.html",
        {"filter": filterset, "page": page, "on": on, "sorting": sorting},
        status=status,
    )


@requires(roles.MANAGE_REFERENCE)
@require_http_methods(["GET", "POST"])
def function_create(request):
    form = FunctionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version")
        try:
            services.function_create(user=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The function has been added to the catalogue."))
            return redirect("appointments:function_list")
    return render(request, "appointments/function_form.html", {"form": form})


@requires(roles.MANAGE_REFERENCE)
@require_http_methods(["GET", "POST"])
def function_edit(request, pk):
    function = get_object_or_404(Function, pk=pk)
    form = FunctionForm(request.POST or None, instance=function)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            services.function_update(user=request.user, function=function, expected_version=expected, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("appointments:function_list")
    return render(
        request,
        "appointments/function_form.html",
        {
            "form": form,
            "function": function,
            "pipeline": function_pipeline(function, today=timezone.localdate()),
        },
    )
