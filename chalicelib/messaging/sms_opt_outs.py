"""SNS's own SMS opt-out list: the numbers that answered STOP to an SNS sender (account-wide), which SNS would refuse
anyway. Read once before each SMS campaign so that they are counted as `suppressed` rather than as failures.

ListPhoneNumbersOptedOut pages by `nextToken` (100 numbers a page) and names no resource: IAM grants it on "*".
"""

from __future__ import annotations

from typing import Any

from chalicelib import aws

MAX_PAGES = 1_000  # 100 000 numbers: far beyond an account's list; a token that never ends cannot loop forever


def opted_out_numbers() -> frozenset[str]:
    """Every number on the account's opt-out list (E.164)."""
    sns = aws.client("sns")
    found: set[str] = set()
    token: str | None = None
    for _ in range(MAX_PAGES):
        kwargs: dict[str, Any] = {"nextToken": token} if token else {}
        page = sns.list_phone_numbers_opted_out(**kwargs)
        found.update(page.get("phoneNumbers", []))
        token = page.get("nextToken")
        if not token:
            break
    return frozenset(found)
