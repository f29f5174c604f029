"""Which state force an actor name means: "soldats maliens", "Mali's army", "the Malian
military" and "forces armées maliennes" are one ACLED actor (Military Forces of Mali),
however a coder or an extractor words it; "police" and "gendarmes" are another."""

from __future__ import annotations

import functools
from typing import NamedTuple

from llm_extract.text.fold import words
from llm_extract.text.names import AliasTable
from llm_extract.text.world import country_code, country_of_adjective

_MILITARY = frozenset(
    words(
        "army armies military soldier soldiers troop troops forces force servicemen"
        " armee armees soldat soldats militaire militaires troupes"
    )
)
_POLICE = frozenset(
    words("police policeman policemen policier policiers gendarme gendarmes gendarmerie")
)
# Words that add nothing to which force: "the national armed forces", "military units",
# "police officers" (but "officers" alone is no force).
_FILLERS = frozenset(
    words(
        "the a an its l la le les des du de d of et and national nationale nationales armed"
        " security securite defence defense regular government state units unit personnel"
        " elements officers officer officials agents"
    )
)
_COUNTRY_SPAN = 5


class Force(NamedTuple):
    """A state force: "military" or "police", and its country's ISO code when named."""

    kind: str
    country: str | None


def _country_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """The country a demonym or a (possessive) country name at `i` names, and the tokens
    it takes ("burkina faso": 2)."""
    for size in range(min(_COUNTRY_SPAN, len(tokens) - i), 0, -1):
        span = " ".join(tokens[i : i + size]).removesuffix("'s")
        code = country_code(span) or (country_of_adjective(span) if size == 1 else None)
        if code:
            return code, size
    return None


@functools.cache
def state_force(name: str) -> Force | None:
    """The force a name is made only of a country, force words and fillers for ("the
    Malian army", "l'armée malienne", "Forces armées de la République démocratique du
    Congo"); None for anything else ("Wagner mercenaries", "Kurdish forces")."""
    tokens = [t.removeprefix("l'").removeprefix("d'").removesuffix("'s") for t in words(name)]
    kinds, country, i = set(), None, 0
    while i < len(tokens):
        token = tokens[i]
        if token in _MILITARY:
            kinds.add("military")
        elif token in _POLICE:
            kinds.add("police")
        elif token not in _FILLERS:
            found = _country_at(tokens, i)
            if found is None or (country and found[0] != country):
                return None
            country, size = found
            i += size
            continue
        i += 1
    if len(kinds) != 1:
        return None
    return Force(kinds.pop(), country)


def force_of(name: str, aliases: AliasTable) -> Force | None:
    """The force the name, or a name of its alias group, means ("FAMa": Mali's army)."""
    found = state_force(name)
    if found is None:
        found = next((f for n in sorted(aliases.aliases(name)) if (f := state_force(n))), None)
    return found


def same_force(a: str, b: str, aliases: AliasTable, country: str | None = None) -> bool:
    """Both name one state force: the same kind and the same country. A name without
    one ("the army") is `country`'s force, the country where the incident happened, as
    a reader takes it; with none given it matches only another name without one."""
    x, y = force_of(a, aliases), force_of(b, aliases)
    if x is None or y is None or x.kind != y.kind:
        return False
    return (x.country or country) == (y.country or country)
