"""The site map: reader pages per language, then what lives outside languages."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from terms import accounts, api, views, views_embed

urlpatterns = [
    path("", views.root_redirect, name="root"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/search/", api.search, name="api-search"),
    path("api/concepts/", api.concepts, name="api-concepts"),
    path("api/concepts/<str:slug>/", api.concept_detail, name="api-concept"),
    path("api/domains/", api.domains, name="api-domains"),
    path("api/openapi.json", api.openapi_description, name="api-openapi"),
    path("exports/glossary.<str:extension>", views.download, name="download"),
    path("language/<str:language>/", views.switch_language, name="switch-language"),
    # The glossary on other intranet pages (terms/embed.py).
    path("embed/glossary.js", views_embed.script, name="embed-script"),
    path(
        "embed/<str:language>/<int:generation>/terms.json",
        views_embed.description,
        name="embed-description",
    ),
    path(
        "embed/<str:language>/<int:generation>/details.json",
        views_embed.details,
        name="embed-details",
    ),
]

urlpatterns += i18n_patterns(
    path("", include("terms.urls")),
    path("sign-in/", accounts.sign_in, name="sign-in"),
    path("sign-out/", accounts.sign_out, name="sign-out"),
    prefix_default_language=True,
)

# Errors raised outside a view's own handling: JSON under /api/, the reader's pages elsewhere.
handler404 = "terms.views.page_not_found"
handler500 = "terms.views.server_error"
