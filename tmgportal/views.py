"""Small pieces every list view shares, and the pages of the project itself."""

import sys
from functools import wraps

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults

from . import roles, timeline
from .forms import LoginForm
from .models import FormSubmission, OfficeProfile

PAGE_SIZE = 25


def requires(ability: str):
    """The view answers only a user with `ability` (tmgportal.roles.ABILITIES); others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            roles.require(request.user, ability)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def apply_filter(filterset_class, request, queryset):
    """Filter `queryset` by the query string. An unknown filter value is an error (status 400 and an
    empty list), never silently the full list."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none(), 400
    return filterset, filterset.qs, 200


def paginate(request, queryset, per_page=PAGE_SIZE, param="page"):
    """The requested page (`param` in the query string; a page beyond the last gives the last).
    `includes/pagination.html` links the pages; a second list on a page uses its own `param`."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    page.param = param
    return page


def home(request):
    """ABD staff start on the deadlines dashboard, an office on its extension inbox."""
    if roles.may(request.user, roles.DECIDE_EXTENSIONS):
        return redirect("appointments:extension_inbox")
    return redirect("appointments:dashboard")


def access_history(request):
    """Who gave whom which access, when and why: users (with their groups and permissions), groups
    and office profiles as one timeline, for the administrator."""
    if not request.user.is_superuser:
        raise PermissionDenied
    user_model = get_user_model()
    sources = [
        ("gebruiker", user_model._meta.verbose_name_plural, user_model.history.all()),
        ("groep", Group._meta.verbose_name_plural, Group.history.all()),
        ("bureau", OfficeProfile._meta.verbose_name_plural, OfficeProfile.history.all()),
    ]
    page = paginate(request, timeline.entries(sources), per_page=50)
    context = admin.site.each_context(request) | {"title": _("Access history"), "page": page}
    return render(request, "admin/access_history.html", context)


class LoginView(auth_views.LoginView):
    """Django's login with the lock-out's message; a locked login answers 429 Too Many Requests."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, "login_locked_until", None):
            response.status_code = 429
        return response


def submit_once(request, token, create):
    """Run `create()` — which makes the record and returns the address of its page — once per form
    token. The token is stored in the same transaction: a refused create frees it for the corrected
    form, and a second submit (even at the same moment) waits for the first and is sent to its page.
    Returns (address, made_now)."""
    if token is None:
        return create(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(token=token, user=request.user)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(token=token, user=request.user).first()
            if earlier is None or not earlier.result_url:
                raise PermissionDenied from None
            return earlier.result_url, False
        submission.result_url = create()
        submission.save(update_fields=["result_url"])
    return submission.result_url, True


def already_submitted(request) -> str | None:
    """The page a form sent before with this POST's token made, if any: a second submit is sent there
    before its data are checked again (a check against the first submit's own record would refuse it)."""
    token = request.POST.get("submission")
    if request.method != "POST" or not token:
        return None
    try:
        earlier = FormSubmission.objects.filter(token=token, user=request.user).first()
    except ValidationError:
        return None  # not a token at all: the form says so
    return earlier.result_url if earlier and earlier.result_url else None


@login_not_required
def favicon(request):
    """Browsers ask /favicon.ico of every site; the icon is the SVG the pages name."""
    return redirect(static("favicon.svg"))


BUSY_RETRY_SECONDS = 30


def server_error(request):
    """Django's 500 page, except for a database that stayed busy past its wait (SQLite's write lock
    held by another worker for longer than TMG_SQLITE_TIMEOUT): that is a Dutch 503 with Retry-After.
    The request's transaction is rolled back either way, so nothing is half-saved."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError) and "locked" in str(error):
        page = loader.get_template("503.html").render()
        return HttpResponse(page, status=503, headers={"Retry-After": str(BUSY_RETRY_SECONDS)})
    return defaults.server_error(request)
