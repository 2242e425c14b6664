"""The record format's words and the ontology terms they compile to (one table each)."""

from __future__ import annotations

from dataclasses import dataclass

from mou_graph.register.records import Record
from mou_graph.vocab import MOU, ORG

__all__ = ["EVENT_CLASS", "KIND_CLASS", "ORG_CLASS", "RELATED", "ROLE", "Support"]

KIND_CLASS = {
    "mou": "MemorandumOfUnderstanding", "memorandum-of-cooperation": "MemorandumOfCooperation",
    "agreement": "Agreement", "letter-of-intent": "LetterOfIntent", "record-of-discussions": "RecordOfDiscussions",
    "action-plan": "ActionPlan", "joint-declaration": "JointDeclaration", "protocol": "Protocol",
    "exchange-of-letters": "ExchangeOfLetters", "contract": "Contract",
}
EVENT_CLASS = {
    "approval": "Approval", "signing": "Signing", "entry-into-force": "EntryIntoForce", "extension": "Extension",
    "renewal": "Renewal", "amendment": "Amendment", "supersession": "Supersession", "termination": "Termination",
    "expiry": "Expiry", "exchange": "Exchange",
}
ORG_CLASS = {
    "ministry": MOU + "Ministry", "agency": MOU + "Agency", "government": MOU + "Government",
    "state-enterprise": MOU + "StateEnterprise", "bank": MOU + "Bank", "province": MOU + "Province",
    "city": MOU + "City", "department": MOU + "Department", "company": MOU + "Company",
    "unit": ORG + "OrganizationalUnit", "organisation": ORG + "FormalOrganization",
}
ROLE = {"signatory": "SignatoryRole", "witness": "WitnessRole", "announcer": "AnnouncerRole"}
RELATED = {"predecessor": MOU + "succeeds", "revises": MOU + "revises", "amends": MOU + "amends",
           "part_of": MOU + "partOf"}


@dataclass
class Support:
    """A support as written, with the record place it came from."""

    kind: str  # "quote" | "cite"
    source: str
    text: str | None  # the quote, or the cited words
    occurrence: int | None
    record: Record
    where: tuple
