from django.urls import path

from .views import functions, members

app_name = "appointments"

urlpatterns = [
    path("leden/", members.member_list, name="member_list"),
    path("leden/export.csv", members.member_export, name="member_export"),
    path("leden/nieuw/", members.member_create, name="member_create"),
    path("leden/<int:pk>/", members.member_detail, name="member_detail"),
    path("leden/<int:pk>/wijzigen/", members.member_edit, name="member_edit"),
    path("leden/<int:pk>/archiveren/", members.member_archive, name="member_archive"),
    path("functies/", functions.function_list, name="function_list"),
    path("functies/nieuw/", functions.function_create, name="function_create"),
    path("functies/<int:pk>/wijzigen/", functions.function_edit, name="function_edit"),
]
