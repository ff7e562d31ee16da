/**
 * A loopback Hugging Face Hub for tests: real HTTP on 127.0.0.1 (ephemeral ports), the Hub's URL
 * layout, headers and JSON shapes, so @huggingface/hub and src/hub run against it unmodified.
 *
 * ```ts
 * const hub = await startHubServer();                    // serves ../shared/hf-home/hub
 * await hfHubDownload({ repoId: "EleutherAI/pythia-70m", path: "tokenizer.json", endpoint: hub.url, cacheDir });
 * hub.requests;                                          // every request, in order
 * await hub.close();
 * ```
 *
 * Repos come from `root`, a folder laid out like a Hugging Face cache (`models--ORG--NAME/`,
 * `datasets--ORG--NAME/` with `refs/<branch>` and `snapshots/<commit>/…`; default
 * ../shared/hf-home/hub: EleutherAI/pythia-70m and the dataset kotzeje/lamini_docs.jsonl), plus
 * `repos` defined in memory (merged into a root repo of the same type and id: extra commits, extra
 * refs such as tags, gating).
 *
 * Endpoints (as huggingface.co answers them):
 * - `GET /api/{models,datasets}/ORG/NAME[/revision/<rev>]` → info with `sha`, `siblings`, `private`, `gated`
 *   (`<rev>` "HEAD" means the main branch, as @huggingface/hub's modelInfo asks).
 * - `GET /api/{models,datasets}/ORG/NAME/tree/<rev>[/<path>]?recursive=true&expand=true` → entries
 *   `{ type, oid, size, path, lfs?: { oid, size, pointerSize }, lastCommit? }`; with `pageSize`,
 *   pages linked by a `Link: <…&cursor=N>; rel="next"` header.
 * - `POST /api/{models,datasets}/ORG/NAME/paths-info/<rev>` (JSON or form body `paths`, `expand`).
 * - `HEAD|GET /ORG/NAME/resolve/<rev>/<path>`, `/datasets/ORG/NAME/resolve/<rev>/<path>`:
 *   regular files 200 with `ETag: "<git blob sha1>"`, `X-Repo-Commit`, `Content-Length`,
 *   `Accept-Ranges`; LFS files (default: .parquet and similar, or ≥ 1 MiB — so pythia's
 *   tokenizer.json) a 302 to a second server on another port (the "CDN") with
 *   `X-Linked-Etag: "<sha256>"`, `X-Linked-Size`, and an `ETag` that is NOT the sha256 (the
 *   pointer's git oid), so a client that ignores X-Linked-Etag is caught. `cdn: false` serves
 *   LFS bytes from the hub itself. Range requests get 206 (or 416).
 * - Errors: unknown repo 404 `X-Error-Code: RepoNotFound`; unknown revision 404 `RevisionNotFound`;
 *   unknown file 404 `EntryNotFound` with `X-Repo-Commit`; a gated repo without the right Bearer
 *   token 401 `GatedRepo`; a private repo without it 401 `RepoNotFound` ("Invalid username or password.").
 *
 * Every request is recorded (`requests`): server ("hub" or "cdn"), method, path, whether an
 * Authorization header came (never its value), Range, status, fault applied, and the body bytes
 * written (`bytes`; `bytesServed()` sums them), so tests can assert how much of a file was read.
 *
 * Faults (`faults` / `setFaults`), matched by path (substring of the URL path, or RegExp), method,
 * server; `skip` matching requests pass first, then `times` (default 1) are hit:
 * - `status`: answer `status` (e.g. 503) with `headers`/`body` instead.
 * - `headers`: the normal answer with headers replaced (a value of null removes one).
 * - `drop`: send headers and `bytes` of the body, then destroy the connection (no `bytes`: reset before any header).
 * - `short`: headers announce the full length, `bytes` are sent, then the connection is closed.
 * - `truncate`: a well-formed answer whose Content-Length and body are only the first `bytes`.
 * - `corrupt`: the full length, one byte flipped — the bytes do not match the ETag.
 * - `stall`: send headers and `bytes`, then nothing for `ms` (default: until the client gives up), then the rest.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { sharedPath } from "./shared.js";

type FakeRepoType = "model" | "dataset";

/** A repo defined in memory (or extra commits/refs/gating for a repo read from `root`). */
interface RepoSpec {
  /** "ORG/NAME". */
  id: string;
  /** Default "model". */
  type?: FakeRepoType;
  /** commit (40 hex) → its files: a snapshot folder to read, or path → content. Paths are served as given (even "../x": malicious listings). */
  commits?: Record<string, string | Record<string, string | Uint8Array>>;
  /** Branch or tag → commit. "main" should be one of them. */
  refs?: Record<string, string>;
  /** Needs the server's token (401 GatedRepo without it). */
  gated?: boolean;
  /** Needs the server's token (401 RepoNotFound without it, as the Hub hides private repos). */
  private?: boolean;
}

export interface Fault {
  kind: "status" | "headers" | "drop" | "short" | "truncate" | "corrupt" | "stall";
  /** Requests whose URL path (without query) contains this string, or matches this RegExp. */
  path: string | RegExp;
  /** Only this method (e.g. "GET"); default any. */
  method?: string;
  /** Only on this server; default either. */
  server?: "hub" | "cdn";
  /** Matching requests to let through untouched first. Default 0. */
  skip?: number;
  /** Matching requests to hit after those. Default 1; Infinity for every one. */
  times?: number;
  /** `status`: the status to answer. */
  status?: number;
  /** `status`: headers of that answer; `headers`: headers to set (null removes). */
  headers?: Record<string, string | null>;
  /** `status`: its body. Default a JSON error. */
  body?: string;
  /** `drop`, `short`, `truncate`, `stall`: body bytes sent before the fault. */
  bytes?: number;
  /** `stall`: how long. Default until the client closes the connection. */
  ms?: number;
}

interface RecordedRequest {
  server: "hub" | "cdn";
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Whether an Authorization header came (its value is never kept). */
  authorization: boolean;
  range?: string;
  status?: number;
  fault?: Fault["kind"];
  /** Body bytes written to the connection for this request (0 for HEAD; what was sent before a fault cut it). */
  bytes: number;
}

export interface HubServerOptions {
  /** A folder in Hugging Face cache layout to serve. Default ../shared/hf-home/hub; null for none. */
  root?: string | null;
  repos?: RepoSpec[];
  /** The one token that opens gated and private repos. */
  token?: string;
  /** Repo ids (any type) to treat as gated. */
  gated?: string[];
  faults?: Fault[];
  /** Redirect LFS files to a second server (the CDN). Default true. */
  cdn?: boolean;
  /** Which files are LFS. Default: LFS extensions (.parquet, .bin, .safetensors…) or size ≥ 1 MiB. */
  lfs?: (path: string, size: number) => boolean;
  /** Tree API entries per page (Link header pagination). Default: one page. */
  pageSize?: number;
}

/** What the server knows of one file at one commit (for tests' expectations). */
interface ServedFile {
  path: string;
  content: Buffer;
  size: number;
  lfs: boolean;
  /** git blob sha1 of what git stores: the content, or the LFS pointer. */
  gitOid: string;
  /** sha256 of the content. */
  sha256: string;
  /** What a client must name the blob: sha256 for LFS, else the git blob sha1. */
  etag: string;
  pointer?: string;
}

export interface HubServer {
  /** The Hub's URL (use as endpoint / HF_ENDPOINT). */
  url: string;
  /** The CDN's URL (another port: another origin). */
  cdnUrl: string;
  requests: RecordedRequest[];
  /** Body bytes served so far, by both servers (hub and CDN), summed over `requests`; with `path`, only requests whose path contains it. */
  bytesServed(path?: string): number;
  setFaults(faults: Fault[]): void;
  /** A file as served, for expectations. `revision` default "main". */
  file(repoId: string, path: string, options?: { type?: FakeRepoType; revision?: string }): ServedFile;
  /** The commit a revision of a repo resolves to. */
  commit(repoId: string, options?: { type?: FakeRepoType; revision?: string }): string;
  close(): Promise<void>;
}

interface Repo {
  id: string;
  type: FakeRepoType;
  refs: Map<string, string>;
  commits: Map<string, Map<string, ServedFile>>;
  gated: boolean;
  private: boolean;
}

const LFS_EXT = /\.(parquet|arrow|bin|safetensors|h5|msgpack|onnx|ot|pt|pth|ckpt|pkl|pickle|npy|npz|tflite|tar|zip|gz|zst|7z|rar|model|wasm)$/i;
const defaultLfs = (path: string, size: number) => LFS_EXT.test(path) || size >= 1 << 20;

const gitOid = (b: Buffer) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function servedFile(path: string, content: Buffer, isLfs: (p: string, s: number) => boolean): ServedFile {
  const sha = sha256(content);
  const lfs = isLfs(path, content.length);
  if (!lfs) return { path, content, size: content.length, lfs, gitOid: gitOid(content), sha256: sha, etag: gitOid(content) };
  const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha}\nsize ${content.length}\n`;
  return { path, content, size: content.length, lfs, gitOid: gitOid(Buffer.from(pointer)), sha256: sha, etag: sha, pointer };
}

function walkFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) out.push(...walkFiles(full, rel));
    else out.push(rel);
  }
  return out;
}

function readSnapshot(dir: string, isLfs: (p: string, s: number) => boolean): Map<string, ServedFile> {
  const files = new Map<string, ServedFile>();
  for (const rel of walkFiles(dir)) files.set(rel, servedFile(rel, readFileSync(join(dir, rel)), isLfs));
  return files;
}

function loadRoot(root: string, isLfs: (p: string, s: number) => boolean): Repo[] {
  const repos: Repo[] = [];
  for (const name of readdirSync(root)) {
    const m = /^(models|datasets)--(.+)$/.exec(name);
    if (!m) continue;
    const dir = join(root, name);
    const refs = new Map<string, string>();
    if (existsSync(join(dir, "refs"))) for (const ref of walkFiles(join(dir, "refs"))) refs.set(ref, readFileSync(join(dir, "refs", ref), "utf8").trim());
    const commits = new Map<string, Map<string, ServedFile>>();
    if (existsSync(join(dir, "snapshots"))) for (const c of readdirSync(join(dir, "snapshots"))) commits.set(c, readSnapshot(join(dir, "snapshots", c), isLfs));
    repos.push({ id: m[2]!.split("--").join("/"), type: m[1] === "models" ? "model" : "dataset", refs, commits, gated: false, private: false });
  }
  return repos;
}

function matches(f: Fault, server: "hub" | "cdn", method: string, pathname: string): boolean {
  if (f.server && f.server !== server) return false;
  if (f.method && f.method.toUpperCase() !== method) return false;
  return typeof f.path === "string" ? pathname.includes(f.path) : f.path.test(pathname);
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: Buffer;
}

function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers }, body: Buffer.from(JSON.stringify(value)) };
}

function errorReply(status: number, code: string | undefined, message: string, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { error: message }, { ...(code ? { "X-Error-Code": code } : {}), "X-Error-Message": message, ...headers });
}

function contentType(path: string): string {
  if (path.endsWith(".json")) return "application/json; charset=utf-8";
  if (/\.(md|txt|jsonl|csv)$/.test(path)) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

/** A byte range of `size` bytes, or "invalid" (416), or undefined (no Range: whole file). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | "invalid" | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? "invalid" : { start, end };
}

function bytesReply(content: Buffer, range: string | undefined, headers: Record<string, string>): Reply {
  const r = parseRange(range, content.length);
  if (r === "invalid") return { status: 416, headers: { ...headers, "Content-Range": `bytes */${content.length}` }, body: Buffer.alloc(0) };
  if (r === undefined) return { status: 200, headers: { ...headers, "Accept-Ranges": "bytes" }, body: content };
  return {
    status: 206,
    headers: { ...headers, "Accept-Ranges": "bytes", "Content-Range": `bytes ${r.start}-${r.end}/${content.length}` },
    body: content.subarray(r.start, r.end + 1),
  };
}

/** Starts the loopback Hub (and its CDN). See the file's header for what it serves. */
export async function startHubServer(options: HubServerOptions = {}): Promise<HubServer> {
  const isLfs = options.lfs ?? defaultLfs;
  const root = options.root === undefined ? sharedPath("hf-home", "hub") : options.root;
  const repos: Repo[] = root === null ? [] : loadRoot(root, isLfs);
  for (const spec of options.repos ?? []) {
    const type = spec.type ?? "model";
    let repo = repos.find((r) => r.id === spec.id && r.type === type);
    if (!repo) {
      repo = { id: spec.id, type, refs: new Map(), commits: new Map(), gated: false, private: false };
      repos.push(repo);
    }
    for (const [commit, files] of Object.entries(spec.commits ?? {})) {
      const map =
        typeof files === "string"
          ? readSnapshot(files, isLfs)
          : new Map(Object.entries(files).map(([p, c]) => [p, servedFile(p, Buffer.from(c), isLfs)] as const));
      repo.commits.set(commit, map);
    }
    for (const [ref, commit] of Object.entries(spec.refs ?? {})) repo.refs.set(ref, commit);
    repo.gated ||= spec.gated ?? false;
    repo.private ||= spec.private ?? false;
  }
  for (const id of options.gated ?? []) for (const r of repos) if (r.id === id) r.gated = true;

  let faults: { fault: Fault; seen: number }[] = [];
  const setFaults = (list: Fault[]) => {
    faults = list.map((fault) => ({ fault, seen: 0 }));
  };
  setFaults(options.faults ?? []);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let hubUrl = "";
  let cdnUrl = "";
  const useCdn = options.cdn ?? true;
  const lastModified = new Date("2024-01-01T00:00:00.000Z").toISOString();

  const findRepo = (type: FakeRepoType, segs: string[]): { repo?: Repo; id: string; rest: string[] } => {
    for (const n of [2, 1]) {
      const id = segs.slice(0, n).join("/");
      const repo = repos.find((r) => r.type === type && r.id === id);
      if (repo && segs.length >= n) return { repo, id, rest: segs.slice(n) };
    }
    return { id: segs.slice(0, 2).join("/"), rest: segs.slice(2) };
  };

  const resolveRev = (repo: Repo, rev: string): string | undefined => {
    if (rev === "HEAD") rev = "main";
    if (repo.refs.has(rev)) return repo.refs.get(rev);
    if (/^[0-9a-f]{40}$/.test(rev) && repo.commits.has(rev)) return rev;
    return undefined;
  };

  /** Gating/privacy: undefined when allowed, else the error reply. */
  const guard = (repo: Repo | undefined, id: string, type: FakeRepoType, req: IncomingMessage): Reply | undefined => {
    if (!repo) return errorReply(404, "RepoNotFound", "Repository not found");
    const ok = options.token !== undefined && req.headers.authorization === `Bearer ${options.token}`;
    if (repo.private && !ok) return errorReply(401, "RepoNotFound", "Invalid username or password.");
    if (repo.gated && !ok) {
      return errorReply(
        401,
        "GatedRepo",
        `Access to ${type} ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
      );
    }
    return undefined;
  };

  const treeEntry = (repo: Repo, commit: string, f: ServedFile, expand: boolean) => ({
    type: "file",
    oid: f.gitOid,
    size: f.size,
    path: f.path,
    ...(f.lfs ? { lfs: { oid: f.sha256, size: f.size, pointerSize: Buffer.byteLength(f.pointer ?? "") } } : {}),
    ...(expand
      ? { lastCommit: { id: commit, title: `Fake commit ${commit.slice(0, 7)} of ${repo.id}`, date: lastModified }, securityFileStatus: { status: "safe" } }
      : {}),
  });
  const dirEntry = (commit: string, path: string, expand: boolean) => ({
    type: "directory",
    oid: createHash("sha1").update(`tree ${commit} ${path}`).digest("hex"),
    size: 0,
    path,
    ...(expand ? { lastCommit: { id: commit, title: "Fake commit", date: lastModified } } : {}),
  });
  const dirsOf = (files: Iterable<string>): Set<string> => {
    const dirs = new Set<string>();
    for (const p of files) {
      const parts = p.split("/");
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
    }
    return dirs;
  };

  const handleApi = (req: IncomingMessage, url: URL, segs: string[], body: Buffer): Reply => {
    const kind = segs[0];
    if (kind !== "models" && kind !== "datasets") return errorReply(404, undefined, "Not found");
    const type: FakeRepoType = kind === "models" ? "model" : "dataset";
    const { repo, id, rest } = findRepo(type, segs.slice(1));
    const denied = guard(repo, id, type, req);
    if (denied) return denied;
    const r = repo!;
    const [action, rev = "main", ...sub] = rest;
    const commit = resolveRev(r, action === undefined ? "main" : rev);
    if (commit === undefined) return errorReply(404, "RevisionNotFound", `Invalid rev id: ${rev}`);
    const files = r.commits.get(commit) ?? new Map<string, ServedFile>();
    const expand = url.searchParams.get("expand") === "true" || url.searchParams.get("expand") === "1";
    if (action === undefined || action === "revision") {
      const [org] = id.split("/");
      return jsonReply(200, {
        _id: createHash("sha1").update(`${type}/${id}`).digest("hex").slice(0, 24),
        id,
        ...(type === "model" ? { modelId: id } : {}),
        author: id.includes("/") ? org : undefined,
        sha: commit,
        lastModified,
        createdAt: lastModified,
        private: r.private,
        gated: r.gated ? "auto" : false,
        disabled: false,
        downloads: 0,
        likes: 0,
        tags: [],
        siblings: [...files.keys()].sort().map((rfilename) => ({ rfilename })),
      });
    }
    if (action === "tree" && req.method === "GET") {
      const prefix = sub.join("/");
      const all = [...files.keys()].sort();
      const dirs = dirsOf(all);
      if (prefix && !dirs.has(prefix)) {
        return files.has(prefix)
          ? jsonReply(400, { error: `${prefix} is a file` })
          : errorReply(404, "EntryNotFound", `${prefix} does not exist on "${rev}"`, { "X-Repo-Commit": commit });
      }
      const recursive = url.searchParams.get("recursive") === "true" || url.searchParams.get("recursive") === "1";
      const under = (p: string) => (prefix ? p.startsWith(`${prefix}/`) : true) && (recursive || !p.slice(prefix ? prefix.length + 1 : 0).includes("/"));
      const entries = [
        ...[...dirs]
          .filter(under)
          .sort()
          .map((d) => dirEntry(commit, d, expand)),
        ...all.filter(under).map((p) => treeEntry(r, commit, files.get(p)!, expand)),
      ];
      const cursor = Number(url.searchParams.get("cursor") ?? "0");
      const size = options.pageSize ?? entries.length;
      const page = entries.slice(cursor, cursor + Math.max(size, 1));
      const headers: Record<string, string> = {};
      if (cursor + page.length < entries.length) {
        const next = new URL(url.toString(), hubUrl);
        next.searchParams.set("cursor", String(cursor + page.length));
        headers.Link = `<${hubUrl}${next.pathname}${next.search}>; rel="next"`;
      }
      return jsonReply(200, page, headers);
    }
    if (action === "paths-info" && req.method === "POST") {
      let paths: string[] = [];
      let exp = false;
      const text = body.toString("utf8");
      if ((req.headers["content-type"] ?? "").includes("json")) {
        const j = JSON.parse(text || "{}") as { paths?: string[] | string; expand?: boolean | string };
        paths = Array.isArray(j.paths) ? j.paths : j.paths ? [j.paths] : [];
        exp = j.expand === true || j.expand === "true";
      } else {
        const form = new URLSearchParams(text);
        paths = form.getAll("paths");
        exp = form.get("expand") === "true" || form.get("expand") === "True";
      }
      const dirs = dirsOf(files.keys());
      const out = paths.flatMap((p) => (files.has(p) ? [treeEntry(r, commit, files.get(p)!, exp)] : dirs.has(p) ? [dirEntry(commit, p, exp)] : []));
      return jsonReply(200, out);
    }
    return errorReply(404, undefined, "Not found");
  };

  const handleResolve = (req: IncomingMessage, segs: string[]): Reply => {
    let type: FakeRepoType = "model";
    if (segs[0] === "datasets") {
      type = "dataset";
      segs = segs.slice(1);
    }
    const at = segs.indexOf("resolve");
    if (at < 1 || at > 2) return errorReply(404, undefined, "Not found");
    const { repo, id } = findRepo(type, segs.slice(0, at));
    const denied = guard(repo, id, type, req);
    if (denied) return denied;
    const r = repo!;
    const rev = segs[at + 1] ?? "main";
    const path = segs.slice(at + 2).join("/");
    const commit = resolveRev(r, rev);
    if (commit === undefined) return errorReply(404, "RevisionNotFound", `Invalid rev id: ${rev}`);
    const f = r.commits.get(commit)?.get(path);
    if (!f) return errorReply(404, "EntryNotFound", "Entry not found", { "X-Repo-Commit": commit });
    const common = {
      "X-Repo-Commit": commit,
      "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(path.split("/").pop()!)}; filename="${path.split("/").pop()}";`,
    };
    if (!f.lfs) return bytesReply(f.content, req.headers.range, { ...common, "Content-Type": contentType(path), ETag: `"${f.gitOid}"` });
    const linked = { "X-Linked-Etag": `"${f.sha256}"`, "X-Linked-Size": String(f.size) };
    if (!useCdn) return bytesReply(f.content, req.headers.range, { ...common, ...linked, "Content-Type": contentType(path), ETag: `"${f.sha256}"` });
    const location = `${cdnUrl}/repos/${f.sha256.slice(0, 2)}/${f.sha256.slice(2, 4)}/${f.sha256}?X-Amz-Expires=3600&X-Amz-Signature=${randomBytes(8).toString("hex")}`;
    const text = Buffer.from(`Found. Redirecting to ${location}`);
    return {
      status: 302,
      headers: { ...common, ...linked, Location: location, ETag: `"${f.gitOid}"`, "Content-Type": "text/plain; charset=utf-8" },
      body: text,
    };
  };

  const handleCdn = (req: IncomingMessage, segs: string[]): Reply => {
    const sha = segs[0] === "repos" ? segs[3] : undefined;
    for (const r of repos) {
      for (const files of r.commits.values()) {
        for (const f of files.values()) {
          if (f.lfs && f.sha256 === sha) return bytesReply(f.content, req.headers.range, { "Content-Type": contentType(f.path), ETag: `"${f.sha256}"` });
        }
      }
    }
    return { status: 404, headers: { "Content-Type": "application/xml" }, body: Buffer.from("<Error><Code>NoSuchKey</Code></Error>") };
  };

  const send = (req: IncomingMessage, res: ServerResponse, reply: Reply, fault: Fault | undefined, rec: RecordedRequest) => {
    if (fault?.kind === "status") {
      reply = {
        status: fault.status ?? 500,
        headers: { "Content-Type": "application/json; charset=utf-8", ...(fault.headers as Record<string, string> | undefined) },
        body: Buffer.from(fault.body ?? JSON.stringify({ error: `Injected ${fault.status ?? 500}` })),
      };
    }
    const headers: Record<string, string> = { ...reply.headers };
    if (fault?.kind === "headers") {
      for (const [k, v] of Object.entries(fault.headers ?? {})) {
        for (const existing of Object.keys(headers)) if (existing.toLowerCase() === k.toLowerCase()) delete headers[existing];
        if (v !== null) headers[k] = v;
      }
    }
    let body = reply.body ?? Buffer.alloc(0);
    const isHead = req.method === "HEAD";
    const hasLength = Object.keys(headers).some((k) => k.toLowerCase() === "content-length");
    if (!hasLength) headers["Content-Length"] = String(body.length);
    if (fault?.kind === "truncate") {
      body = body.subarray(0, fault.bytes ?? 0);
      headers["Content-Length"] = String(body.length);
    }
    if (fault?.kind === "corrupt" && body.length > 0) {
      body = Buffer.from(body);
      const i = Math.floor(body.length / 2);
      body[i] = body[i]! ^ 0xff;
    }
    rec.status = reply.status;
    if (fault?.kind === "drop" && fault.bytes === undefined) {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, headers);
    if (isHead) {
      res.end();
      return;
    }
    const cut = Math.min(fault?.bytes ?? 0, body.length);
    if (fault?.kind === "drop") {
      rec.bytes += cut;
      res.write(body.subarray(0, cut), () => req.socket.destroy());
      return;
    }
    if (fault?.kind === "short") {
      rec.bytes += cut;
      res.write(body.subarray(0, cut), () => req.socket.end());
      return;
    }
    if (fault?.kind === "stall") {
      rec.bytes += cut;
      res.write(body.subarray(0, cut));
      if (fault.ms !== undefined) {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) {
            rec.bytes += body.length - cut;
            res.end(body.subarray(cut));
          }
        }, fault.ms);
        timers.add(t);
      }
      return;
    }
    rec.bytes += body.length;
    res.end(body);
  };

  const handler = (server: "hub" | "cdn") => (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = (req.method ?? "GET").toUpperCase();
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const rec: RecordedRequest = { server, method, path: req.url ?? "/", authorization: req.headers.authorization !== undefined, bytes: 0 };
      if (req.headers.range) rec.range = req.headers.range;
      requests.push(rec);
      let fault: Fault | undefined;
      for (const f of faults) {
        if (!matches(f.fault, server, method, url.pathname)) continue;
        f.seen++;
        if (f.seen > (f.fault.skip ?? 0) && f.seen <= (f.fault.skip ?? 0) + (f.fault.times ?? 1)) {
          fault = f.fault;
          break;
        }
      }
      if (fault) rec.fault = fault.kind;
      let reply: Reply;
      try {
        const segs = url.pathname.split("/").slice(1).map(decodeURIComponent);
        if (server === "cdn") reply = handleCdn(req, segs);
        else if (segs[0] === "api") reply = handleApi(req, url, segs.slice(1), Buffer.concat(chunks));
        else reply = handleResolve(req, segs);
      } catch (e) {
        reply = errorReply(500, undefined, `Fake hub error: ${(e as Error).message}`);
      }
      send(req, res, reply, fault, rec);
    });
  };

  const listen = (server: Server) =>
    new Promise<string>((resolve, reject) => {
      server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
      });
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    });
  const hub = createServer(handler("hub"));
  const cdn = createServer(handler("cdn"));
  hubUrl = await listen(hub);
  cdnUrl = await listen(cdn);

  const repoOf = (id: string, type: FakeRepoType = "model") => {
    const r = repos.find((x) => x.id === id && x.type === type);
    if (!r) throw new Error(`hub-server: no ${type} repo ${id}`);
    return r;
  };
  return {
    url: hubUrl,
    cdnUrl,
    requests,
    bytesServed(path?: string) {
      return requests.reduce((n, r) => n + (path === undefined || r.path.includes(path) ? r.bytes : 0), 0);
    },
    setFaults,
    commit(id, o = {}) {
      const r = repoOf(id, o.type);
      const c = resolveRev(r, o.revision ?? "main");
      if (!c) throw new Error(`hub-server: no revision ${o.revision ?? "main"} in ${id}`);
      return c;
    },
    file(id, path, o = {}) {
      const r = repoOf(id, o.type);
      const c = resolveRev(r, o.revision ?? "main");
      const f = c === undefined ? undefined : r.commits.get(c)?.get(path);
      if (!f) throw new Error(`hub-server: no file ${path} in ${id}@${o.revision ?? "main"}`);
      return f;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await Promise.all([hub, cdn].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

/** A Hub that cannot be reached (see {@link startUnreachableHub}). */
export interface UnreachableHub {
  /** Use as endpoint / HF_ENDPOINT. */
  url: string;
  kind: "refused" | "stall";
  /** TCP connections accepted so far ("stall"; always 0 for "refused"). */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * The "unreachable" Hubs, on loopback:
 * - "refused": a port that was bound, then closed — connecting is refused (ECONNREFUSED) at once;
 * - "stall": a server that accepts TCP connections and never answers a byte (a stalled accept:
 *   what a black-holing proxy or a hung Hub looks like) — only a client timeout ends a request.
 */
export async function startUnreachableHub(kind: "refused" | "stall"): Promise<UnreachableHub> {
  const { createServer: createTcpServer } = await import("node:net");
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((s) => {
    connections++;
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
    // Read (and drop) what the client sends; never answer.
    s.resume();
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
  const closeServer = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  if (kind === "refused") await closeServer();
  return {
    url: `http://127.0.0.1:${port}`,
    kind,
    get connections() {
      return connections;
    },
    async close() {
      if (kind === "stall") await closeServer();
    },
  };
}
