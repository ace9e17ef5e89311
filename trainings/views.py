from django.shortcuts import render


def offer(request):
    """The public training offer."""
    return render(request, "trainings/offer.html")
