from django.urls import path

from .views import deadlines, dossier, forecast, functions, history, kb, members, profile, side_activities

app_name = "appointments"

urlpatterns = [
    path("dashboard/", deadlines.dashboard, name="dashboard"),
    path("dashboard/export.<str:fmt>", deadlines.dashboard_export, name="dashboard_export"),
    path("profiel/", profile.profile, name="profile"),
    path("prognose/", forecast.rotation_forecast, name="forecast"),
    path("prognose/export.<str:fmt>", forecast.rotation_forecast_export, name="forecast_export"),
    path("agenda/vernieuwen/", profile.calendar_feed_renew, name="calendar_feed_renew"),
    path("agenda/<str:token>.ics", deadlines.calendar_feed, name="calendar_feed"),
    path("leden/", members.member_list, name="member_list"),
    path("leden/export.csv", members.member_export, name="member_export"),
    path("leden/nieuw/", members.member_create, name="member_create"),
    path("leden/<id:pk>/", members.member_detail, name="member_detail"),
    path("leden/<id:pk>/wijzigen/", members.member_edit, name="member_edit"),
    path("leden/<id:pk>/archiveren/", members.member_archive, name="member_archive"),
    path("leden/<id:pk>/herstellen/", members.member_restore, name="member_restore"),
    path("leden/<id:pk>/historie/", history.member_history, name="member_history"),
    path(
        "leden/<id:pk>/historie/export.<str:fmt>",
        history.member_history_export,
        name="member_history_export",
    ),
    path("leden/<id:member_pk>/benoeming/", dossier.appointment_create, name="appointment_create"),
    path("benoemingen/<id:pk>/", dossier.appointment_detail, name="appointment_detail"),
    path("benoemingen/<id:pk>/<slug:action>/", dossier.appointment_action, name="appointment_action"),
    path("benoemingen/<id:pk>/kb/<slug:kind>/voorbeeld/", kb.kb_preview, name="kb_preview"),
    path("benoemingen/<id:pk>/kb/<slug:kind>/maken/", kb.kb_generate, name="kb_generate"),
    path("kb/<id:pk>/download/", kb.kb_download, name="kb_download"),
    path("kb/<id:pk>/ondertekend/", kb.kb_sign, name="kb_sign"),
    path("kb/batch/", kb.kb_batch, name="kb_batch"),
    path("kb/batch/<id:extension_pk>/", kb.kb_batch_item, name="kb_batch_item"),
    path("kb/batch/zip/", kb.kb_batch_zip, name="kb_batch_zip"),
    path("verlengingen/", dossier.extension_inbox, name="extension_inbox"),
    path("verlengingen/<id:pk>/beoordelen/", dossier.extension_decide, name="extension_decide"),
    path("nevenwerkzaamheden/", side_activities.side_activity_list, name="side_activity_list"),
    path("nevenwerkzaamheden/<id:pk>/", side_activities.side_activity_detail, name="side_activity_detail"),
    path(
        "nevenwerkzaamheden/<id:pk>/beoordelen/",
        side_activities.side_activity_assess,
        name="side_activity_assess",
    ),
    path(
        "nevenwerkzaamheden/<id:pk>/niet-publiceren/",
        side_activities.side_activity_unpublish,
        name="side_activity_unpublish",
    ),
    path(
        "nevenwerkzaamheden/<id:pk>/heropenen/",
        side_activities.side_activity_reopen,
        name="side_activity_reopen",
    ),
    path(
        "leden/<id:member_pk>/nevenwerkzaamheden/nieuw/",
        side_activities.side_activity_create,
        name="side_activity_create",
    ),
    path("functies/", functions.function_list, name="function_list"),
    path("functies/nieuw/", functions.function_create, name="function_create"),
    path("functies/<id:pk>/wijzigen/", functions.function_edit, name="function_edit"),
]
