"""OpenTelemetry GenAI semantic conventions (Development status; /work/shared/reference/protocol.md §4): the
attributes of LLM, tool and agent spans, and chat messages in the structured form of `gen_ai.input.messages`
/ `gen_ai.output.messages`:

    [{"role": "user", "parts": [{"type": "text", "content": "hi"}]},
     {"role": "assistant", "parts": [{"type": "tool_call", "id": "c1", "name": "search", "arguments": {...}}],
      "finish_reason": "tool_calls"},
     {"role": "tool", "parts": [{"type": "tool_call_response", "id": "c1", "result": "..."}]}]

Messages in that form are kept; OpenAI-style (`content` text or parts, `tool_calls`, role `tool` with
`tool_call_id`, a whole `choice` with its `finish_reason`) and Anthropic-style content blocks (`text`,
`tool_use`, `tool_result`) are converted; a plain string is one text message. Pydantic objects (the
providers' SDK types) are read through `model_dump()`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._encode import plain

if TYPE_CHECKING:
    from ._span import Span

# `kind=` of mlrun.trace → gen_ai.operation.name; other kinds are marked with OpenInference's span kind.
KIND_OPERATIONS = {"agent": "invoke_agent", "tool": "execute_tool", "llm": "chat", "embedding": "embeddings", "retriever": "retrieval"}
OPENINFERENCE_KINDS = {"chain", "reranker", "guardrail", "evaluator", "prompt"}
CLIENT_KINDS = {"llm", "embedding", "retriever"}  # calls to a model or a store: OTel span kind CLIENT


def _jsonable(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump()
    converted = plain(value)
    if converted is not value:
        return converted
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return item()
        except (ValueError, RuntimeError, TypeError):  # a tensor with more than one element
            return repr(value)
    return repr(value)


def to_json(value: Any) -> str:
    """Text as it is; anything else as JSON (objects JSON cannot hold as their repr)."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, default=_jsonable, ensure_ascii=False)
    except (TypeError, ValueError):  # a cycle, or a default() that returned something unserializable
        return json.dumps(repr(value), ensure_ascii=False)


def _arguments(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _as_dict(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    return dump() if callable(dump) else plain(value)


def _block(block: Any) -> dict[str, Any]:
    block = _as_dict(block)
    if isinstance(block, str):
        return {"type": "text", "content": block}
    if not isinstance(block, Mapping):
        return {"type": "text", "content": to_json(block)}
    kind = block.get("type")
    if kind == "text":
        return {"type": "text", "content": block.get("content", block.get("text"))}
    if kind == "tool_use":  # Anthropic
        return {"type": "tool_call", "id": block.get("id"), "name": block.get("name"), "arguments": block.get("input")}
    if kind == "tool_result":  # Anthropic
        return {"type": "tool_call_response", "id": block.get("tool_use_id"), "result": block.get("content")}
    return dict(block)  # already a GenAI part (tool_call, tool_call_response, ...) or a media part


def _parts(content: Any) -> list[dict[str, Any]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "content": content}]
    if isinstance(content, Sequence):
        return [_block(b) for b in content]
    return [_block(content)]


def _message(message: Any, default_role: str) -> dict[str, Any]:
    m = _as_dict(message)
    if isinstance(m, str) or not isinstance(m, Mapping):
        return {"role": default_role, "parts": _parts(m if isinstance(m, str) else to_json(m))}
    if "message" in m and "role" not in m:  # an OpenAI choice: {"message": {...}, "finish_reason": ...}
        inner = _message(m["message"], default_role)
        if m.get("finish_reason"):
            inner["finish_reason"] = m["finish_reason"]
        return inner
    role = str(m.get("role") or default_role)
    if "parts" in m:
        parts = [_block(p) for p in m["parts"] or []]
    elif role == "tool" and "tool_call_id" in m:  # OpenAI tool result
        parts = [{"type": "tool_call_response", "id": m.get("tool_call_id"), "result": m.get("content")}]
    else:
        parts = _parts(m.get("content"))
    for call in m.get("tool_calls") or []:  # OpenAI
        call = _as_dict(call)
        function = _as_dict(call.get("function") or {})
        arguments = function.get("arguments", call.get("arguments"))
        parts.append({"type": "tool_call", "id": call.get("id"), "name": function.get("name", call.get("name")), "arguments": _arguments(arguments)})
    out: dict[str, Any] = {"role": role, "parts": parts}
    for key in ("name", "finish_reason"):
        if m.get(key):
            out[key] = m[key]
    return out


def _messages(messages: Any, default_role: str) -> list[dict[str, Any]]:
    if isinstance(messages, (str, Mapping)) or not isinstance(messages, Sequence):
        messages = [messages]
    return [_message(m, default_role) for m in messages]


def input_messages(messages: Any) -> list[dict[str, Any]]:
    """`gen_ai.input.messages` (a plain string is one user message)."""
    return _messages(messages, "user")


def output_messages(messages: Any, finish_reasons: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """`gen_ai.output.messages`: every message gets a `finish_reason` (its own, else finish_reasons[i], else
    `stop`)."""
    out = _messages(messages, "assistant")
    for i, message in enumerate(out):
        if "finish_reason" not in message:
            message["finish_reason"] = finish_reasons[i] if finish_reasons and i < len(finish_reasons) else "stop"
    return out


def llm_attributes(model: str, provider: str | None, operation: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {"mlrun.span.kind": "embedding" if operation == "embeddings" else "llm", "gen_ai.operation.name": operation, "gen_ai.request.model": model}
    if provider:
        attrs["gen_ai.provider.name"] = provider
    return attrs


def tool_attributes(name: str, arguments: Any, call_id: str | None, description: str | None) -> dict[str, Any]:
    attrs: dict[str, Any] = {"mlrun.span.kind": "tool", "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name}
    if arguments is not None:
        attrs["gen_ai.tool.call.arguments"] = to_json(arguments)
    if call_id:
        attrs["gen_ai.tool.call.id"] = call_id
    if description:
        attrs["gen_ai.tool.description"] = description
    return attrs


def agent_attributes(name: str, agent_id: str | None, description: str | None, conversation_id: str | None) -> dict[str, Any]:
    attrs: dict[str, Any] = {"mlrun.span.kind": "agent", "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": name}
    for key, value in (("gen_ai.agent.id", agent_id), ("gen_ai.agent.description", description), ("gen_ai.conversation.id", conversation_id)):
        if value:
            attrs[key] = value
    return attrs


def kind_attributes(kind: str, name: str) -> dict[str, Any]:
    """What `mlrun.trace(kind=...)` adds: `mlrun.span.kind`, and the GenAI operation (agent/tool: with their
    name) or, for kinds GenAI has no operation for (chain, ...), `openinference.span.kind`."""
    attrs: dict[str, Any] = {"mlrun.span.kind": kind}
    operation = KIND_OPERATIONS.get(kind)
    if operation is not None:
        attrs["gen_ai.operation.name"] = operation
        if kind == "agent":
            attrs["gen_ai.agent.name"] = name
        elif kind == "tool":
            attrs["gen_ai.tool.name"] = name
    elif kind in OPENINFERENCE_KINDS:
        attrs["openinference.span.kind"] = kind.upper()
    return attrs


def set_response(
    span: Span,
    model: str | None,
    messages: Any,
    input_tokens: int | None,
    output_tokens: int | None,
    finish_reasons: Sequence[str] | None,
    response_id: str | None,
) -> None:
    if model:
        span.set_attribute("gen_ai.response.model", model)
    if response_id:
        span.set_attribute("gen_ai.response.id", response_id)
    if input_tokens is not None:
        span.set_attribute("gen_ai.usage.input_tokens", int(input_tokens))
    if output_tokens is not None:
        span.set_attribute("gen_ai.usage.output_tokens", int(output_tokens))
    reasons = [str(r) for r in finish_reasons] if finish_reasons else None
    if messages is not None:
        out = output_messages(messages, reasons)
        if reasons is None:
            reasons = [str(m["finish_reason"]) for m in out]
        if span.capture_messages:
            span.set_attribute("gen_ai.output.messages", to_json(out))
    if reasons:
        span.set_attribute("gen_ai.response.finish_reasons", reasons)
