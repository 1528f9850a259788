from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from appointments.views import register

from . import second_factor, views
from .converters import IdConverter, YearConverter
from .forms import AdminLoginForm
from .second_factor import second_factor_exempt

register_converter(IdConverter, "id")
register_converter(YearConverter, "year")

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "inloggen/",
        login_not_required(views.LoginView.as_view()),
        name="login",
    ),
    path("uitloggen/", second_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("tweede-factor/", second_factor.verify, name="second_factor_verify"),
    path("tweede-factor/instellen/", second_factor.enrol, name="second_factor_enrol"),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("beheer/toegangshistorie/", views.access_history, name="access_history"),
    path("beheer/", admin.site.urls),
    # The public register of side activities and its open data: the only pages without login.
    path("openbaar/nevenwerkzaamheden/", register.register_page, name="public_register"),
    path("openbaar/nevenwerkzaamheden.json", register.register_json, name="public_register_json"),
    path("openbaar/nevenwerkzaamheden.csv", register.register_csv, name="public_register_csv"),
    path("openbaar/nevenwerkzaamheden.atom", register.register_atom, name="public_register_atom"),
    path("", include("appointments.urls")),
    path("", include("salaries.urls")),
]

handler500 = views.server_error

admin.site.login_form = AdminLoginForm
admin.site.site_header = _("tmgportal administration")
admin.site.site_title = _("tmgportal administration")
admin.site.index_title = _("Administration")

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
