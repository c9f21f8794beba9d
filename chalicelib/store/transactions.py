"""What a cancelled TransactWriteItems says of each of its items.

DynamoDB cancels a transaction whose item someone else wrote first: either that write came before (the item's
condition fails: ConditionalCheckFailed) or it is another transaction writing the item at that very moment
(TransactionConflict: DynamoDB cancels rather than waits). To the user both are the same race, « modifié
entre-temps », never an error of the service.
"""

from __future__ import annotations

from pynamodb.exceptions import CancellationReason

RACED = frozenset({"ConditionalCheckFailed", "TransactionConflict"})


def raced(reason: CancellationReason | None) -> bool:
    """Whether this item cancelled the transaction because another request wrote it (before, or at once)."""
    return reason is not None and reason.code in RACED


def conflicted(reason: CancellationReason | None) -> bool:
    """Whether this item cancelled the transaction only because another transaction was writing it at once."""
    return reason is not None and reason.code == "TransactionConflict"
