"""ACLED vocabulary: event types, sub-event types, actor types, precision codes.

Kept as plain data so the schema, the prompt and (later) exporters share one source
of truth; the pair table is what makes "event type + sub-event type" checkable.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    BATTLES = "Battles"
    EXPLOSIONS = "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
    PROTESTS = "Protests"
    RIOTS = "Riots"
    STRATEGIC = "Strategic developments"


class SubEventType(StrEnum):
    ARMED_CLASH = "Armed clash"
    GOVERNMENT_REGAINS_TERRITORY = "Government regains territory"
    NON_STATE_OVERTAKES_TERRITORY = "Non-state actor overtakes territory"
    CHEMICAL_WEAPON = "Chemical weapon"
    AIR_DRONE_STRIKE = "Air/drone strike"
    SUICIDE_BOMB = "Suicide bomb"
    SHELLING = "Shelling/artillery/missile attack"
    REMOTE_EXPLOSIVE = "Remote explosive/landmine/IED"
    GRENADE = "Grenade"
    SEXUAL_VIOLENCE = "Sexual violence"
    ATTACK = "Attack"
    ABDUCTION = "Abduction/forced disappearance"
    PEACEFUL_PROTEST = "Peaceful protest"
    PROTEST_WITH_INTERVENTION = "Protest with intervention"
    EXCESSIVE_FORCE = "Excessive force against protesters"
    VIOLENT_DEMONSTRATION = "Violent demonstration"
    MOB_VIOLENCE = "Mob violence"
    AGREEMENT = "Agreement"
    ARRESTS = "Arrests"
    CHANGE_TO_GROUP = "Change to group/activity"
    DISRUPTED_WEAPONS_USE = "Disrupted weapons use"
    HEADQUARTERS_ESTABLISHED = "Headquarters or base established"
    LOOTING = "Looting/property destruction"
    NON_VIOLENT_TRANSFER = "Non-violent transfer of territory"
    OTHER = "Other"


_S = SubEventType
SUB_EVENTS: dict[EventType, tuple[SubEventType, ...]] = {
    EventType.BATTLES: (
        _S.ARMED_CLASH,
        _S.GOVERNMENT_REGAINS_TERRITORY,
        _S.NON_STATE_OVERTAKES_TERRITORY,
    ),
    EventType.EXPLOSIONS: (
        _S.CHEMICAL_WEAPON,
        _S.AIR_DRONE_STRIKE,
        _S.SUICIDE_BOMB,
        _S.SHELLING,
        _S.REMOTE_EXPLOSIVE,
        _S.GRENADE,
    ),
    EventType.VIOLENCE_AGAINST_CIVILIANS: (_S.SEXUAL_VIOLENCE, _S.ATTACK, _S.ABDUCTION),
    EventType.PROTESTS: (
        _S.PEACEFUL_PROTEST,
        _S.PROTEST_WITH_INTERVENTION,
        _S.EXCESSIVE_FORCE,
    ),
    EventType.RIOTS: (_S.VIOLENT_DEMONSTRATION, _S.MOB_VIOLENCE),
    EventType.STRATEGIC: (
        _S.AGREEMENT,
        _S.ARRESTS,
        _S.CHANGE_TO_GROUP,
        _S.DISRUPTED_WEAPONS_USE,
        _S.HEADQUARTERS_ESTABLISHED,
        _S.LOOTING,
        _S.NON_VIOLENT_TRANSFER,
        _S.OTHER,
    ),
}

EVENT_OF_SUB_EVENT: dict[SubEventType, EventType] = {
    sub: event for event, subs in SUB_EVENTS.items() for sub in subs
}

ACTOR_TYPES: dict[int, str] = {
    1: "state forces",
    2: "rebel group",
    3: "political militia",
    4: "identity militia",
    5: "rioters",
    6: "protesters",
    7: "civilians",
    8: "external/other forces",
}

TIME_PRECISION: dict[int, str] = {1: "exact day", 2: "within a week", 3: "within a month"}
GEO_PRECISION: dict[int, str] = {
    1: "a named town or village",
    2: "near a town, or part of a region",
    3: "a larger region or natural feature",
}


def describe_codes(codes: dict[int, str]) -> str:
    """Render a code table as '1 = ..., 2 = ...' for field descriptions."""
    return ", ".join(f"{code} = {label}" for code, label in codes.items())
