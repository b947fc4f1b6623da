from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithBranchBackend(ModelBackend):
    """ModelBackend that loads the user's branch with the user.

    The scoping rule reads the secretary's branch path on every request; loading it with
    the user saves that query on each page.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("branch").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
