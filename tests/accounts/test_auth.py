"""Login, logout, password reset, login by code, MFA and sessions pages, language switch."""

from django.urls import reverse


def test_login_and_logout_with_email_and_password(client, ouder, password):
    response = client.post(reverse("account_login"), {"login": ouder.email, "password": password})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == ouder
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_wrong_password_gets_a_message(client, ouder):
    response = client.post(reverse("account_login"), {"login": ouder.email, "password": "fout"})
    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert "e-mailadres" in error and error in response.content.decode()
    assert f'value="{ouder.email}"' in response.content.decode()


def test_password_reset_sends_mail(client, ouder, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": ouder.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [ouder.email]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_login_by_emailed_code(client, ouder, mailoutbox):
    response = client.post(reverse("account_request_login_code"), {"email": ouder.email})
    assert response.status_code == 302
    code = mailoutbox[0].body.split("\n")
    assert len(mailoutbox) == 1 and any(line.strip() for line in code)


def test_account_pages_render_for_a_parent(client, ouder):
    client.force_login(ouder)
    for name in ["mfa_index", "usersessions_list", "account_change_password", "accounts:preferences"]:
        assert client.get(reverse(name)).status_code == 200, name


def current_totp(secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_parent_turns_on_two_factor_and_then_needs_a_code(client, ouder, password):
    from allauth.mfa.models import Authenticator

    client.post(reverse("account_login"), {"login": ouder.email, "password": password})
    # Turning on 2FA asks for the password once more.
    assert reverse("account_reauthenticate") in client.get(reverse("mfa_activate_totp")).url
    client.post(reverse("account_reauthenticate"), {"password": password})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})
    assert response.status_code == 302
    assert set(Authenticator.objects.filter(user=ouder).values_list("type", flat=True)) == {"totp", "recovery_codes"}

    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": ouder.email, "password": password})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert not client.get(reverse("home")).context["user"].is_authenticated
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == ouder


def test_language_switch_is_remembered_on_the_account(client, ouder):
    client.force_login(ouder)
    assert 'lang="nl"' in client.get(reverse("home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    ouder.refresh_from_db()
    assert ouder.language == "en"
    page = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in page and "My children" in page
    # A new device (no cookie) still gets English after login.
    client.cookies.clear()
    client.force_login(ouder)
    assert "My children" in client.get(reverse("home")).content.decode()


def test_anonymous_language_switch_uses_cookie(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get("/").content.decode()


def test_preferences_saved(client, ouder):
    client.force_login(ouder)
    response = client.post(
        reverse("accounts:preferences"), {"name": "Anne", "language": "nl", "notification_preference": "digest"}
    )
    assert response.status_code == 302
    ouder.refresh_from_db()
    assert ouder.notification_preference == "digest"


def test_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_dutch_by_default_whatever_the_browser_says(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="nl"' in page and "Inloggen" in page
