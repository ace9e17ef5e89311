"""Line breaks of posted text arrive as the portal stores them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from common.middleware import NormalizeNewlinesMiddleware


def posted(request):
    return HttpResponse(repr(request.POST.getlist("text")) + repr(sorted(request.FILES)))


def test_a_browsers_crlf_line_breaks_are_stored_as_lf():
    request = RequestFactory().post(
        "/", "text=een%0D%0Atwee%0Ddrie&text=vier", content_type="application/x-www-form-urlencoded"
    )
    response = NormalizeNewlinesMiddleware(posted)(request)
    assert response.content.decode() == "['een\\ntwee\\ndrie', 'vier'][]"


def test_multipart_posts_keep_their_files():
    request = RequestFactory().post("/", {"text": "a\r\nb", "photo": SimpleUploadedFile("a.txt", b"x")})
    response = NormalizeNewlinesMiddleware(posted)(request)
    assert response.content.decode() == "['a\\nb']['photo']"
