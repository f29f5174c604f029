"""The role a value plays in its sentence: pure text, English and French.

A word that occurs in the article is not yet a fact about the incident
(shared/design/domain.md, "What a value means in its sentence"). These readers say what
role the article gives a figure, a place or an actor. The verifier
(extraction/verify.py) and the extractor's candidate generation call the same functions,
so the extractor never offers what the verifier rejects. Layer: imports only
`llm_extract.text` and `llm_extract.core`; no I/O, no model.

Usage (offsets are cleaned-text offsets of `Document.text`)::

    from llm_extract.text.grounding import Document
    from llm_extract.roles.figures.counts import read_count
    from llm_extract.roles.places import place_role
    from llm_extract.roles.actors import actor_roles

    doc = Document.from_text(article_text)
    for q in doc.quantities:
        r = read_count(doc, q)
        # r.fates: frozenset of CountCategory values the clause binds q to ("killed"...)
        # r.other_fate: "displaced" | "freed" | "affected" | None (a fate that is no category)
        # r.modality: "reported" | "projection" | "negated" | "hypothetical"
        # r.other_time: the text ties q to another date, period or event
        # r.side: "side_a" | "side_b" | "civilians" | "unknown"; r.victim_group: noun
        # r.claimant: who gives it (folded text, closest attribution), r.claimants: all
        # offer q as a count only when r.fates and r.modality == "reported"
        #   and not r.other_time and not r.combined
    place_role(doc, start, end)   # "event" | "reference" | "background" | "dateline"
                                  #  | "not_a_place"
    actor_roles(doc, start, end)  # subset of {"attacker", "target", "participant",
                                  #  "background"}; empty when the sentence says nothing
    mentions(doc, name)           # roles.clauses: every [start, end) the name occurs at

Signatures of `read_count`, `place_role`, `actor_roles` and `mentions` are stable.

The verifier's side: `checks` (places, actors; re-exports the rest), `count_check`
(counts), `dates` (a date's role: statement day, period start, history), `when` (a
figure or place dated to another day than the record's incident), `context` (regions),
`count_time` (period and point cues), `place_cues` (more place roles). A rule that
needs a clause (a place's or actor's role, a date's) does not fire on a bare-name quote.
"""

from llm_extract.roles.actors import actor_roles
from llm_extract.roles.clauses import mentions
from llm_extract.roles.figures.counts import CountReading, read_count
from llm_extract.roles.places import place_role

__all__ = ["CountReading", "actor_roles", "mentions", "place_role", "read_count"]
