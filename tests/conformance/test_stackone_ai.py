"""StackOne's Python agent SDK (``stackone-ai`` 2.10.1 with its MCP extra) against the demo.

The SDK discovers tools only over MCP (``POST /mcp?param-style=flat_prefixed`` through the
official ``mcp`` client) and runs them over ``/actions/rpc`` with an envelope of its own; the
demo must serve both unchanged, and the explorer must read what the SDK sends.
"""

from __future__ import annotations

import pytest

from explorer.core.agent import agent_envelope, request_from_arguments
from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.demo.actions import ACTIONS

# stackone-ai 2.10.1 opens its MCP session with mcp's streamablehttp_client, which mcp 1.x
# deprecates; the warning is theirs to fix, not a failure of the demo.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Use `streamable_http_client` instead:DeprecationWarning"
)


def test_fetches_an_accounts_tools_over_mcp_with_schemas(
    conformance_server: DemoServer,
) -> None:
    from stackone_ai import StackOneToolSet

    toolset = StackOneToolSet(api_key=conformance_server.api_key, base_url=conformance_server.url)
    tools = toolset.fetch_tools(account_ids=["acct_bamboohr_demo", "acct_greenhouse_demo"])
    names = sorted(tool.name for tool in tools)
    assert names == sorted(
        n for n, s in ACTIONS.items() if s.connector in ("bamboohr", "greenhouse")
    )
    create = tools.get_tool("greenhouse_create_candidate")
    assert create is not None
    properties = create.parameters.properties
    assert set(properties) == {"body_first_name", "body_last_name", "body_emails"}
    assert properties["body_first_name"]["nullable"] is False  # required, as the schema says
    # Every session the SDK opened was closed again.
    assert conformance_server.mcp_sessions._sessions == {}


def test_executes_a_tool_over_rpc_as_the_agent_sends_it(conformance_server: DemoServer) -> None:
    from stackone_ai import StackOneToolSet

    toolset = StackOneToolSet(api_key=conformance_server.api_key, base_url=conformance_server.url)
    tools = toolset.fetch_tools(account_ids=["acct_bamboohr_demo"])
    get = tools.get_tool("bamboohr_get_employee")
    assert get is not None
    result = get.execute({"path_id": "40002"})
    assert result["data"]["first_name"] == "Lukas"

    # What reached the demo is the SDK's envelope: x-account-id repeated in headers, body {}.
    [log] = [e for e in conformance_server.logs.all() if e["source_type"] == "api_key"]
    sent = log["request"]["body"]
    assert sent == {
        "action": "bamboohr_get_employee",
        "body": {},
        "headers": {"x-account-id": "acct_bamboohr_demo"},
        "path": {"id": "40002"},
    }
    # httpx's default, plus br/zstd where their decoders happen to be installed.
    assert log["request"]["headers"]["accept-encoding"].startswith("gzip, deflate")
    # The explorer's model of the agent predicts exactly that envelope from the arguments.
    template = RpcRequest(account_id="acct_bamboohr_demo")
    request = request_from_arguments("bamboohr_get_employee", {"path_id": "40002"}, template)
    assert agent_envelope(request) == sent


def test_a_failing_tool_raises_the_sdks_api_error(conformance_server: DemoServer) -> None:
    from stackone_ai import StackOneToolSet
    from stackone_ai.models import StackOneAPIError

    toolset = StackOneToolSet(api_key=conformance_server.api_key, base_url=conformance_server.url)
    tools = toolset.fetch_tools(account_ids=["acct_bamboohr_demo"])
    get = tools.get_tool("bamboohr_get_employee")
    assert get is not None
    with pytest.raises(StackOneAPIError) as caught:
        get.execute({"path_id": "99999"})
    assert caught.value.status_code == 404
    assert caught.value.response_body["provider_errors"][0]["status"] == 404


def test_semantic_search_reads_the_demos_answer(conformance_server: DemoServer) -> None:
    from stackone_ai.semantic_search import SemanticSearchClient

    client = SemanticSearchClient(
        api_key=conformance_server.api_key, base_url=conformance_server.url
    )
    response = client.search("create a candidate", top_k=3)
    assert response.results[0].id == "greenhouse_1.0.0_greenhouse_create_candidate_global"
    assert response.total_count == len(response.results)
