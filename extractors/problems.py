"""Every problem kind and its Chinese message, in one place (like spaCy's errors.py).

A message tells the reviewer what happened and what to do about it.
"""

from __future__ import annotations

from .model import Problem, Severity

MESSAGES: dict[str, tuple[Severity, str]] = {
    "empty": ("error", "文件为空（0字节），无法读取。请申报单位重新提交该文件。"),
    "corrupt": ("error", "文件已损坏或不完整，无法打开（{detail}）。请申报单位重新提交该文件。"),
    "encrypted": ("error", "文件已加密（需要密码），无法读取内容。请申报单位提交未加密版本。"),
    "unsupported-type": ("error", "不支持的文件类型（{detail}），未读取内容。请人工查看，或请申报单位转换为PDF/Word格式。"),
    "wrong-extension": ("warning", "文件扩展名与实际格式不符：扩展名为{ext}，实际为{real}，已按实际格式读取。"),
    "scanned": ("warning", "第{pages}页无可用文字层（扫描件或图片），其内容未被机器读取，请人工核对。"),
    "ocr": ("info", "第{pages}页为扫描件或图片，已用OCR识别文字；OCR可能有错字，相关证据请对照原件核对。"),
    "garbled": ("warning", "第{pages}页文字编码异常（乱码或字体缺失），已忽略该页文字，请人工核对。"),
    "no-text": ("warning", "文件未读到任何文字内容，请人工查看。"),
    "too-large": ("error", "文件过大（{detail}），超出处理上限，未读取。请人工查看。"),
    "timeout": ("error", "读取文件超时（超过{detail}秒），已跳过。请人工查看该文件。"),
    "internal-error": ("error", "处理该文件时程序出错（{detail}），已跳过。请人工查看该文件，并向技术人员反馈。"),
    "needs-converter": ("error", "该格式（{detail}）需要 LibreOffice 转换，但本机未安装。请安装 libreoffice 后重新运行。"),
    "zip-unsafe": ("error", "压缩包中的文件“{detail}”路径不安全或超出限制，已跳过。"),
    "zip-nested": ("warning", "压缩包内嵌套的压缩包“{detail}”超过一层，未解压。请人工查看。"),
    "skipped": ("info", "已跳过系统或临时文件（{detail}）。"),
    "loose-file": ("warning", "输入目录顶层的文件“{detail}”不属于任何申报材料（子文件夹或zip），未处理。"),
    "no-documents": ("error", "该申报材料中没有可读取的文件。"),
    "inconsistent": ("warning", "材料之间不一致：{detail}。请人工核对。"),
    "credit-code-invalid": ("warning", "统一社会信用代码“{detail}”校验位不正确，请核对。"),
    "credit-code-missing": ("warning", "未找到统一社会信用代码，请人工核对。"),
    "track-unknown": ("warning", "未能识别申报类别（示范企业/项目/平台），请人工确认。"),
    "cache-rebuilt": ("warning", "审核缓存文件无法使用（{detail}），已弃用并重建；本次所有文件重新读取，结果不受影响。"),
    "cache-failed": ("warning", "审核缓存读写失败（{detail}），本次运行其余部分不再使用缓存；结果不受影响。"),
    "report-layout": ("warning", "证据页面：LibreOffice 未能将该文件排版为页面（{detail}），证据页面只显示引文，请核对原文件。"),
    "track-inferred": ("warning", "材料中没有申报表或标题注明申报类别，按正文推断为“{detail}”，请人工确认。"),
}


# Message variants reported under another kind: OCR'd pages are still `scanned` pages,
# only informational, so a reviewer checks the evidence that came from them.
KIND_OF = {"ocr": "scanned"}


def problem(kind: str, file: str, **detail: object) -> Problem:
    """Build a Problem of a known kind with its Chinese message filled in."""
    severity, template = MESSAGES[kind]
    values = {"detail": "", **{k: str(v) for k, v in detail.items()}}
    return Problem(file=file, kind=KIND_OF.get(kind, kind), message=template.format(**values), severity=severity)
