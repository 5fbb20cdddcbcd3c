"""Translatable labels of organisations, programmes and projects: kinds, statuses, alignment
tags, how a documented figure is hedged, and the audit actions of this package."""

from flask_babel import lazy_gettext as _l

from app.programmes.models import (
    ActivityStatus,
    Driver,
    GctsPillar,
    InterventionLevel,
    OrganisationKind,
    PoaPriority,
    TargetGroup,
)

GCTS_PILLAR = {
    GctsPillar.I: _l("I. Conditions conducive to the spread of terrorism"),
    GctsPillar.II: _l("II. Preventing and combating terrorism"),
    GctsPillar.III: _l("III. Building states' capacity and strengthening the UN's role"),
    GctsPillar.IV: _l("IV. Human rights and the rule of law"),
}
POA_PRIORITY = {
    PoaPriority.DIALOGUE_CONFLICT_PREVENTION: _l("Dialogue and conflict prevention"),
    PoaPriority.GOVERNANCE_HUMAN_RIGHTS_RULE_OF_LAW: _l(
        "Good governance, human rights and the rule of law"),
    PoaPriority.ENGAGING_COMMUNITIES: _l("Engaging communities"),
    PoaPriority.EMPOWERING_YOUTH: _l("Empowering youth"),
    PoaPriority.GENDER_EQUALITY_WOMEN: _l("Gender equality and empowering women"),
    PoaPriority.EDUCATION_SKILLS_EMPLOYMENT: _l(
        "Education, skills development and employment facilitation"),
    PoaPriority.STRATEGIC_COMMUNICATIONS_ONLINE: _l(
        "Strategic communications, the Internet and social media"),
}
TARGET_GROUP = {
    TargetGroup.YOUTH: _l("Youth"),
    TargetGroup.WOMEN: _l("Women"),
    TargetGroup.RELIGIOUS_LEADERS: _l("Religious leaders"),
    TargetGroup.MIGRANTS: _l("Migrants"),
    TargetGroup.PRISONERS_RETURNEES: _l("Prisoners and returnees"),
    TargetGroup.ETHNIC_MINORITIES: _l("Ethnic minorities"),
    TargetGroup.MEDIA: _l("Media"),
    TargetGroup.LAW_ENFORCEMENT: _l("Law enforcement"),
    TargetGroup.TEACHERS_PARENTS: _l("Teachers and parents"),
    TargetGroup.ONLINE_AUDIENCES: _l("Online audiences"),
    TargetGroup.CIVIL_SOCIETY: _l("Civil society"),
    TargetGroup.OFFICIALS: _l("Officials"),
}
DRIVER = {
    Driver.MARGINALISATION_EXCLUSION: _l("Push: marginalisation and exclusion"),
    Driver.POOR_GOVERNANCE_CORRUPTION: _l("Push: poor governance and corruption"),
    Driver.HUMAN_RIGHTS_VIOLATIONS: _l("Push: human rights violations"),
    Driver.LACK_OF_OPPORTUNITY: _l("Push: lack of socio-economic opportunity"),
    Driver.UNRESOLVED_CONFLICT: _l("Push: prolonged and unresolved conflict"),
    Driver.IDEOLOGY_NARRATIVES: _l("Pull: ideology and narratives"),
    Driver.BELONGING_NETWORKS: _l("Pull: belonging and social networks"),
    Driver.MATERIAL_INCENTIVES: _l("Pull: material incentives"),
    Driver.CHARISMATIC_RECRUITERS: _l("Pull: charismatic recruiters"),
    Driver.STATUS_ADVENTURE: _l("Pull: status and adventure"),
}
INTERVENTION_LEVEL = {
    InterventionLevel.LOCAL: _l("Local"),
    InterventionLevel.PROVINCIAL: _l("Provincial"),
    InterventionLevel.NATIONAL: _l("National"),
    InterventionLevel.REGIONAL: _l("Regional"),
    InterventionLevel.ONLINE: _l("Online"),
}
# Programme field -> (legend, labels of its values).
ALIGNMENT = {
    "gcts_pillars": (_l("UN Global Counter-Terrorism Strategy pillars"), GCTS_PILLAR),
    "poa_priorities": (_l("Plan of Action to Prevent Violent Extremism: priority areas"),
                       POA_PRIORITY),
    "target_groups": (_l("Target groups"), TARGET_GROUP),
    "drivers": (_l("Drivers addressed"), DRIVER),
    "levels": (_l("Level of intervention"), INTERVENTION_LEVEL),
}
ORGANISATION_KIND = {
    OrganisationKind.DONOR: _l("Donor"),
    OrganisationKind.UN_AGENCY: _l("UN agency"),
    OrganisationKind.INTERGOVERNMENTAL: _l("Intergovernmental organisation"),
    OrganisationKind.GOVERNMENT: _l("Government"),
    OrganisationKind.NGO: _l("Non-governmental organisation"),
    OrganisationKind.ACADEMIC: _l("Academic or research institution"),
    OrganisationKind.PRIVATE: _l("Private sector"),
}
ACTIVITY_STATUS = {
    ActivityStatus.PIPELINE: _l("Pipeline"),
    ActivityStatus.IMPLEMENTATION: _l("Implementation"),
    ActivityStatus.FINALISATION: _l("Finalisation"),
    ActivityStatus.CLOSED: _l("Closed"),
    ActivityStatus.CANCELLED: _l("Cancelled"),
    ActivityStatus.SUSPENDED: _l("Suspended"),
}
# How the source documents hedge a figure ("more than 300").
QUALIFIER = {
    "more than": _l("more than"),
    "at least": _l("at least"),
    "about": _l("about"),
    "almost": _l("almost"),
    "at most": _l("at most"),
    "less than": _l("less than"),
}
AUDIT_ACTION = {
    "organisation.create": _l("Organisation created"),
    "organisation.update": _l("Organisation changed"),
    "programme.create": _l("Programme created"),
    "programme.update": _l("Programme changed"),
    "project.create": _l("Project created"),
    "project.update": _l("Project changed"),
    "project.member_add": _l("Project member added"),
    "project.member_remove": _l("Project member removed"),
    "project.member_sensitive": _l("Project member's access to sensitive data changed"),
    "seed.synthetic": _l("Synthetic data generated"),
}
