from django.urls import path

from education import views

app_name = "education"
urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("schools/new/", views.school_create, name="school_create"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_update, name="school_update"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", views.course_update, name="course_update"),
    path("courses/<int:pk>/enrol/", views.course_enrol, name="course_enrol"),
    path("enrolments/", views.enrolment_list, name="enrolment_list"),
    path("enrolments/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("enrolments/<int:pk>/delete/", views.enrolment_delete, name="enrolment_delete"),
]
