"""`mlrun.trace` and the GenAI helpers against the session's real `mlrun serve` (through the recording relay
of trace_support.py): nesting, names, kinds, GenAI attributes, errors, message capture, threads, asyncio,
generators, runs and no runs."""

from __future__ import annotations

import asyncio
import contextvars
import json
import threading
from collections.abc import AsyncIterator, Generator

import pytest
from opentelemetry import trace
from sdk_support import Api
from trace_support import Relay, WireSpan, by_name, planner

import mlrun

INTERNAL, CLIENT = 1, 3
UNSET, ERROR = 0, 2


def assert_tree(spans: dict[str, WireSpan], parents: dict[str, str | None]) -> None:
    """Every named span has the named parent (None: a root), all in the root's trace, inside its parent's time."""
    for name, parent in parents.items():
        span = spans[name]
        if parent is None:
            assert span.parent_id == "", f"{name} should be a root"
            continue
        up = spans[parent]
        assert (span.parent_id, span.trace_id) == (up.span_id, up.trace_id), f"{name} should be a child of {parent}"
        assert up.start <= span.start <= span.end <= up.end


def test_nested_agent_llm_tool_in_a_run(relay: Relay, api: Api, project: str) -> None:
    run = mlrun.init(name="agent")
    assert planner("weather?") == "results for weather?"
    run.finish()
    spans = by_name(relay.accepted_spans())
    tool_name = "search"  # the decorated function's qualified name
    assert set(spans) == {"planner", "chat gpt-4o", "execute_tool weather", tool_name}
    assert_tree(spans, {"planner": None, "chat gpt-4o": "planner", "execute_tool weather": "planner", tool_name: "planner"})
    for span in spans.values():
        assert span.resource == {"service.name": "mlrun-python", "mlrun.project": project, "mlrun.run.id": run.id, "mlrun.run.name": "agent"}
        assert span.status_code == UNSET and span.flags & 0xFF == 1
    agent, llm, tool, searched = spans["planner"], spans["chat gpt-4o"], spans["execute_tool weather"], spans[tool_name]
    assert agent.kind == INTERNAL and agent.attributes == {"mlrun.span.kind": "agent", "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "planner", "app.version": "1.2"}
    assert llm.kind == CLIENT and llm.attributes == {
        "mlrun.span.kind": "llm", "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.provider.name": "openai",
        "gen_ai.response.model": "gpt-4o-2024-08-06", "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 7, "gen_ai.response.finish_reasons": ["tool_calls"],
    }  # capture is off by default: no gen_ai.input.messages / gen_ai.output.messages
    assert tool.kind == INTERNAL and tool.attributes == {
        "mlrun.span.kind": "tool", "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "weather",
        "gen_ai.tool.call.arguments": '{"city": "Paris"}', "gen_ai.tool.call.id": "c1", "gen_ai.tool.call.result": '{"temp_c": 18}',
    }
    assert searched.attributes == {"mlrun.span.kind": "tool", "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": tool_name}
    stored = api.run(project, run.id)
    assert stored is not None and stored["status"] == "finished"


def test_async_agents_nest_per_task(relay: Relay, project: str) -> None:
    @mlrun.trace(kind="tool")
    async def lookup(city: str) -> str:
        await asyncio.sleep(0.01)
        return city.upper()

    @mlrun.trace(kind="agent")
    async def agent(city: str) -> str:
        async with mlrun.trace_llm(model="claude-sonnet-4", provider="anthropic", name=f"chat {city}") as llm:
            await asyncio.sleep(0.01)
            llm.set_response(input_tokens=3, output_tokens=len(city))
        return await lookup(city)

    async def main() -> list[str]:
        with mlrun.trace("session"):
            return list(await asyncio.gather(agent("paris"), agent("oslo")))

    run = mlrun.init(name="async")
    assert asyncio.run(main()) == ["PARIS", "OSLO"]
    run.finish()
    spans = relay.accepted_spans()
    assert len(spans) == 7
    [session] = [s for s in spans if s.name == "session"]
    agents = [s for s in spans if s.attributes.get("mlrun.span.kind") == "agent"]
    assert len(agents) == 2 and all(a.parent_id == session.span_id for a in agents)
    for city in ("paris", "oslo"):
        [llm] = [s for s in spans if s.name == f"chat {city}"]
        assert llm.parent_id in {a.span_id for a in agents} and llm.attributes["gen_ai.usage.output_tokens"] == len(city)
        assert llm.attributes["gen_ai.provider.name"] == "anthropic" and llm.kind == CLIENT
    assert {s.trace_id for s in spans} == {session.trace_id}
    # The two agents ran interleaved; each one's llm and tool spans are its own children.
    for agent_span in agents:
        children = [s for s in spans if s.parent_id == agent_span.span_id]
        assert sorted(c.attributes["mlrun.span.kind"] for c in children) == ["llm", "tool"]


def test_errors_are_recorded_and_reraised(relay: Relay) -> None:
    @mlrun.trace(kind="tool")
    def broken() -> None:
        raise KeyError("missing")

    @mlrun.trace(name="recovers")
    def recovers() -> str:
        try:
            broken()
        except KeyError:
            return "recovered"
        return "unreachable"

    @mlrun.trace(name="fails")
    def fails() -> None:
        raise ValueError("bad input")

    assert recovers() == "recovered"
    with pytest.raises(ValueError, match="bad input"):
        fails()
    with pytest.raises(RuntimeError), mlrun.trace("block fails"):
        raise RuntimeError("in a with block")
    assert mlrun.flush(30)
    spans = relay.accepted_spans()
    named = {s.name: s for s in spans}
    tool = next(s for s in spans if s.name.endswith("broken"))
    assert (tool.status_code, tool.status_message) == (ERROR, "KeyError: 'missing'") and tool.parent_id == named["recovers"].span_id
    [(event, attrs)] = tool.events
    assert event == "exception" and attrs["exception.type"] == "KeyError" and attrs["exception.message"] == "'missing'"
    assert 'raise KeyError("missing")' in attrs["exception.stacktrace"] and tool.attributes["error.type"] == "KeyError"
    assert named["recovers"].status_code == UNSET and named["recovers"].events == []
    assert (named["fails"].status_code, named["fails"].status_message) == (ERROR, "ValueError: bad input")
    assert named["block fails"].status_code == ERROR and named["block fails"].events[0][1]["exception.type"] == "RuntimeError"


def test_context_manager_without_a_run_and_the_otel_api(relay: Relay, project: str) -> None:
    assert mlrun.run is None
    with mlrun.trace("pipeline", attributes={"stage": "etl"}) as span:
        assert trace.get_current_span() is span and mlrun.current_span() is span
        span.set_attribute("rows", 3)
        span.add_event("checkpoint", {"i": 1})
        with mlrun.trace(name="load") as load:
            assert load.parent == span.get_span_context()
    assert trace.get_current_span() is not span
    assert mlrun.flush(30)
    spans = by_name(relay.accepted_spans())
    assert_tree(spans, {"pipeline": None, "load": "pipeline"})
    pipeline = spans["pipeline"]
    assert pipeline.attributes == {"stage": "etl", "rows": 3} and pipeline.events == [("checkpoint", {"i": 1})]
    assert pipeline.resource == {"service.name": "mlrun-python", "mlrun.project": project}  # no run id


def test_messages_are_captured_only_when_asked(relay: Relay, project: str) -> None:
    run = mlrun.init(name="capture", capture_messages=True)
    assert planner("weather?") == "results for weather?"

    @mlrun.trace(kind="chain")
    def summarise(text: str, limit: int = 10) -> dict[str, int]:
        return {"chars": min(len(text), limit)}

    summarise("abcdef", limit=3)
    run.finish()
    spans = relay.accepted_spans()
    llm = next(s for s in spans if s.name == "chat gpt-4o")
    assert json.loads(llm.attributes["gen_ai.input.messages"]) == [{"role": "user", "parts": [{"type": "text", "content": "weather?"}]}]
    assert json.loads(llm.attributes["gen_ai.output.messages"]) == [
        {"role": "assistant", "parts": [{"type": "tool_call", "id": "c1", "name": "weather", "arguments": {"city": "Paris"}}], "finish_reason": "tool_calls"},
    ]
    searched = next(s for s in spans if s.name.endswith("search"))
    assert json.loads(searched.attributes["gen_ai.tool.call.arguments"]) == {"query": "weather?"}
    assert searched.attributes["gen_ai.tool.call.result"] == "results for weather?"
    chain = next(s for s in spans if s.name.endswith("summarise"))
    assert chain.attributes["openinference.span.kind"] == "CHAIN"
    assert json.loads(chain.attributes["input.value"]) == {"text": "abcdef", "limit": 3} and json.loads(chain.attributes["output.value"]) == {"chars": 3}


def test_capture_from_the_environment_without_a_run(relay: Relay, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLRUN_CAPTURE_MESSAGES", "1")
    with mlrun.trace_llm("gpt-4o-mini", "openai", input_messages="hello") as llm:
        llm.set_response(output_messages="hi there", input_tokens=1, output_tokens=2)
    assert mlrun.flush(30)
    [span] = relay.accepted_spans()
    assert json.loads(span.attributes["gen_ai.input.messages"]) == [{"role": "user", "parts": [{"type": "text", "content": "hello"}]}]
    assert json.loads(span.attributes["gen_ai.output.messages"]) == [{"role": "assistant", "parts": [{"type": "text", "content": "hi there"}], "finish_reason": "stop"}]
    assert span.attributes["gen_ai.response.finish_reasons"] == ["stop"]


def test_each_thread_has_its_own_context(relay: Relay) -> None:
    def work(label: str) -> None:
        with mlrun.trace(label), mlrun.trace(f"{label}/child"):
            pass

    with mlrun.trace("main"):
        plain = [threading.Thread(target=work, args=(f"thread-{i}",)) for i in range(3)]
        # A thread started with a copy of the caller's context continues the caller's trace.
        carried = threading.Thread(target=contextvars.copy_context().run, args=(work, "carried"))
        for t in [*plain, carried]:
            t.start()
        for t in [*plain, carried]:
            t.join()
    assert mlrun.flush(30)
    spans = by_name(relay.accepted_spans())
    parents: dict[str, str | None] = {"main": None, "carried": "main", "carried/child": "carried"}
    for i in range(3):
        parents |= {f"thread-{i}": None, f"thread-{i}/child": f"thread-{i}"}
    assert_tree(spans, parents)
    assert len({spans[f"thread-{i}"].trace_id for i in range(3)} | {spans["main"].trace_id}) == 4


def test_generators_keep_the_consumers_context(relay: Relay) -> None:
    @mlrun.trace(name="numbers")
    def numbers(n: int) -> Generator[int, None, None]:
        for i in range(n):
            with mlrun.trace(f"produce {i}"):
                pass
            yield i

    @mlrun.trace(name="letters")
    async def letters() -> AsyncIterator[str]:
        for c in "ab":
            with mlrun.trace(f"produce {c}"):
                await asyncio.sleep(0)
            yield c

    async def consume_async() -> list[str]:
        out = []
        async for c in letters():
            with mlrun.trace(f"consume {c}"):
                out.append(c)
        return out

    with mlrun.trace("consumer"):
        for i in numbers(2):
            with mlrun.trace(f"consume {i}"):
                pass
        early = numbers(5)
        assert next(early) == 0
        early.close()  # closed early: not an error
        assert asyncio.run(consume_async()) == ["a", "b"]
    assert mlrun.flush(30)
    spans = relay.accepted_spans()
    generator_spans = [s for s in spans if s.name == "numbers"]
    assert len(generator_spans) == 2 and all(s.status_code == UNSET for s in generator_spans)
    named = {s.name: s for s in spans if s.name != "numbers" and s.name != "produce 0"}
    consumer = named["consumer"]
    for item in ("0", "1", "a", "b"):
        assert named[f"consume {item}"].parent_id == consumer.span_id  # the generator's span is not the consumer's
    assert named["produce 1"].parent_id == generator_spans[0].span_id and named["produce a"].parent_id == named["letters"].span_id
    assert named["letters"].parent_id == consumer.span_id


def test_a_disabled_run_records_nothing_but_still_nests(relay: Relay) -> None:
    mlrun.init(mode="disabled")
    with mlrun.trace("outer") as outer, mlrun.trace("inner") as inner:
        assert inner.parent == outer.get_span_context()
    mlrun.finish()
    assert mlrun.flush(30)
    assert relay.traces(None) == []


def test_a_span_that_outlives_its_run_keeps_the_runs_resource(relay: Relay, project: str) -> None:
    run = mlrun.init(name="short")
    with mlrun.trace("outlives"):
        run.finish()
    assert mlrun.flush(30)
    [span] = relay.accepted_spans()
    assert span.name == "outlives" and span.resource["mlrun.run.id"] == run.id and span.resource["mlrun.project"] == project
