from django import forms
from django.utils.translation import gettext_lazy as _

from imports.readers import EXTENSIONS, FileRefused, check_upload
from imports.registry import importable_by


class UploadForm(forms.Form):
    resource = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("An .xlsx, .xls or .csv file laid out like the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [
            (resource.slug, resource.verbose_name) for resource in importable_by(user)
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(name=upload.name, size=upload.size)
        except FileRefused as refused:
            raise forms.ValidationError(refused.message) from None
        return upload
