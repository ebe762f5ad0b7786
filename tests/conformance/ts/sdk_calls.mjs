// Drives StackOne's official TypeScript SDK (pinned in package.json) against a server and
// prints what came back, one JSON object per call, for tests/conformance/test_typescript_sdk.py.
//
//   node sdk_calls.mjs BASE_URL API_KEY CALLS_JSON
//
// CALLS_JSON is a list of {name, op, args}. Each result is {name, ok, value} or
// {name, ok: false, error: {class, statusCode, message, detail}}: the SDK's own typed error
// class, so the test sees a ResponseValidationError (a shape the SDK rejects) by its name.
// Retries are off: the SDK retries 429 and 408 with backoff for up to an hour by default.

import { StackOne } from "@stackone/stackone-client-ts";
import * as shared from "@stackone/stackone-client-ts/sdk/models/shared/index.js";

const [baseUrl, apiKey, callsJson] = process.argv.slice(2);
const sdk = new StackOne({
  serverURL: baseUrl,
  security: { username: apiKey, password: "" },
  retryConfig: { strategy: "none" },
  timeoutMs: 30000,
});
const noRetry = { retries: { strategy: "none" } };

// Each op returns plain JSON the test can assert on (Dates as ISO strings).
const ops = {
  // Whether a JSON value fits one of the SDK's response models (e.g. "LinkedAccount"): lets a
  // test prove its hand-made fixture is something StackOne's own client accepts.
  async validate(args) {
    const schema = shared[`${args.model}$inboundSchema`];
    if (!schema) throw new Error(`no such model: ${args.model}`);
    const parsed = schema.safeParse(args.value);
    return parsed.success ? { valid: true } : { valid: false, issues: parsed.error.issues };
  },
  async listAccounts(args) {
    const response = await sdk.accounts.listLinkedAccounts(args.request ?? {}, noRetry);
    return (response.classes ?? []).map((a) => ({
      id: a.id,
      provider: a.provider,
      providerName: a.providerName,
      originOwnerName: a.originOwnerName,
      status: a.status,
      type: a.type,
      label: a.label,
      statusReasons: (a.statusReasons ?? []).map((r) => ({
        code: r.code,
        timestamp: r.timestamp.toISOString(),
      })),
      createdAt: a.createdAt.toISOString(),
      hasCredentials: a.credentials != null,
    }));
  },
  async listActions(args) {
    const pages = await sdk.actions.listActionsMeta(args.request ?? {}, noRetry);
    const connectors = [];
    let count = 0;
    for await (const page of pages) {
      count += 1;
      for (const meta of page.actionsMetaPaginated?.data ?? []) {
        connectors.push({
          key: meta.key,
          actions: (meta.actions ?? []).map((action) => ({
            id: action.id,
            hasDetails: action.operationDetails != null,
            inputSchema: action.operationDetails?.input_schema ?? null,
          })),
        });
      }
    }
    return { pages: count, connectors };
  },
  async rpc(args) {
    const response = await sdk.actions.rpcAction(args.body, {
      ...noRetry,
      headers: { "x-account-id": args.account },
    });
    return {
      status: response.statusCode,
      data: response.actionsRpcResponse?.data ?? null,
      next: response.actionsRpcResponse?.next ?? null,
      requestId: response.rawResponse.headers.get("x-request-id"),
      contentEncoding: response.rawResponse.headers.get("content-encoding"),
    };
  },
  async getLog(args) {
    const response = await sdk.requestLogs.getLog(
      { id: args.id, include: "step_logs" },
      noRetry,
    );
    const log = response.unifiedLogResult?.data;
    return {
      requestId: log?.requestId,
      action: log?.action,
      status: log?.status,
      success: log?.success,
      steps: (log?.stepRequests ?? []).map((s) => ({
        method: s.httpMethod,
        url: s.url,
        status: s.status,
        success: s.success,
        startTime: s.startTime?.toISOString(),
        responseStatus: s.response?.statusCode ?? null,
      })),
    };
  },
  async listLogs(args) {
    const response = await sdk.requestLogs.listLogs(args.request ?? {}, noRetry);
    const page = response.unifiedLogsPaginated;
    return {
      requestIds: (page?.data ?? []).map((l) => l.requestId),
      next: page?.next ?? null,
    };
  },
  async listPlatformLogs(args) {
    // Dates cross JSON as ISO strings; the SDK takes Date objects for its date filters.
    const request = structuredClone(args.request ?? {});
    for (const name of ["startDate", "endDate"]) {
      if (request.filter?.[name]) request.filter[name] = new Date(request.filter[name]);
    }
    const response = await sdk.requestLogs.listPlatformLogs(request, noRetry);
    const page = response.platformLogsPaginated;
    return {
      logs: (page?.data ?? []).map((l) => ({
        requestId: l.requestId,
        category: l.category,
        resource: l.resource,
        subResource: l.subResource,
        httpMethod: l.httpMethod,
        path: l.path,
        status: l.status,
        success: l.success,
        duration: l.duration,
        startTime: l.startTime?.toISOString() ?? null,
        eventDatetime: l.eventDatetime?.toISOString() ?? null,
        accountId: l.accountId ?? null,
        sourceValue: l.sourceValue ?? null,
      })),
      next: page?.next ?? null,
    };
  },
  async listStepLogs(args) {
    const response = await sdk.requestLogs.listStepLogs(args.request ?? {}, noRetry);
    return (response.stepLogsPaginated?.data ?? []).map((s) => ({
      status: s.status,
      provider: s.provider,
    }));
  },
};

function describe(error) {
  const out = {
    class: error?.constructor?.name ?? typeof error,
    message: String(error?.message ?? error),
  };
  if (typeof error?.statusCode === "number") out.statusCode = error.statusCode;
  if (error?.data$?.providerErrors) out.providerErrors = error.data$.providerErrors.length;
  if (error?.cause) out.detail = String(error.cause?.message ?? error.cause).slice(0, 2000);
  if (typeof error?.pretty === "function") out.detail = error.pretty().slice(0, 2000);
  return out;
}

const results = [];
for (const call of JSON.parse(callsJson)) {
  const op = ops[call.op];
  if (!op) {
    results.push({ name: call.name, ok: false, error: { class: "UnknownOp", message: call.op } });
    continue;
  }
  try {
    results.push({ name: call.name, ok: true, value: await op(call.args ?? {}) });
  } catch (error) {
    results.push({ name: call.name, ok: false, error: describe(error) });
  }
}
process.stdout.write(JSON.stringify(results) + "\n");
