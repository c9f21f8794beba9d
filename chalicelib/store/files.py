"""Documents the app writes to the files bucket (letters, label sheets) and the links that download them."""

from __future__ import annotations

from chalicelib import aws
from chalicelib.settings import get_settings

DOWNLOAD_SECONDS = 3600


def put_pdf(key: str, data: bytes) -> None:
    aws.client("s3").put_object(Bucket=get_settings().files_bucket, Key=key, Body=data, ContentType="application/pdf")


def download_url(key: str, filename: str) -> str:
    """A presigned GET, valid one hour, that saves the file under ``filename``."""
    return str(
        aws.client("s3").generate_presigned_url(
            "get_object",
            Params={
                "Bucket": get_settings().files_bucket,
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
            },
            ExpiresIn=DOWNLOAD_SECONDS,
        )
    )
