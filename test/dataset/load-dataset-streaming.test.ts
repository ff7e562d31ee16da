// loadDataset(…, { streaming: true }) through the loopback Hub: Parquet read by range requests (the
// footer, then only the row groups needed: the bytes the server sends are counted), JSON Lines and
// CSV as byte streams, dropped connections resumed, gated repos the usual typed error, token
// confinement, nothing written to the cache; offline and local files stream the same way.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it, vi } from "vitest";
import { GatedRepoError, HubHttpError, IterableDataset, loadDataset, NotCachedError } from "../../src/index.js";
import { rejection } from "../helpers/failures.js";
import { fast, tree, useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";
import { hfHome, laminiRows } from "../helpers/shared.js";

const COMMIT = "c".repeat(40);
const GATED_COMMIT = "d".repeat(40);
const TOKEN = "hf_streaming_test_token";
const ROW_GROUPS = 100;
const ROWS_PER_GROUP = 100;
const N = ROW_GROUPS * ROWS_PER_GROUP;

/** Text that snappy cannot shrink much (a fixed pseudo-random sequence), so the file is mostly data. */
function text(i: number): string {
  let x = (i + 1) * 2654435761;
  let s = "";
  for (let k = 0; k < 240; k++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += String.fromCharCode(97 + (x % 26));
  }
  return `row ${i}: ${s}`;
}
const rows = Array.from({ length: N }, (_, i) => ({ id: i, text: text(i) }));
const parquet = new Uint8Array(
  parquetWriteBuffer({
    columnData: [
      { name: "id", data: Int32Array.from(rows, (r) => r.id), type: "INT32" },
      { name: "text", data: rows.map((r) => r.text), type: "STRING" },
    ],
    rowGroupSize: ROWS_PER_GROUP,
  }),
);
const jsonlRows = rows.slice(0, 3000).map((r) => ({ question: `q${r.id}`, answer: r.text }));
const jsonl = `${jsonlRows.map((r) => JSON.stringify(r)).join("\n")}\n`;

const hub = useHubServer({
  token: TOKEN,
  repos: [
    {
      id: "org/many-row-groups",
      type: "dataset",
      refs: { main: COMMIT },
      commits: { [COMMIT]: { "data/train-00000-of-00001.parquet": parquet } },
    },
    { id: "org/jsonl", type: "dataset", refs: { main: COMMIT }, commits: { [COMMIT]: { "train.jsonl": jsonl } } },
    {
      id: "org/configs",
      type: "dataset",
      refs: { main: COMMIT },
      commits: {
        [COMMIT]: {
          "README.md": "---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: raw/*.csv\n---\n",
          "raw/a.csv": "q,n\nx,1\ny,2\n",
          "raw/b.csv": "q,n\nz,3.5\n",
          "train.jsonl": '{"q": "not in the config"}\n',
        },
      },
    },
    { id: "org/gated", type: "dataset", gated: true, refs: { main: GATED_COMMIT }, commits: { [GATED_COMMIT]: { "train.jsonl": jsonl } } },
  ],
});

describe("streaming from the Hub", () => {
  const env = useHubTestEnv();
  const opts = () => fast(hub.url, env.cacheDir);

  it("take(100) of a Parquet file of 100 row groups reads the footer and one row group: under 10% of its bytes", async () => {
    const ds = await loadDataset("org/many-row-groups", { ...opts(), streaming: true, split: "train" });
    expect(ds).toBeInstanceOf(IterableDataset);
    const before = hub.requests.length;
    const got = await ds.take(100).toList();
    expect(got).toEqual(rows.slice(0, 100));
    const file = hub.file("org/many-row-groups", "data/train-00000-of-00001.parquet", { type: "dataset" });
    const reads = hub.requests.slice(before).filter((r) => r.server === "cdn" && r.method === "GET");
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) {
      expect(r.range).toMatch(/^bytes=\d+-\d+$/);
      expect(r.status).toBe(206);
      // The token never leaves the Hub's origin.
      expect(r.authorization).toBe(false);
    }
    const served = reads.reduce((n, r) => n + r.bytes, 0);
    expect(served).toBeGreaterThan(0);
    expect(served / file.size).toBeLessThan(0.1);
    // Nothing is written to the cache in streaming mode.
    expect(tree(env.cacheDir)).toEqual([]);
  });

  it("streams every row of the split, reading the file about once", async () => {
    const ds = await loadDataset("org/many-row-groups", { ...opts(), streaming: true, split: "train" });
    const before = hub.requests.length;
    let n = 0;
    for await (const row of ds) expect(row).toEqual(rows[n++]);
    expect(n).toBe(N);
    const size = hub.file("org/many-row-groups", "data/train-00000-of-00001.parquet", { type: "dataset" }).size;
    const served = hub.requests.slice(before).reduce((s, r) => s + r.bytes, 0);
    expect(served).toBeGreaterThanOrEqual(size * 0.9);
    expect(served).toBeLessThan(size * 1.2);
  });

  it("columns: reads only the column chunks asked for", async () => {
    const ds = await loadDataset("org/many-row-groups", { ...opts(), streaming: true, split: "train", columns: ["id"] });
    const before = hub.requests.length;
    expect(await ds.toList()).toEqual(rows.map((r) => ({ id: r.id })));
    const size = hub.file("org/many-row-groups", "data/train-00000-of-00001.parquet", { type: "dataset" }).size;
    expect(hub.requests.slice(before).reduce((s, r) => s + r.bytes, 0) / size).toBeLessThan(0.1);
  });

  it("a connection dropped mid-body is resumed from the next byte (JSON Lines and Parquet)", async () => {
    const dropAt = 50_000;
    // The first GET is the JSON reader's peek at the first line (JSON Lines or one document?).
    hub.setFaults([{ kind: "drop", path: "org/jsonl/resolve/main/train.jsonl", method: "GET", skip: 1, bytes: dropAt }]);
    try {
      const ds = await loadDataset("org/jsonl", { ...opts(), streaming: true, split: "train" });
      const before = hub.requests.length;
      expect(await ds.toList()).toEqual(jsonlRows);
      const gets = hub.requests.slice(before).filter((r) => r.method === "GET" && r.path.endsWith("org/jsonl/resolve/main/train.jsonl"));
      expect(gets.map((g) => g.fault)).toEqual([undefined, "drop", undefined]);
      expect(gets[2]!.range).toBe(`bytes=${dropAt}-${Buffer.byteLength(jsonl) - 1}`);
      expect(gets[2]!.status).toBe(206);
    } finally {
      hub.setFaults([]);
    }
    // Parquet: the footer and the id column chunk pass; the text column chunk of row group 0 is cut after 1000 bytes.
    hub.setFaults([{ kind: "drop", server: "cdn", path: "/repos/", method: "GET", skip: 2, bytes: 1000 }]);
    try {
      const ds = await loadDataset("org/many-row-groups", { ...opts(), streaming: true, split: "train" });
      const before = hub.requests.length;
      expect(await ds.take(150).toList()).toEqual(rows.slice(0, 150));
      const after = hub.requests.slice(before);
      const cut = after.find((r) => r.fault === "drop")!;
      expect(cut.server).toBe("cdn");
      const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(cut.range!)!;
      expect(after.some((r) => r.server === "cdn" && r.range === `bytes=${Number(start) + 1000}-${end}` && r.status === 206)).toBe(true);
    } finally {
      hub.setFaults([]);
    }
  });

  it("a body that stalls is abandoned after timeoutMs and resumed from the next byte", async () => {
    hub.setFaults([{ kind: "stall", path: "org/jsonl/resolve/main/train.jsonl", method: "GET", skip: 1, bytes: 20_000 }]);
    try {
      const ds = await loadDataset("org/jsonl", { ...opts(), timeoutMs: 300, streaming: true, split: "train" });
      const before = hub.requests.length;
      expect(await ds.toList()).toEqual(jsonlRows);
      const gets = hub.requests.slice(before).filter((r) => r.method === "GET" && r.path.endsWith("org/jsonl/resolve/main/train.jsonl"));
      expect(gets.map((g) => g.fault)).toEqual([undefined, "stall", undefined]);
      expect(gets[2]!.range).toBe(`bytes=20000-${Buffer.byteLength(jsonl) - 1}`);
    } finally {
      hub.setFaults([]);
    }
  });

  it("a server error is retried; a range the server refuses (416) is a typed error, not retried", async () => {
    hub.setFaults([{ kind: "status", path: "org/jsonl/resolve/main/train.jsonl", method: "GET", status: 503 }]);
    try {
      const ds = await loadDataset("org/jsonl", { ...opts(), streaming: true, split: "train" });
      expect((await ds.take(2).toList()).length).toBe(2);
    } finally {
      hub.setFaults([]);
    }
    hub.setFaults([{ kind: "status", path: "org/jsonl/resolve/main/train.jsonl", method: "GET", status: 416, times: Infinity }]);
    try {
      const ds = await loadDataset("org/jsonl", { ...opts(), streaming: true, split: "train" });
      const before = hub.requests.length;
      const e = await rejection(ds.toList());
      expect(e).toBeInstanceOf(HubHttpError);
      expect((e as HubHttpError).status).toBe(416);
      expect(hub.requests.slice(before).filter((r) => r.method === "GET").length).toBe(1);
    } finally {
      hub.setFaults([]);
    }
  });

  it("a gated repo without a token is a GatedRepoError; with HF_TOKEN it streams, the token only sent to the Hub", async () => {
    const e = await rejection(loadDataset("org/gated", { ...opts(), streaming: true, split: "train" }).then((ds) => ds.take(1).toList()));
    expect(e).toBeInstanceOf(GatedRepoError);
    expect(e.message).toContain("org/gated");
    expect(e.message).not.toContain(TOKEN);

    // The token and the endpoint from the environment, as for downloads.
    vi.stubEnv("HF_TOKEN", TOKEN);
    vi.stubEnv("HF_ENDPOINT", hub.url);
    const before = hub.requests.length;
    const { endpoint: _endpoint, ...noEndpoint } = opts();
    const ds = await loadDataset("org/gated", { ...noEndpoint, streaming: true, split: "train" });
    expect(await ds.take(3).toList()).toEqual(jsonlRows.slice(0, 3));
    expect(
      hub.requests
        .slice(before)
        .filter((r) => r.server === "hub")
        .every((r) => r.authorization),
    ).toBe(true);
    expect(hub.requests.filter((r) => r.server === "cdn" && r.authorization)).toEqual([]);
  });

  it("follows the README's configs; CSV columns typed per chunk as pandas; the README is not cached either", async () => {
    const dd = await loadDataset("org/configs", { ...opts(), streaming: true });
    expect(Object.keys(dd)).toEqual(["train"]);
    expect(await dd.train!.toList()).toEqual([
      { q: "x", n: 1 },
      { q: "y", n: 2 },
      { q: "z", n: 3.5 },
    ]);
    expect(String(dd.train)).toBe("IterableDataset({\n    features: Unknown,\n    num_shards: 2\n})");
    expect(hub.requests.some((r) => r.path.includes("org/configs") && r.path.endsWith("/train.jsonl"))).toBe(false);
    expect(tree(env.cacheDir)).toEqual([]);
  });

  it("revision: a file read at the commit the revision names", async () => {
    const ds = await loadDataset("org/jsonl", { ...opts(), streaming: true, split: "train", revision: COMMIT });
    expect(await ds.take(1).toList()).toEqual(jsonlRows.slice(0, 1));
    expect(hub.requests.some((r) => r.path.includes(`/resolve/${COMMIT}/train.jsonl`))).toBe(true);
  });
});

describe("streaming offline and from local files", () => {
  const env = useHubTestEnv();

  it("offline, a cached dataset streams from the cache (lamini_docs); an uncached one is NotCachedError", async () => {
    const ds = await loadDataset("kotzeje/lamini_docs.jsonl", {
      cacheDir: join(hfHome(), "hub"),
      offline: true,
      streaming: true,
      split: "train",
      progress: false,
    });
    expect(await ds.take(5).toList()).toEqual(laminiRows().slice(0, 5));
    expect(await ds.skip(1398).toList()).toEqual(laminiRows().slice(1398));
    expect(await rejection(loadDataset("org/many-row-groups", { cacheDir: env.cacheDir, offline: true, streaming: true, split: "train" }))).toBeInstanceOf(
      NotCachedError,
    );
  });

  it("local JSON Lines, CSV and Parquet files stream the same way", async () => {
    writeFileSync(join(env.dir, "qa.jsonl"), jsonl);
    writeFileSync(join(env.dir, "rows.parquet"), parquet);
    writeFileSync(join(env.dir, "t.csv"), "a,b\n1,x\n2,\n");
    expect(await (await loadDataset(join(env.dir, "qa.jsonl"), { streaming: true, split: "train" })).take(3).toList()).toEqual(jsonlRows.slice(0, 3));
    expect(await (await loadDataset(join(env.dir, "rows.parquet"), { streaming: true, split: "train" })).skip(N - 2).toList()).toEqual(rows.slice(N - 2));
    expect(await (await loadDataset(join(env.dir, "t.csv"), { streaming: true, split: "train" })).toList()).toEqual([
      { a: 1, b: "x" },
      { a: 2, b: null },
    ]);
  });
});
