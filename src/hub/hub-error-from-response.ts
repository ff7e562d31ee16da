import { EntryNotFoundError, type FinetunePrepError, GatedRepoError, HubHttpError, HubUnreachableError, RepoNotFoundError } from "../errors.js";
import { type HubFetchOptions, type HubRequestTarget, isRetryableStatus } from "./hub-fetch.js";
import { RevisionNotFoundError } from "./revision-not-found-error.js";

/** Removes the token from any text that reaches a message (a server could echo it back). */
function redactToken(text: string, token: string | undefined): string {
  return token ? text.split(token).join("hf_***") : text;
}

/** A URL fit for a message: no query string (CDN URLs carry signatures). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split("?")[0] ?? url;
  }
}

function describeRepo(t: HubRequestTarget): string {
  return `${t.repoType} repo ${t.repoId}`;
}

function repoPage(endpoint: string, t: HubRequestTarget): string {
  return `${endpoint}/${t.repoType === "model" ? "" : `${t.repoType}s/`}${t.repoId}`;
}

/** The start of a body, without reading more than `limit` bytes of it (an error page can be huge). */
async function boundedText(resp: Response, limit: number): Promise<string> {
  if (!resp.body) return "";
  const reader = resp.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}

async function serverMessage(resp: Response, token: string | undefined): Promise<string> {
  const parts: string[] = [];
  const fromHeader = resp.headers.get("X-Error-Message");
  if (fromHeader) parts.push(fromHeader);
  try {
    const text = await boundedText(resp, 4000);
    try {
      const json = JSON.parse(text) as { error?: unknown; message?: unknown };
      const err = json.error ?? json.message;
      if (typeof err === "string") parts.push(err);
      else if (Array.isArray(err)) parts.push(...err.map(String));
    } catch {
      if (text.trim() && !/html/i.test(resp.headers.get("Content-Type") ?? "")) parts.push(text.trim());
    }
  } catch {
    /* body unreadable: the status says enough */
  }
  return redactToken([...new Set(parts.map((p) => p.trim()).filter(Boolean))].join(" — "), token);
}

/**
 * Python's `hf_raise_for_status`: the typed error a failed Hub response stands for, chosen by
 * `X-Error-Code` first (RevisionNotFound, EntryNotFound, GatedRepo, RepoNotFound), then by status
 * (a 401 is how the Hub hides private and missing repos from anonymous callers).
 */
export async function hubErrorFromResponse(resp: Response, url: string, options: HubFetchOptions): Promise<FinetunePrepError> {
  const { settings, target } = options;
  const code = resp.headers.get("X-Error-Code");
  const headerMessage = resp.headers.get("X-Error-Message");
  const server = await serverMessage(resp, settings.accessToken);
  const where = displayUrl(url);
  const said = server ? ` The Hub said: ${server}.` : "";
  const base = { repoId: target.repoId };
  if (code === "RevisionNotFound") {
    return new RevisionNotFoundError(`Revision ${JSON.stringify(target.revision)} not found in ${describeRepo(target)} (${resp.status} at ${where}).${said}`, {
      ...base,
      revision: target.revision,
      hint: `Check the branch, tag or commit name on ${repoPage(settings.endpoint, target)}.`,
    });
  }
  if (code === "EntryNotFound") {
    return new EntryNotFoundError(
      `${target.path ?? "The file"} does not exist in ${describeRepo(target)} at revision ${target.revision} (${resp.status} at ${where}).`,
      {
        ...base,
        ...(target.path !== undefined ? { file: target.path } : {}),
        hint: `List the repo's files with listRepoFiles, or see ${repoPage(settings.endpoint, target)}.`,
      },
    );
  }
  if (code === "GatedRepo") {
    const why = settings.accessToken
      ? "the token given (HF_TOKEN, or the token file of `hf auth login`) has no access to it"
      : "no token was given (HF_TOKEN is not set and there is no token file)";
    return new GatedRepoError(`The ${describeRepo(target)} on ${settings.endpoint} is gated and ${why} (${resp.status} at ${where}).${said}`, {
      ...base,
      hint: `Request access on ${repoPage(settings.endpoint, target)}, then set HF_TOKEN to a token of the account that has it (or run \`hf auth login\`).`,
    });
  }
  if (resp.status === 401 && headerMessage === "Invalid credentials in Authorization header") {
    return new HubHttpError(`${settings.endpoint} refused the token (401 at ${where}).${said}`, {
      ...base,
      status: 401,
      hint: "Set HF_TOKEN to a valid token (https://huggingface.co/settings/tokens), or unset it for public repos.",
    });
  }
  if (code === "RepoNotFound" || resp.status === 401) {
    return new RepoNotFoundError(`The ${describeRepo(target)} was not found on ${settings.endpoint} (${resp.status} at ${where}).${said}`, {
      ...base,
      hint:
        `Check the repo id and its type (repoType "dataset" for datasets). ` +
        (settings.accessToken
          ? "If it is private, the token given (HF_TOKEN) has no access to it."
          : "If it is private or gated, set HF_TOKEN to a token with access."),
    });
  }
  if (resp.status === 403) {
    return new HubHttpError(`Forbidden: ${describeRepo(target)} (403 at ${where}).${said}`, {
      ...base,
      status: 403,
      hint: "Make sure the token (HF_TOKEN) has the permissions this needs.",
    });
  }
  return new HubHttpError(`HTTP ${resp.status} from ${where} for ${describeRepo(target)}${target.path ? `, file ${target.path}` : ""}.${said}`, {
    ...base,
    status: resp.status,
    ...(isRetryableStatus(resp.status) ? { hint: "The Hub may be down or rate-limiting: try again later." } : {}),
  });
}

/** System error codes that mean the server could not be reached at all, with what they say. */
const CONNECT_FAILURES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  EAI_FAIL: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENETDOWN: "network down",
  UND_ERR_CONNECT_TIMEOUT: "connect timeout",
  EPROTO: "TLS error",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS error",
  UNABLE_TO_GET_ISSUER_CERT: "TLS error",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS error",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS error",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS error",
  CERT_HAS_EXPIRED: "TLS error",
  CERT_NOT_YET_VALID: "TLS error",
  CERT_UNTRUSTED: "TLS error",
  CERT_REJECTED: "TLS error",
  CERT_SIGNATURE_FAILURE: "TLS error",
};

/** The system error code of a fetch failure (undici puts it on `cause`, or on an AggregateError's errors). */
function errorCode(e: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof e !== "object" || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && code !== "") return code;
  const errors = (e as { errors?: unknown }).errors;
  if (Array.isArray(errors))
    for (const x of errors) {
      const c = errorCode(x, depth + 1);
      if (c !== undefined) return c;
    }
  return errorCode((e as { cause?: unknown }).cause, depth + 1);
}

/**
 * Why a fetch failure means the server could not be reached at all — "connection refused
 * (ECONNREFUSED)", "TLS error (CERT_HAS_EXPIRED)" — or undefined for failures a retry may cure
 * (a reset or a cut mid-answer). Python's httpx.ConnectError and its TLS errors.
 */
function unreachableReason(e: unknown): string | undefined {
  const code = errorCode(e);
  if (code === undefined) return undefined;
  const what = CONNECT_FAILURES[code] ?? (/^(ERR_TLS_|ERR_SSL_|CERT_)/.test(code) ? "TLS error" : undefined);
  return what === undefined ? undefined : `${what}, ${code}`;
}

/**
 * A failure below HTTP (connection refused, reset, stall) as a HubHttpError without status; a
 * HubUnreachableError when nothing was heard from the server at all (refused, DNS, TLS, or no
 * answer within the timeout: `noAnswer`).
 */
export function networkError(e: unknown, url: string, options: HubFetchOptions, timedOut = false, noAnswer = false): HubHttpError {
  const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
  const timeoutMs = options.timeoutMs ?? options.settings.timeoutMs;
  const reason = timedOut ? `no response for ${timeoutMs} ms` : cause;
  const { target } = options;
  // Name what was being fetched: the URL alone may be a CDN address that says nothing to the user.
  const what = target.path ? ` for ${describeRepo(target)}, file ${target.path}` : "";
  const message = `Could not reach ${displayUrl(url)}${what} (${redactToken(reason, options.settings.accessToken)}).`;
  const hint = "Check the network connection (and HF_ENDPOINT), or set HF_HUB_OFFLINE=1 to use the cache only.";
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    /* keep the url */
  }
  const unreachable = timedOut ? (noAnswer ? `no answer within ${timeoutMs} ms` : undefined) : unreachableReason(e);
  if (unreachable !== undefined) return new HubUnreachableError(message, { repoId: target.repoId, hint, reason: `${host}: ${unreachable}` });
  return new HubHttpError(message, { repoId: options.target.repoId, hint });
}
