from django.urls import path

from . import views

urlpatterns = [
    path("api/hello", views.hello),
    path("api/checkout", views.checkout),
]
