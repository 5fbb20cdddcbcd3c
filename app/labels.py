"""The labels every template may use as ``labels``: users' roles and languages, organisations'
kinds, projects' statuses and hedged figures. Registered by the app factory, above every
package whose labels it gathers."""

from types import SimpleNamespace

from app.auth import labels as auth_labels
from app.programmes import labels as programme_labels

labels = SimpleNamespace(
    ROLE=auth_labels.ROLE,
    MEMBER_ROLE=auth_labels.MEMBER_ROLE,
    LOCALE=auth_labels.LOCALE,
    ORGANISATION_KIND=programme_labels.ORGANISATION_KIND,
    ACTIVITY_STATUS=programme_labels.ACTIVITY_STATUS,
    QUALIFIER=programme_labels.QUALIFIER,
)
