# Models for this app arrive with their own issue; the app is registered now so the
# navigation, permissions and migrations have a stable place for them.
