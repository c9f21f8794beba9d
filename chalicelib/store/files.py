"""The files bucket: documents the app writes (letters, label sheets) and the links that download them; import
files, always read at the version that was checked.

The bucket is versioned (infra/resources.json, infra/provision.py): an upload's presigned URL stays valid for an
hour after the file was checked, and a PUT through it adds a version instead of replacing what is being read.
"""

from __future__ import annotations

from typing import Any

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


def upload_url(key: str, seconds: int, content_type: str = "text/csv") -> str:
    """A presigned PUT of an import file (large imports: a CSV, or an XLSX for contacts)."""
    return str(
        aws.client("s3").generate_presigned_url(
            "put_object",
            Params={"Bucket": get_settings().files_bucket, "Key": key, "ContentType": content_type},
            ExpiresIn=seconds,
        )
    )


def put_csv(key: str, data: bytes) -> str | None:
    """Store a CSV file; its version id (None if the bucket were not versioned)."""
    written = aws.client("s3").put_object(
        Bucket=get_settings().files_bucket, Key=key, Body=data, ContentType="text/csv"
    )
    version = written.get("VersionId")
    return str(version) if version else None


def put_import(key: str, data: bytes, content_type: str) -> str | None:
    """Store an import file (or what an import derived from it); its version id."""
    written = aws.client("s3").put_object(
        Bucket=get_settings().files_bucket, Key=key, Body=data, ContentType=content_type
    )
    version = written.get("VersionId")
    return str(version) if version else None


def read_object(key: str, version: str | None = None) -> bytes:
    """The whole of that version of ``key`` (an import file, bounded by the import's own size checks)."""
    params: dict[str, Any] = {"Bucket": get_settings().files_bucket, "Key": key}
    if version is not None:
        params["VersionId"] = version
    return bytes(aws.client("s3").get_object(**params)["Body"].read())


def current_version(key: str) -> tuple[str | None, int]:
    """The version id and size of what ``key`` holds now (HeadObject): the version then checked and read."""
    head = aws.client("s3").head_object(Bucket=get_settings().files_bucket, Key=key)
    return head.get("VersionId"), int(head["ContentLength"])


def read_range(key: str, version: str | None, first: int, last: int) -> bytes:
    """Bytes ``first`` to ``last`` (inclusive) of that version of ``key``."""
    params: dict[str, Any] = {"Bucket": get_settings().files_bucket, "Key": key, "Range": f"bytes={first}-{last}"}
    if version is not None:
        params["VersionId"] = version
    return bytes(aws.client("s3").get_object(**params)["Body"].read())


INBOUND_PREFIX = "inbound/"  # where SES's receipt rule (S3 action) stores the replies it receives


def read_inbound(key: str, max_bytes: int) -> bytes | None:
    """The first ``max_bytes`` of an email SES stored under inbound/ (headers and text come first), or None when
    there is no such object (deleted by the bucket's lifecycle, or never there)."""
    if not key.startswith(INBOUND_PREFIX):
        raise ValueError(f"not an inbound object: {key[:80]!r}")
    s3 = aws.client("s3")
    try:
        body = s3.get_object(Bucket=get_settings().files_bucket, Key=key, Range=f"bytes=0-{max_bytes - 1}")["Body"]
    except s3.exceptions.NoSuchKey:
        return None
    return bytes(body.read())


def put_file(key: str, data: bytes, content_type: str) -> None:
    """Store a document the app wrote (a contact export) under ``key``."""
    aws.client("s3").put_object(Bucket=get_settings().files_bucket, Key=key, Body=data, ContentType=content_type)
