from django import forms
from django.utils.translation import gettext_lazy as _

from imports.models import ImportJob
from imports.readers import EXTENSIONS, FileRefused, check_upload


class UploadForm(forms.Form):
    resource = forms.ChoiceField(label=_("What to import"), choices=ImportJob.Resource.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("An .xlsx, .xls or .csv file laid out like the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(name=upload.name, size=upload.size)
        except FileRefused as refused:
            raise forms.ValidationError(refused.message) from None
        return upload
