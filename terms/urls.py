from django.urls import path

from terms import views

app_name = "terms"

urlpatterns = [
    path("", views.index, name="index"),
    path("letters/<str:letter>/", views.letter, name="letter"),
    path("terms/<str:slug>/", views.detail, name="detail"),
    path("search/", views.search, name="search"),
]
