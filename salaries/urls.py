from django.urls import path

from . import views

app_name = "salaries"

urlpatterns = [
    path("salaris/tabellen/", views.table_list, name="table_list"),
    path("salaris/verhogingen/nieuw/", views.general_increase_create, name="general_increase_create"),
    path("salaris/tabellen/<slug:kind>/nieuw/", views.table_edit, name="table_create"),
    path("salaris/tabellen/<slug:kind>/<id:pk>/wijzigen/", views.table_edit, name="table_edit"),
    path("salaris/leden/<id:pk>/", views.member_pay, name="member_pay"),
    path("salaris/leden/<id:pk>/inschaling/", views.placement_create, name="placement_create"),
    path("salaris/leden/<id:pk>/wnt/<year:year>/", views.wnt_entry, name="wnt_entry"),
    path("salaris/periodieken/", views.increase_list, name="increase_list"),
    path("salaris/wnt/", views.wnt_overview, name="wnt_overview"),
    path("salaris/wnt/<year:year>/export.<str:fmt>", views.wnt_export, name="wnt_export"),
    path("salaris/nabetalingen/", views.back_pay_list, name="back_pay_list"),
    path("salaris/nabetalingen/<id:pk>/", views.back_pay_detail, name="back_pay_detail"),
    path("salaris/nabetalingen/<id:pk>/export.<str:fmt>", views.back_pay_detail, name="back_pay_export"),
]
