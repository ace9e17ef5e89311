from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts.views import set_language
from portal.views import favicon, home, manifest

# The admin login goes through allauth, so its rate limits and MFA apply there too.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Samenspel"

urlpatterns = [
    path("", home, name="home"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("children.urls")),
    path("", include("partnership.urls")),
    path("", include("notifications.urls")),
    path("trainings/", include("trainings.urls")),
]
