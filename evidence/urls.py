from django.urls import path

from evidence import views

urlpatterns = [
    path("", views.home, name="home"),
    path("m/<slug:slug>/documents/<int:pk>/file", views.document_file, name="document_file"),
]
