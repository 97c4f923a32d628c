"""Where attachments are kept: the settings that choose the store, and an S3-compatible store
(TSUNAGU_ATTACHMENT_STORAGE=s3, django-storages) spoken to over HTTP on a loopback port, as
the ward's store would be: moto's S3 server in a thread of the test session."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from casework import attachment_files, services
from casework.models import AttachmentVersion
from config.attachment_settings import attachment_storage
from tests.attachment_files import pdf_bytes, upload

BUCKET = "tsunagu-attachments"


def _environment(monkeypatch, **values):
    for name in [n for n in os.environ if n.startswith(("TSUNAGU_S3_", "TSUNAGU_ATTACHMENT_"))]:
        monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_by_default_attachments_are_a_folder_under_the_var_directory(monkeypatch, tmp_path):
    _environment(monkeypatch)
    entry = attachment_storage(tmp_path)
    assert entry["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert entry["OPTIONS"]["location"] == str(tmp_path / "attachments")
    # No address of their own: nothing serves the folder but the download view.
    assert entry["OPTIONS"]["base_url"] is None
    _environment(monkeypatch, TSUNAGU_ATTACHMENT_DIR="/srv/tsunagu/attachments")
    assert attachment_storage(tmp_path)["OPTIONS"]["location"] == "/srv/tsunagu/attachments"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"TSUNAGU_ATTACHMENT_STORAGE": "ftp"}, "expected file or s3"),
        ({"TSUNAGU_ATTACHMENT_STORAGE": "s3"}, "TSUNAGU_S3_BUCKET: required"),
        (
            {
                "TSUNAGU_ATTACHMENT_STORAGE": "s3",
                "TSUNAGU_S3_BUCKET": "b",
                "TSUNAGU_S3_ENDPOINT_URL": "minio:9000",
            },
            "TSUNAGU_S3_ENDPOINT_URL: expected https://",
        ),
    ],
)
def test_a_wrong_storage_setting_stops_start_up(monkeypatch, tmp_path, values, message):
    _environment(monkeypatch, **values)
    with pytest.raises(ImproperlyConfigured, match=message):
        attachment_storage(tmp_path)


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_store(s3_server, settings, monkeypatch, tmp_path):
    import boto3

    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=BUCKET)
    _environment(
        monkeypatch,
        TSUNAGU_ATTACHMENT_STORAGE="s3",
        TSUNAGU_S3_BUCKET=BUCKET,
        TSUNAGU_S3_ENDPOINT_URL=s3_server,
        TSUNAGU_S3_REGION="us-east-1",
        TSUNAGU_S3_ACCESS_KEY_ID="testing",
        TSUNAGU_S3_SECRET_ACCESS_KEY="testing",
    )
    settings.STORAGES = {**settings.STORAGES, "attachments": attachment_storage(tmp_path)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_attachments_go_to_the_s3_store_and_come_back_through_the_access_check(
    client, cast, case_a, s3_store
):
    content = pdf_bytes(pages=2)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("casework:attachment_new", kwargs={"pk": case_a.pk}),
        {
            "title": "署名済み同意書",
            "kind": "consent_document",
            "file": upload("同意書.pdf", content),
        },
    )
    assert response.status_code == 302
    version = AttachmentVersion.objects.get()
    keys = [item["Key"] for item in s3_store.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"attachments/{version.storage_key}"]
    stored = s3_store.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert stored == content
    # The download streams the object through Tsunagu, for whoever may read the case only.
    download = client.get(version.get_download_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    client.force_login(cast.csw_b)
    assert client.get(version.get_download_url()).status_code == 404


def test_a_refused_version_leaves_no_object_in_the_store(cast, case_a, s3_store):
    from django.core.exceptions import ValidationError

    from casework.services import attachments as attachment_services

    attachment = services.attachment_add(
        actor=cast.csw_a,
        person=case_a.person,
        case=case_a,
        kind="letter",
        title="通知",
        file=upload("通知.pdf", pdf_bytes()),
    )
    with pytest.raises(ValidationError):
        attachment_services._stored_version(
            actor=cast.csw_a,
            attachment=attachment,
            number=1,  # taken
            file=upload("通知.pdf", pdf_bytes()),
            reason="x",
        )
    keys = [item["Key"] for item in s3_store.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"attachments/{attachment.versions.get().storage_key}"]
    assert attachment_files.storage().exists(attachment.versions.get().storage_key)
