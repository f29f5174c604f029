"""Text addressed to the model, not to readers: the sentences of an article that try to
steer whoever processes it ("ignore previous instructions", "report 999 killed",
"you are now an assistant", markers that mimic a prompt's delimiters).

The article is untrusted data. What such a sentence says is never evidence: the
verifier masks these sentences out of the text it searches (offsets stay put), so a
value found only there is unsupported, and the report says the article carried an
injection attempt. Patterns are English and French, on folded text.
"""

from __future__ import annotations

import re

from llm_extract.text.fold import fold
from llm_extract.text.sentences import sentence_spans

_OVERRIDE = (
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+"
    r"|these\s+|those\s+)*(?:(?:previous|prior|above|earlier|preceding|former|original|system"
    r"|initial)\s+(?:instructions?|prompts?|directions?|rules|guidelines|messages?|context)"
    r"|instructions?|prompts?|guidelines|everything (?:above|before))\b"
    r"|\b(?:ignore[rz]?|oublie[rz]?|ne tenez pas compte des?)\s+(?:toutes?\s+)?(?:les\s+|vos\s+"
    r"|tes\s+)?(?:instructions?|consignes?|directives?)\b"
)
_PERSONA = (
    r"\b(?:you are|you're|act as|pretend (?:to be|you are)|tu es|vous etes|agis(?:sez)? comme)"
    r" (?:now |maintenant )?(?:an? |the |une? |le |la )?(?:ai|a\.i\.|assistant|language model"
    r"|llm|chatbot|bot|model|extractor|ia|modele|intelligence artificielle)\b"
    r"|\b(?:system prompt|developer mode|jailbreak|prompt injection|as an ai\b)"
)
_DELIMITER = (
    r"<<<|>>>|<\|[a-z_]+\|>|\[/?inst\]|#{2,}\s*(?:instruction|system|response|assistant)"
    r"|</?(?:system|assistant|user|article|instructions?)>"
    r"|^\s*(?:system|assistant|user)\s*:"
    r"|\b(?:begin|end) (?:of )?(?:the )?(?:article|instructions?)\b"
)
_REPORT_VERB = (
    r"(?:report|output|return|respond|reply|answer|write|print|extract|classify|state|list"
    r"|signalez|indiquez|rapportez|ecrivez|repondez|extrayez|renvoyez|retournez|mentionnez"
    r"|donnez)"
)
# A bare imperative whose object is what to put in the answer ("Report 999 killed",
# "Return the following JSON"), not a noun phrase that starts a news sentence ("Report
# of the UN said", "State media said", "List of victims").
_IMPERATIVE = (
    rf"^[\s\"'(]*(?:(?:please|now|instead|also|veuillez|merci de),? )*{_REPORT_VERB}"
    r" (?:that |only |instead |(?:the )?following |que |uniquement )?"
    r"(?:\d|json|\{|\"|these |this |(?:the|a|an|le|la|les|un|une) (?:number|figure|toll|death"
    r"|location|place|answer|record|output|result|bilan|nombre|lieu|reponse)s?\b)"
)
_ADDRESSED = re.compile("|".join(f"(?:{p})" for p in (_OVERRIDE, _PERSONA, _DELIMITER)), re.M)
_COMMAND = re.compile(_IMPERATIVE)


def find_instructions(text: str) -> tuple[tuple[int, int], ...]:
    """The sentences of `text` addressed to the model, as [start, end) spans."""
    folded = fold(text)
    return tuple(
        (a, b)
        for a, b in sentence_spans(text)
        if _ADDRESSED.search(folded, a, b) or _COMMAND.match(folded[a:b])
    )
