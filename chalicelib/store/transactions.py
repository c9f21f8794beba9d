"""What a cancelled TransactWriteItems says of each of its items, and a single write refused for a transaction.

DynamoDB cancels a transaction whose item someone else wrote first: either that write came before (the item's
condition fails: ConditionalCheckFailed) or it is another transaction writing the item at that very moment
(TransactionConflict: DynamoDB cancels rather than waits). A single PutItem, UpdateItem or DeleteItem of an item
a transaction is writing is refused the same way (TransactionConflictException, which botocore does not retry).
To the user all are the same race, « modifié entre-temps » or « réessayez », never an error of the service.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from pynamodb.exceptions import CancellationReason, DeleteError, PutError, TransactWriteError, UpdateError

from chalicelib.errors import Conflict
from chalicelib.store.base import held_by_a_transaction

T = TypeVar("T")

BUSY_TRIES = 3  # a transaction holds its items for milliseconds
RACED = frozenset({"ConditionalCheckFailed", "TransactionConflict"})


def raced(reason: CancellationReason | None) -> bool:
    """Whether this item cancelled the transaction because another request wrote it (before, or at once)."""
    return reason is not None and reason.code in RACED


def conflicted(reason: CancellationReason | None) -> bool:
    """Whether this item cancelled the transaction only because another transaction was writing it at once."""
    return reason is not None and reason.code == "TransactionConflict"


def conflict_if_busy(exc: TransactWriteError, message: str) -> None:
    """Conflict(message), nothing written, when the transaction was cancelled because another one was writing one
    of its items at that moment; else nothing (the caller reads the other reasons, or raises ``exc``)."""
    if any(conflicted(r) for r in exc.cancellation_reasons or []):
        raise Conflict(message) from exc


@contextmanager
def busy_is_conflict(message: str) -> Iterator[None]:
    """A single write refused because a transaction is writing its item at that moment: Conflict(message), with
    nothing written. Any other failure goes through as it is."""
    try:
        yield
    except (PutError, UpdateError, DeleteError) as exc:
        if held_by_a_transaction(exc):
            raise Conflict(message) from exc
        raise


def retried_when_busy(write: Callable[[], T]) -> T:
    """`write()`, tried again (BUSY_TRIES in all, a few milliseconds apart) while a transaction writing its item
    refuses it: the refused write wrote nothing, so a counter's ADD is never counted twice. For the writes that
    follow one already made (a seat taken, then handed back), which a Conflict would leave half done."""
    for attempt in range(BUSY_TRIES):
        try:
            return write()
        except (PutError, UpdateError, DeleteError) as exc:
            if not held_by_a_transaction(exc) or attempt == BUSY_TRIES - 1:
                raise
        time.sleep(0.01 * 2**attempt)
    raise AssertionError("unreachable: the last try returns or raises")
