"""OpenAPI post-processing: the error answers every operation may give (the API's one error
contract, core.api.exceptions), documented on each operation that does not name them."""

ERROR = {
    "400": "输入有误 / invalid input (field errors)",
    "401": "未登录或令牌无效、过期 / no, bad or expired credentials",
    "403": "无权执行 / not allowed for this user",
    "404": "不存在或不在管辖范围 / not found or out of scope",
    "413": "请求过大 / request too large",
}


def document_errors(result, generator, request, public):
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, description in ERROR.items():
                if code == "401" and operation.get("security") == []:
                    continue
                responses.setdefault(code, {"description": description})
    return result
