from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("outbox/", views.outbox, name="outbox"),
    path("new/<int:pk>/", views.send, name="send"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
