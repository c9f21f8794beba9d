"""The tests' item-level rollback of moto's transactions (tests/support/moto_transactions.py) leaves a cancelled
transaction's items exactly as they were, as moto's own table copies did."""

from __future__ import annotations

import pytest
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.store.base import connection
from chalicelib.store.messages import MessageItem


def _message(sk: str, status: str) -> MessageItem:
    return MessageItem("t", sk, campaign_id="c", contact_id=sk, status=status)


def test_a_cancelled_transaction_leaves_every_item_as_it_was(aws_mock: object) -> None:
    _message("c#kept", "queued").save()
    _message("c#refused", "sent").save()
    with pytest.raises(TransactWriteError) as raised, TransactWrite(connection=connection()) as tx:
        tx.save(_message("c#new", "sent"))  # would be created
        tx.save(_message("c#kept", "sent"), condition=MessageItem.status == "queued")  # would change
        tx.save(_message("c#refused", "failed"), condition=MessageItem.status == "queued")  # refuses: all undone
    codes = [r.code if r else None for r in raised.value.cancellation_reasons]
    assert codes == [None, None, "ConditionalCheckFailed"]
    assert {i.sk: i.status for i in MessageItem.query("t")} == {"c#kept": "queued", "c#refused": "sent"}


def test_a_transaction_that_holds_writes_everything(aws_mock: object) -> None:
    _message("c#kept", "queued").save()
    with TransactWrite(connection=connection()) as tx:
        tx.save(_message("c#new", "sent"))
        tx.save(_message("c#kept", "sent"), condition=MessageItem.status == "queued")
    assert {i.sk: i.status for i in MessageItem.query("t")} == {"c#kept": "sent", "c#new": "sent"}
