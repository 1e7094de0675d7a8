"""Error codes, RFC 9457 problem bodies and field errors of the review-service contract (section 5)."""

from __future__ import annotations

from typing import Any

PROBLEM_TYPE_PREFIX = "urn:problem:hk-rp-review:"

#: code -> (HTTP status, fixed English title, zh-CN message, en message)
ERRORS: dict[str, tuple[int, str, str, str]] = {
    "bad_request": (400, "Bad request", "请求格式错误。", "The HTTP request is malformed."),
    "uri_too_long": (414, "URI too long", "请求地址过长。", "The request URI is too long."),
    "header_fields_too_large": (431, "Request header fields too large", "请求头过大。", "The request headers are too large."),
    "http_version_not_supported": (505, "HTTP version not supported", "不支持的HTTP版本。", "HTTP version not supported."),
    "malformed_body": (400, "Malformed request body", "请求内容格式错误。", "The request body is not valid JSON."),
    "idempotency_key_required": (
        400,
        "Idempotency-Key header required",
        "缺少幂等键（Idempotency-Key）。",
        "The Idempotency-Key header is required.",
    ),
    "idempotency_key_invalid": (
        400,
        "Idempotency-Key header invalid",
        "幂等键（Idempotency-Key）格式错误。",
        "The Idempotency-Key header is not a valid UUID.",
    ),
    "digest_required": (400, "Content digest required", "缺少文件校验值。", "A content digest header is required."),
    "digest_mismatch": (
        400,
        "Content digest mismatch",
        "文件校验失败，请重新上传。",
        "The uploaded bytes do not match the digest; please upload again.",
    ),
    "unauthorized": (401, "Unauthorized", "终端认证失败。", "Kiosk authentication failed."),
    "kiosk_mismatch": (403, "Kiosk identity mismatch", "终端身份不一致。", "The kiosk identity does not match."),
    "kiosk_disabled": (403, "Kiosk disabled", "本终端已停用。", "This kiosk is disabled."),
    "not_found": (404, "Not found", "未查询到相关记录。", "No matching record was found."),
    "method_not_allowed": (
        405,
        "Method not allowed",
        "不支持的请求方式。",
        "This method is not supported on this path.",
    ),
    "idempotency_conflict": (
        409,
        "Idempotency key reused with a different request",
        "请求与之前的请求不一致。",
        "The Idempotency-Key was already used for a different request.",
    ),
    "idempotency_in_progress": (
        409,
        "Request with this Idempotency-Key still in progress",
        "请求正在处理中，请稍候。",
        "The request is still being processed.",
    ),
    "client_reference_conflict": (
        409,
        "Client reference already used",
        "该业务已提交，请勿重复提交。",
        "This application was already submitted.",
    ),
    "not_eligible": (409, "Not eligible", "不符合办理条件。", "The applicant is not eligible for this service."),
    "invalid_state": (
        409,
        "Invalid application state",
        "当前业务状态不允许此操作。",
        "This operation is not allowed in the current status.",
    ),
    "document_conflict": (
        409,
        "Document id already used",
        "文件编号已被使用。",
        "The document id is already used for other content.",
    ),
    "payload_too_large": (413, "Payload too large", "文件过大（上限10MB）。", "The file is too large (limit 10 MiB)."),
    "unsupported_media_type": (
        415,
        "Unsupported media type",
        "不支持的文件类型，仅支持JPEG图片或PDF。",
        "Unsupported file type; only JPEG or PDF are accepted.",
    ),
    "validation_failed": (
        422,
        "Validation failed",
        "提交的信息有误，请检查后重试。",
        "Some of the submitted data is invalid.",
    ),
    "rate_limited": (429, "Too many requests", "请求过于频繁，请稍后再试。", "Too many requests, please retry later."),
    "internal_error": (500, "Internal server error", "服务器内部错误，请稍后重试。", "Internal server error, please retry."),
    "maintenance": (
        503,
        "Service under maintenance",
        "系统维护中，请稍后再试。",
        "The service is under maintenance, please retry later.",
    ),
    "service_unavailable": (
        503,
        "Service temporarily unavailable",
        "服务暂时不可用，请稍后再试。",
        "The service is temporarily unavailable, please retry later.",
    ),
}

#: field error code -> (zh-CN, en) generic messages
FIELD_MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("缺少必填项。", "This field is required."),
    "invalid_type": ("数据类型不正确。", "Wrong data type."),
    "invalid_format": ("格式不正确。", "Invalid format."),
    "invalid_value": ("取值不在允许范围内。", "Not one of the allowed values."),
    "invalid_checksum": ("身份证号码校验位错误。", "The ID number check character is wrong."),
    "too_short": ("内容过短。", "Too short."),
    "too_long": ("内容过长。", "Too long."),
    "out_of_range": ("数值超出允许范围。", "Value out of range."),
    "not_allowed": ("此项不应填写。", "This field is not allowed here."),
    "unknown_field": ("包含无法识别的字段。", "Unknown field."),
    "unknown_document": ("材料文件未上传。", "The referenced document has not been uploaded."),
    "duplicate_document": ("同一份材料被重复引用。", "The same document is referenced more than once."),
    "duplicate_page": ("同一材料的页码重复。", "The same page of this material is given more than once."),
    "category_not_allowed": ("该类材料不适用于此业务。", "This document category is not allowed for this service."),
    "documents_required": ("缺少所需的证明材料。", "Required supporting documents are missing."),
    "changes_required": ("请至少填写一项变更信息。", "At least one changed item is required."),
    "kiosk_mismatch": ("终端编号不一致。", "kiosk_id does not match X-Kiosk-Id."),
    "already_exists": ("记录已存在。", "Already exists."),
    # 1.1
    "type": ("此项不能为空值（null）。", "null is not allowed for this field."),
    "phone_required": (
        "请填写手机号码，或确认使用登记的手机号码（二者选一）。",
        "Give either phone or use_phone_on_file: true (exactly one).",
    ),
    "no_phone_on_file": (
        "没有登记的手机号码，请输入手机号码。",
        "No mobile number is on file for this person; send phone instead.",
    ),
}


def localized(zh: str, en: str) -> dict[str, str]:
    return {"zh-CN": zh, "en": en}


def field_error(
    code: str,
    *,
    pointer: str | None = None,
    parameter: str | None = None,
    message: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A FieldError object: exactly one of ``pointer`` / ``parameter``."""
    zh, en = message if message is not None else FIELD_MESSAGES.get(code, ("数据有误。", "Invalid value."))
    error: dict[str, Any] = {}
    if parameter is not None:
        error["parameter"] = parameter
    else:
        error["pointer"] = pointer if pointer is not None else ""
    error["code"] = code
    error["message"] = localized(zh, en)
    return error


class ApiError(Exception):
    """A definitive problem answer. Rendered to ``application/problem+json`` by the HTTP layer."""

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.status = status if status is not None else ERRORS[code][0]
        self.detail = detail
        self.extra = extra or {}
        self.headers = headers or {}


def validation_error(errors: list[dict[str, Any]]) -> ApiError:
    count = len(errors)
    detail = f"{count} validation error{'s' if count != 1 else ''}."
    return ApiError("validation_failed", detail, extra={"errors": errors})


def retryable_error(code: str, retry_after_s: int, detail: str) -> ApiError:
    return ApiError(
        code,
        detail,
        extra={"retry_after_s": retry_after_s},
        headers={"Retry-After": str(retry_after_s)},
    )


def problem_body(error: ApiError, *, instance: str, request_id: str) -> dict[str, Any]:
    """The RFC 9457 problem object with the contract's extension members."""
    _status, title, zh, en = ERRORS.get(error.code, (error.status, "Error", "请求失败。", "The request failed."))
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + error.code,
        "title": title,
        "status": error.status,
        "detail": error.detail,
        "instance": instance,
        "code": error.code,
        "message": localized(zh, en),
        "request_id": request_id,
    }
    body.update(error.extra)
    return body
