// The loopback Hub must look like huggingface.co to a client that knows nothing of it: these tests
// drive it with @huggingface/hub itself (the official JS client, unmodified) and plain fetch.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { datasetInfo, downloadFile, downloadFileToCacheDir, fileDownloadInfo, listFiles, modelInfo, pathsInfo } from "@huggingface/hub";
import { describe, expect, it, vi } from "vitest";
import { useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";
import { pythiaDir, sharedPath } from "../helpers/shared.js";

const PYTHIA = "EleutherAI/pythia-70m";
const LAMINI = "kotzeje/lamini_docs.jsonl";
const TOKEN = "hf_ServerTestToken_0c0d0e0f";

const hub = useHubServer({
  token: TOKEN,
  repos: [{ id: "acme/gated", gated: true, commits: { ["6".repeat(40)]: { "x.txt": "x\n" } }, refs: { main: "6".repeat(40) } }],
});

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const gitSha1 = (b: Buffer) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
const commitOf = (folder: string) => readFileSync(sharedPath("hf-home", "hub", folder, "refs", "main"), "utf8").trim();

describe("loopback Hub server, driven by @huggingface/hub", () => {
  const env = useHubTestEnv();

  it("serves model and dataset info with the commit sha of refs/main", async () => {
    const m = await modelInfo({ name: PYTHIA, hubUrl: hub.url, additionalFields: ["sha", "filePaths"] });
    expect(m.name).toBe(PYTHIA);
    expect(m.sha).toBe(commitOf("models--EleutherAI--pythia-70m"));
    expect(m.filePaths).toEqual(["config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]);
    const d = await datasetInfo({ name: LAMINI, hubUrl: hub.url, additionalFields: ["sha"] });
    expect(d.name).toBe(LAMINI);
    expect(d.sha).toBe(commitOf("datasets--kotzeje--lamini_docs.jsonl"));
  });

  it("lists trees with oid, size and lfs (sha256) as the Hub does", async () => {
    const entries = [];
    for await (const e of listFiles({ repo: { type: "dataset", name: LAMINI }, recursive: true, hubUrl: hub.url })) entries.push(e);
    const parquet = readFileSync(
      sharedPath(
        "hf-home",
        "hub",
        "datasets--kotzeje--lamini_docs.jsonl",
        "snapshots",
        commitOf("datasets--kotzeje--lamini_docs.jsonl"),
        "data",
        "train-00000-of-00001.parquet",
      ),
    );
    expect(entries.map((e) => [e.type, e.path])).toEqual([
      ["directory", "data"],
      ["file", "README.md"],
      ["file", "data/train-00000-of-00001.parquet"],
    ]);
    const pq = entries.find((e) => e.path.endsWith(".parquet"))!;
    expect(pq.size).toBe(parquet.length);
    expect(pq.lfs?.oid).toBe(sha256(parquet));
    expect(pq.lfs?.size).toBe(parquet.length);
    // oid: the git blob id of the LFS pointer git stores.
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(parquet)}\nsize ${parquet.length}\n`;
    expect(pq.oid).toBe(gitSha1(Buffer.from(pointer)));
    expect(pq.lfs?.pointerSize).toBe(pointer.length);
    const readme = entries.find((e) => e.path === "README.md")!;
    expect(readme.lfs).toBeUndefined();
    // Not recursive: the top level only.
    const top = [];
    for await (const e of listFiles({ repo: { type: "dataset", name: LAMINI }, hubUrl: hub.url })) top.push(e.path);
    expect(top).toEqual(["data", "README.md"]);
  });

  it("answers paths-info, with lastCommit when expanded", async () => {
    const info = await pathsInfo({ repo: { type: "model", name: PYTHIA }, paths: ["tokenizer.json", "config.json", "missing"], expand: true, hubUrl: hub.url });
    expect(info.map((i) => i.path)).toEqual(["tokenizer.json", "config.json"]);
    const tok = readFileSync(join(pythiaDir(), "tokenizer.json"));
    expect(info[0]!.lfs?.oid).toBe(sha256(tok));
    expect(info[0]!.lastCommit.id).toBe(commitOf("models--EleutherAI--pythia-70m"));
    expect(info[1]!.oid).toBe(gitSha1(readFileSync(join(pythiaDir(), "config.json"))));
  });

  it("resolves files: regular ones with their git sha1 ETag, LFS ones through the CDN with X-Linked-*", async () => {
    const cfg = await fileDownloadInfo({ repo: PYTHIA, path: "config.json", hubUrl: hub.url });
    expect(cfg?.etag).toBe(`"${gitSha1(readFileSync(join(pythiaDir(), "config.json")))}"`);
    const tok = readFileSync(join(pythiaDir(), "tokenizer.json"));
    const head = await fetch(`${hub.url}/${PYTHIA}/resolve/main/tokenizer.json`, { method: "HEAD", redirect: "manual" });
    expect(head.status).toBe(302);
    expect(head.headers.get("X-Linked-Etag")).toBe(`"${sha256(tok)}"`);
    expect(head.headers.get("X-Linked-Size")).toBe(String(tok.length));
    expect(head.headers.get("X-Repo-Commit")).toBe(commitOf("models--EleutherAI--pythia-70m"));
    expect(head.headers.get("ETag")).not.toBe(`"${sha256(tok)}"`);
    expect(new URL(head.headers.get("Location")!).origin).toBe(hub.cdnUrl);
    const blob = await downloadFile({ repo: PYTHIA, path: "tokenizer.json", hubUrl: hub.url });
    expect(Buffer.from(await blob!.arrayBuffer()).equals(tok)).toBe(true);
    // The official client's own cache download works against it too (it logs with console.debug).
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const p = await downloadFileToCacheDir({ repo: { type: "dataset", name: LAMINI }, path: "README.md", hubUrl: hub.url, cacheDir: env.cacheDir });
    debug.mockRestore();
    expect(readFileSync(p, "utf8")).toBe(
      readFileSync(
        sharedPath("hf-home", "hub", "datasets--kotzeje--lamini_docs.jsonl", "snapshots", commitOf("datasets--kotzeje--lamini_docs.jsonl"), "README.md"),
        "utf8",
      ),
    );
  });

  it("serves byte ranges (206 / 416)", async () => {
    const cfg = readFileSync(join(pythiaDir(), "config.json"));
    const r = await fetch(`${hub.url}/${PYTHIA}/resolve/main/config.json`, { headers: { Range: "bytes=10-19" } });
    expect(r.status).toBe(206);
    expect(r.headers.get("Content-Range")).toBe(`bytes 10-19/${cfg.length}`);
    expect(Buffer.from(await r.arrayBuffer()).equals(cfg.subarray(10, 20))).toBe(true);
    const tail = await fetch(`${hub.url}/${PYTHIA}/resolve/main/config.json`, { headers: { Range: "bytes=-5" } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(cfg.subarray(cfg.length - 5))).toBe(true);
    const bad = await fetch(`${hub.url}/${PYTHIA}/resolve/main/config.json`, { headers: { Range: `bytes=${cfg.length + 10}-` } });
    expect(bad.status).toBe(416);
  });

  it("answers errors with the Hub's status and X-Error-Code", async () => {
    const codes = async (path: string, init: RequestInit = {}) => {
      const r = await fetch(`${hub.url}${path}`, { method: "HEAD", redirect: "manual", ...init });
      return [r.status, r.headers.get("X-Error-Code")];
    };
    expect(await codes("/nobody/nothing/resolve/main/x")).toEqual([404, "RepoNotFound"]);
    expect(await codes(`/${PYTHIA}/resolve/main/nope.json`)).toEqual([404, "EntryNotFound"]);
    expect(await codes(`/${PYTHIA}/resolve/nope-branch/config.json`)).toEqual([404, "RevisionNotFound"]);
    expect(await codes(`/datasets/${LAMINI}/resolve/main/README.md`)).toEqual([200, null]);
    expect(await codes(`/${LAMINI}/resolve/main/README.md`)).toEqual([404, "RepoNotFound"]); // a dataset is not a model
    expect(await codes("/acme/gated/resolve/main/x.txt")).toEqual([401, "GatedRepo"]);
    expect(await codes("/acme/gated/resolve/main/x.txt", { headers: { Authorization: "Bearer hf_wrong" } })).toEqual([401, "GatedRepo"]);
    expect(await codes("/acme/gated/resolve/main/x.txt", { headers: { Authorization: `Bearer ${TOKEN}` } })).toEqual([200, null]);
    const missing = await fetch(`${hub.url}/${PYTHIA}/resolve/main/nope.json`, { method: "HEAD" });
    expect(missing.headers.get("X-Repo-Commit")).toBe(commitOf("models--EleutherAI--pythia-70m"));
  });

  it("records requests without ever keeping a token", async () => {
    const start = hub.requests.length;
    await fetch(`${hub.url}/acme/gated/resolve/main/x.txt`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const rec = hub.requests.slice(start);
    expect(rec).toEqual([{ server: "hub", method: "GET", path: "/acme/gated/resolve/main/x.txt", authorization: true, status: 200, bytes: 2 }]);
    expect(JSON.stringify(hub.requests)).not.toContain(TOKEN);
  });

  it("answers range requests (Accept-Ranges, 206, 416) and counts the body bytes it serves", async () => {
    const path = `/${PYTHIA}/resolve/main/config.json`;
    const servedBefore = hub.bytesServed(path);
    const whole = Buffer.from(await (await fetch(`${hub.url}${path}`)).arrayBuffer());
    const start = hub.requests.length;
    const part = await fetch(`${hub.url}${path}`, { headers: { Range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("Accept-Ranges")).toBe("bytes");
    expect(part.headers.get("Content-Range")).toBe(`bytes 10-19/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(whole.subarray(10, 20));
    const beyond = await fetch(`${hub.url}${path}`, { headers: { Range: `bytes=${whole.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("Content-Range")).toBe(`bytes */${whole.length}`);
    await beyond.arrayBuffer();
    await fetch(`${hub.url}${path}`, { method: "HEAD" });
    expect(hub.requests.slice(start).map((r) => [r.status, r.bytes])).toEqual([
      [206, 10],
      [416, 0],
      [200, 0],
    ]);
    expect(hub.bytesServed(path) - servedBefore).toBe(whole.length + 10);
  });

  it("applies faults by path, method, skip and times", async () => {
    hub.setFaults([{ kind: "status", path: "config.json", method: "GET", status: 503, skip: 1, times: 2 }]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${hub.url}/${PYTHIA}/resolve/main/config.json`)).status);
    hub.setFaults([]);
    expect(statuses).toEqual([200, 503, 503, 200]);
  });
});
