import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { GatedRepoError, NotCachedError, TokenizerFileError } from "../../src/errors.js";
import { loadTokenizer } from "../../src/tokenizer/index.js";
import { rejection } from "../helpers/failures.js";
import { useHubTestEnv } from "../helpers/hub-test-env.js";
import { hfHome, pythiaDir } from "../helpers/shared.js";
import { tempDirPerTest } from "../helpers/temp-dir.js";

// Every test starts from a neutral environment (no cache, online unless a test says otherwise), with
// an empty folder of its own to lay tokenizer files in.
useHubTestEnv();
const tmp = tempDirPerTest("ftp-tokenizer-");

describe("loadTokenizer from the Hugging Face cache", () => {
  it("finds Pythia offline through HF_HOME + HF_HUB_OFFLINE=1", async () => {
    vi.stubEnv("HF_HOME", hfHome());
    vi.stubEnv("HF_HUB_OFFLINE", "1");
    const tok = await loadTokenizer("EleutherAI/pythia-70m");
    expect(tok.nameOrPath).toBe("EleutherAI/pythia-70m");
    expect(tok.encode("Hi, how are you?")).toEqual([12764, 13, 849, 403, 368, 32]);
    expect(tok.eosToken).toBe("<|endoftext|>");
    expect(tok.vocabSize).toBe(50254);
  });

  it("finds it through options too (cacheDir + offline), whatever the environment says", async () => {
    const tok = await loadTokenizer("EleutherAI/pythia-70m", { cacheDir: join(hfHome(), "hub"), offline: true });
    expect(tok.encode("Yes")).toEqual([4374]);
    expect(tok.modelMaxLength).toBe(1e30);
  });

  it("a model that is not cached: the message names the id, the cache path and the fixes", async () => {
    vi.stubEnv("HF_HOME", hfHome());
    vi.stubEnv("HF_HUB_OFFLINE", "1");
    const e = await rejection(loadTokenizer("EleutherAI/pythia-7b"));
    expect(e).toBeInstanceOf(NotCachedError);
    expect(e.message).toContain('"EleutherAI/pythia-7b"');
    expect(e.message).toContain(join(hfHome(), "hub"));
    expect(e.message).toContain(join(hfHome(), "hub", "models--EleutherAI--pythia-7b"));
    expect(e.message).toMatch(/HF_HOME/);
    expect(e.message).toMatch(/HF_HUB_OFFLINE/);
    expect(e.message).toMatch(/local folder/);
    expect((e as NotCachedError).repoId).toBe("EleutherAI/pythia-7b");
  });
});

describe("loadTokenizer from a folder", () => {
  it("loads the snapshot folder directly", async () => {
    const tok = await loadTokenizer(pythiaDir());
    expect(tok.nameOrPath).toBe(pythiaDir());
    expect(tok.encode("I'm good")).toEqual([42, 1353, 1175]);
    expect(tok.padToken).toBeNull();
  });

  it("an existing folder wins over a Hub id spelled the same", async () => {
    const folder = join(tmp.dir, "EleutherAI", "pythia-70m");
    mkdirSync(folder, { recursive: true });
    symlinkSync(join(pythiaDir(), "tokenizer.json"), join(folder, "tokenizer.json"));
    writeFileSync(join(folder, "tokenizer_config.json"), JSON.stringify({ padding_side: "left", eos_token: "<|endoftext|>" }));
    const cwd = process.cwd();
    process.chdir(tmp.dir);
    try {
      const tok = await loadTokenizer("EleutherAI/pythia-70m", { cacheDir: join(hfHome(), "hub"), offline: true });
      expect(tok.paddingSide).toBe("left");
    } finally {
      process.chdir(cwd);
    }
  });

  it("tokenizer.json alone is enough; nothing is invented for the missing config", async () => {
    symlinkSync(join(pythiaDir(), "tokenizer.json"), join(tmp.dir, "tokenizer.json"));
    const tok = await loadTokenizer(tmp.dir);
    expect(tok.encode("Hi, how are you?")).toEqual([12764, 13, 849, 403, 368, 32]);
    expect([tok.eosToken, tok.bosToken, tok.unkToken, tok.padToken]).toEqual([null, null, null, null]);
    expect(tok.modelMaxLength).toBe(1e30);
    expect(tok.decode([12764, 13])).toBe("Hi,");
  });

  it("options override the files: padToken, paddingSide, truncationSide", async () => {
    const tok = await loadTokenizer(pythiaDir(), { padToken: "<|padding|>", paddingSide: "left", truncationSide: "left" });
    expect([tok.padToken, tok.padTokenId, tok.paddingSide, tok.truncationSide]).toEqual(["<|padding|>", 1, "left", "left"]);
    expect(tok.batchEncode(["Hi, how are you?", "Yes"], { padding: true, maxLength: 3, truncation: true }).inputIds).toEqual([
      [403, 368, 32],
      [1, 1, 4374],
    ]);
  });

  it("a folder without tokenizer.json: names the folder and what it holds", async () => {
    writeFileSync(join(tmp.dir, "config.json"), "{}");
    writeFileSync(join(tmp.dir, "vocab.json"), "{}");
    const e = await rejection(loadTokenizer(tmp.dir));
    expect(e).toBeInstanceOf(TokenizerFileError);
    expect(e.message).toContain(`No tokenizer.json in the folder ${tmp.dir}`);
    expect(e.message).toContain("It holds: config.json, vocab.json.");
    expect((e as TokenizerFileError).file).toBe(tmp.dir);
    mkdirSync(join(tmp.dir, "empty"));
    expect((await rejection(loadTokenizer(join(tmp.dir, "empty")))).message).toMatch(/It is empty/);
  });

  it("unreadable JSON names the file and line", async () => {
    writeFileSync(join(tmp.dir, "tokenizer.json"), '{\n  "version": "1.0",\n  "model": {\n    "type": "BPE",,\n  }\n}\n');
    const e = await rejection(loadTokenizer(tmp.dir));
    expect(e).toBeInstanceOf(TokenizerFileError);
    expect(e.message).toContain(`${join(tmp.dir, "tokenizer.json")}:4 is not valid JSON`);
    expect((e as TokenizerFileError).line).toBe(4);

    rmSync(join(tmp.dir, "tokenizer.json"));
    symlinkSync(join(pythiaDir(), "tokenizer.json"), join(tmp.dir, "tokenizer.json"));
    writeFileSync(join(tmp.dir, "tokenizer_config.json"), '{"eos_token": "<|endoftext|>"');
    const e2 = await rejection(loadTokenizer(tmp.dir));
    expect(e2.message).toContain(join(tmp.dir, "tokenizer_config.json"));
    expect(e2.message).toMatch(/not valid JSON/);

    writeFileSync(join(tmp.dir, "tokenizer_config.json"), "[1, 2]");
    expect((await rejection(loadTokenizer(tmp.dir))).message).toMatch(/not a JSON object/);
    writeFileSync(join(tmp.dir, "tokenizer_config.json"), JSON.stringify({ eos_token: 7 }));
    expect((await rejection(loadTokenizer(tmp.dir))).message).toMatch(/eos_token in .*tokenizer_config\.json is 7/);
  });

  it("a tokenizer.json that is not a tokenizer", async () => {
    writeFileSync(join(tmp.dir, "tokenizer.json"), JSON.stringify({ version: "1.0" }));
    const e = await rejection(loadTokenizer(tmp.dir));
    expect(e).toBeInstanceOf(TokenizerFileError);
    expect(e.message).toMatch(/could not be used as a tokenizer/);
  });

  it("neither a folder nor a Hub id; a file instead of a folder", async () => {
    const e = await rejection(loadTokenizer("./models/no/such/folder"));
    expect(e).toBeInstanceOf(TokenizerFileError);
    expect(e.message).toContain(resolve("./models/no/such/folder"));
    const e2 = await rejection(loadTokenizer(join(pythiaDir(), "tokenizer.json")));
    expect(e2.message).toMatch(/is a file: pass the folder/);
  });
});

/** A stand-in for the Hub: serves `files` of one repo the way huggingface.co answers. */
function fakeHub(repoId: string, files: Record<string, string>, gated: string[] = []): typeof fetch {
  const commit = "0123456789abcdef0123456789abcdef01234567";
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const prefix = `/${repoId}/resolve/main/`;
    const path = decodeURIComponent(url.pathname.slice(prefix.length));
    if (!url.pathname.startsWith(prefix)) return new Response("Repository not found", { status: 404, headers: { "X-Error-Code": "RepoNotFound" } });
    if (gated.includes(path)) return new Response("gated", { status: 403, headers: { "X-Error-Code": "GatedRepo", "X-Repo-Commit": commit } });
    const body = files[path];
    if (body === undefined) return new Response("Entry not found", { status: 404, headers: { "X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit } });
    const bytes = Buffer.from(body);
    const etag = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
    const headers = { "X-Repo-Commit": commit, ETag: `"${etag}"`, "Content-Length": String(bytes.length) };
    return new Response((init?.method ?? "GET") === "HEAD" ? null : bytes, { status: 200, headers });
  }) as typeof fetch;
}

describe("loadTokenizer from the Hub (a fake one: no network here)", () => {
  const tokenizerJson = () => readFileSync(join(pythiaDir(), "tokenizer.json"), "utf8");

  it("downloads into the cache; missing optional files are fine, online and then offline", async () => {
    const cacheDir = join(tmp.dir, "hub");
    const fetch = fakeHub("acme/tiny", {
      "tokenizer.json": tokenizerJson(),
      "special_tokens_map.json": JSON.stringify({ eos_token: "<|endoftext|>", pad_token: "<|padding|>" }),
    });
    const tok = await loadTokenizer("acme/tiny", { cacheDir, fetch, endpoint: "https://hub.test" });
    expect(tok.encode("Hi, how are you?")).toEqual([12764, 13, 849, 403, 368, 32]);
    expect([tok.eosToken, tok.padToken, tok.padTokenId]).toEqual(["<|endoftext|>", "<|padding|>", 1]);
    // The cache now answers offline, including "tokenizer_config.json does not exist".
    const again = await loadTokenizer("acme/tiny", { cacheDir, offline: true });
    expect(again.padToken).toBe("<|padding|>");
  });

  it("an error other than 'not found' on an optional file is not swallowed", async () => {
    const fetch = fakeHub("acme/tiny", { "tokenizer.json": tokenizerJson() }, ["special_tokens_map.json"]);
    const e = await rejection(loadTokenizer("acme/tiny", { cacheDir: join(tmp.dir, "hub"), fetch, endpoint: "https://hub.test" }));
    expect(e).toBeInstanceOf(GatedRepoError);
  });

  it("a repo without tokenizer.json", async () => {
    const fetch = fakeHub("acme/tiny", { "config.json": "{}" });
    const e = await rejection(loadTokenizer("acme/tiny", { cacheDir: join(tmp.dir, "hub"), fetch, endpoint: "https://hub.test" }));
    expect(e).toBeInstanceOf(TokenizerFileError);
    expect(e.message).toMatch(/acme\/tiny has no tokenizer\.json/);
  });
});
