from django.urls import path

from terms import views, views_embed, views_news, views_suggest

app_name = "terms"

urlpatterns = [
    path("", views.index, name="index"),
    path("letters/<str:letter>/", views.letter, name="letter"),
    path("terms/<str:slug>/", views.detail, name="detail"),
    path("terms/<str:slug>/card/", views_embed.card, name="card"),
    path("search/", views.search, name="search"),
    path("domains/", views.domains, name="domains"),
    # A slug or nothing: any other path is a 404 without a query.
    path("domains/<slug:slug>/", views.domain, name="domain"),
    path("suggest/", views_suggest.suggest, name="suggest"),
    path("suggest/thanks/", views_suggest.thanks, name="suggest-thanks"),
    path("new/", views_news.new, name="new"),
    path("feed/", views_news.feed, name="feed"),
    path("print/", views_news.print_glossary, name="print"),
    path("print/edition.css", views_news.print_edition_css, name="print-edition"),
    path("embed/", views_embed.example, name="embed"),
]
