"""Input no field can take is refused with a 400 and a clear message, before any view or query runs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "输入中含有空字符（NUL），无法处理，请删除后重试。"


@pytest.mark.parametrize("url", ["/catalogue/matters/%00/", "/catalogue/?q=%00", "/catalogue/?q=a%00b"])
def test_a_nul_in_the_path_or_the_query_is_a_bad_request_with_a_chinese_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_nul_in_a_json_body_is_a_bad_request_with_a_stable_code(client):
    response = client.post(
        "/api/cases/auth/token", {"username": "lin\u0000", "password": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"code": "nul_character", "message": NUL_MESSAGE, "errors": []}


def test_a_nul_in_an_api_query_parameter_is_refused_the_same_way(client):
    response = client.get("/api/catalogue/matters?q=%00")
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"


def test_a_nul_in_a_form_field_is_a_bad_request(client):
    multipart = client.post("/accounts/login/", {"username": "lin\x00xiaowen", "password": "x"})
    urlencoded = client.post("/accounts/login/", "username=lin%00", content_type="application/x-www-form-urlencoded")
    for response in (multipart, urlencoded):
        assert response.status_code == 400
        assert NUL_MESSAGE in response.content.decode()


def test_a_file_whose_content_holds_nul_bytes_is_not_refused(client):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\x00\x01\x02", content_type="application/pdf")
    response = client.post("/accounts/login/", {"username": "nobody", "password": "x", "file": upload})
    assert response.status_code == 200  # the login page again, saying the password is wrong


def test_a_multipart_body_without_its_boundary_is_a_bad_request_not_a_server_error(client):
    response = client.generic("POST", "/api/cases/auth/token", b"username=a", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["code"] == "unreadable_body"
    page = client.generic("POST", "/accounts/login/", b"username=a", content_type="multipart/form-data")
    assert page.status_code == 400
    assert "请求内容格式有误" in page.content.decode()
