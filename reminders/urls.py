from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/done/", views.mark_done, name="mark_done"),
]
