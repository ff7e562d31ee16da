// Security: HF_TOKEN goes to the Hub only and is never written (CLI output, error messages, stack
// traces, stats.json, output files, the cache); prompt templates are text, never code; chat templates
// run in @huggingface/jinja's sandbox. (Path confinement of Hub listings: test/hub/security.test.ts.)
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { Dataset } from "../../src/dataset/index.js";
import { IntegrityError, TemplateError } from "../../src/errors.js";
import { writeStatsJson } from "../../src/io/index.js";
import { formatPrompt, parseTemplate, prepareInstructionDataset } from "../../src/prep/index.js";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { runBuiltCliAsync } from "../helpers/built-cli.js";
import { rejection, thrown } from "../helpers/failures.js";
import { useHubServer } from "../helpers/hub-test-env.js";
import { hfHome, pythiaDir, repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("ftp-security-");
const TOKEN = "hf_ReliabilitySecret_9f8e7d6c5b4a";
const DATASET = "acme/private-qa";
const COMMIT = "7".repeat(40);
const qa = readFileSync(join(repoRoot, "test", "fixtures", "reliability", "qa.jsonl"), "utf8");

/** Every file under `dir` (following no links), with its path. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = lstatSync(full);
    if (st.isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

/** `finetune-prep prepare`, run asynchronously: the loopback Hub answers from this process's event loop. */
const cli = (args: string[], env: Record<string, string>) =>
  runBuiltCliAsync(["prepare", ...args], { cwd: tmp.dir, env: { HF_HUB_OFFLINE: "", HF_HUB_CACHE: "", HF_TOKEN: "", ...env } });

describe("HF_TOKEN goes to the Hub only and is never written", () => {
  const hub = useHubServer({
    token: TOKEN,
    gated: ["EleutherAI/pythia-70m"],
    repos: [{ id: DATASET, type: "dataset", private: true, commits: { [COMMIT]: { "qa.jsonl": qa } }, refs: { main: COMMIT } }],
  });

  it("a CLI run on a private dataset and a gated model: the token opens them, and appears in no output, file or cache entry", async () => {
    const home = tmp.path("hf-home");
    const out = tmp.path("out");
    const start = hub.requests.length;
    const r = await cli(["--dataset", DATASET, "--tokenizer", "EleutherAI/pythia-70m", "--out", out, "--test-size", "2", "--no-progress"], {
      HF_HOME: home,
      HF_ENDPOINT: hub.url,
      HF_TOKEN: TOKEN,
    });
    expect(r.code, r.stderr).toBe(0);
    // The repos are private and gated: the run worked, so the token was sent — to the Hub only.
    const reqs = hub.requests.slice(start);
    expect(reqs.filter((q) => q.server === "hub").length).toBeGreaterThan(0);
    expect(reqs.filter((q) => q.server === "hub").every((q) => q.authorization)).toBe(true);
    expect(reqs.filter((q) => q.server === "cdn").length).toBeGreaterThan(0);
    expect(reqs.filter((q) => q.server === "cdn").some((q) => q.authorization)).toBe(false);

    const secret = TOKEN.slice(3); // also catches the token without its prefix
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
    const written = [...filesUnder(out), ...filesUnder(home).filter((f) => !f.includes(`${join("blobs", "")}`))];
    expect(written.some((f) => f.endsWith("stats.json"))).toBe(true);
    expect(written.some((f) => f.includes("refs"))).toBe(true);
    for (const f of written) expect(readFileSync(f).includes(secret), f).toBe(false);
    // Blobs are the repos' files, byte for byte: the token cannot be in them either.
    for (const f of filesUnder(home)) expect(readFileSync(f).includes(secret), f).toBe(false);
  });

  it("an error from a Hub that echoes the token back: the CLI prints it masked, with --debug's stack too", async () => {
    hub.setFaults([
      {
        kind: "status",
        path: "/resolve/",
        status: 403,
        body: JSON.stringify({ error: `token ${TOKEN} is not allowed` }),
        headers: { "X-Error-Message": `Bearer ${TOKEN}` },
        times: Infinity,
      },
    ]);
    try {
      for (const debug of [[], ["--debug"]]) {
        const r = await cli(["--dataset", DATASET, "--tokenizer", "EleutherAI/pythia-70m", "--out", tmp.path("out-403"), "--no-progress", ...debug], {
          HF_HOME: tmp.path("hf-home-403"),
          HF_ENDPOINT: hub.url,
          HF_TOKEN: TOKEN,
        });
        expect(r.code).toBe(1);
        expect(r.stderr, r.stderr).toMatch(/^error: Forbidden: .*\(403 at /m);
        expect(r.stderr).toContain("hf_***");
        expect(r.stderr).not.toContain(TOKEN.slice(3));
        expect(r.stdout).not.toContain(TOKEN.slice(3));
        if (debug.length) expect(r.stderr).toMatch(/^\s+at /m);
      }
    } finally {
      hub.setFaults([]);
    }
  });

  it("stats.json is refused if it would hold the token (the last guard)", () => {
    vi.stubEnv("HF_TOKEN", TOKEN);
    try {
      const out = tmp.path("stats-guard");
      const e = thrown(() => writeStatsJson(out, { dataset: { id: `./data/${TOKEN}.jsonl` } }));
      expect(e).toBeInstanceOf(IntegrityError);
      expect(e.message).not.toContain(TOKEN);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("prompt templates are text, never code", () => {
  const row = { question: "What is a token?", answer: " A piece of text." };

  it("expressions in placeholders are refused (TemplateError), never evaluated", () => {
    const g = globalThis as Record<string, unknown>;
    for (const template of [
      "{constructor.constructor('globalThis.__ftpPwned = 1')()}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal "${...}" is the input under test
      "${process.exit(3)} {question}",
      "{question.constructor}",
      "{__proto__}",
      "{constructor}",
      "{toString}",
      "{question!r}",
      "{question:>{answer}}",
      "{0}",
      "{}",
      "{question[0]}",
      "{1+1}",
    ]) {
      const e = thrown(() => formatPrompt(template, row));
      expect(e, template).toBeInstanceOf(TemplateError);
    }
    expect(g.__ftpPwned).toBeUndefined();
  });

  it("escaped braces and code-like text are printed literally; values are never re-read as templates", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal "${...}" is the input under test
    expect(formatPrompt("{{constructor}} `rm -rf /` $(id) ${{1+1}} {question}", row)).toBe("{constructor} `rm -rf /` $(id) ${1+1} What is a token?");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal "${...}" is the input under test
    const tricky = { question: "{answer} ${process.exit(1)} {{x}} {constructor.constructor('x')()}", answer: "!" };
    expect(formatPrompt("Q: {question}", tricky)).toBe(`Q: ${tricky.question}`);
    expect(parseTemplate("{{a}}").placeholders).toEqual([]);
  });

  it("through the CLI: refused with exit 1 (the template's code is not run: no exit 3), or printed literally", async () => {
    const env = { HF_HOME: hfHome(), HF_HUB_OFFLINE: "1" };
    const dataset = join(repoRoot, "test", "fixtures", "reliability", "qa.jsonl");
    const refused = await cli(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal "${...}" is the input under test
      ["--dataset", dataset, "--tokenizer", pythiaDir(), "--out", tmp.path("tpl-refused"), "--template", "${process.exit(3)} {question}"],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: The placeholder {process.exit(3)}");
    const literal = await cli(
      [
        "--dataset",
        dataset,
        "--tokenizer",
        pythiaDir(),
        "--out",
        tmp.path("tpl-literal"),
        "--format",
        "jsonl",
        "--quiet",
        "--template",
        "{{constructor}} $(id) {question}",
      ],
      env,
    );
    expect(literal.code, literal.stderr).toBe(0);
    const first = JSON.parse(readFileSync(join(tmp.path("tpl-literal"), "train.jsonl"), "utf8").split("\n")[0]!) as { question: string };
    expect(first.question).toMatch(/^\{constructor\} \$\(id\) /);
  });
});

describe("chat templates run in a sandbox (Jinja2's semantics, no host objects)", () => {
  let tok: Tokenizer;
  beforeAll(async () => {
    tok = await loadTokenizer(pythiaDir());
  });
  const messages = [
    { role: "user", content: "hi" },
    { role: "assistant", content: "hello" },
  ];

  it("reaching process, require or a constructor fails with a TemplateError; nothing runs", async () => {
    const g = globalThis as Record<string, unknown>;
    for (const template of [
      "{{ ''.constructor.constructor('globalThis.__ftpChat = 1')() }}",
      "{{ messages.constructor.constructor('globalThis.__ftpChat = 1')() }}",
      "{{ range.constructor('globalThis.__ftpChat = 1')() }}",
      "{{ require('child_process').execSync('id') }}",
      "{{ process.mainModule.require('fs') }}",
      "{{ messages[0].content.toString.call(process) }}",
    ]) {
      const e = thrown(() => tok.applyChatTemplate(messages, { tokenize: false, chatTemplate: template }));
      expect(e, template).toBeInstanceOf(TemplateError);
    }
    // Through the pipeline too: a typed error, no rows written anywhere.
    const ds = Dataset.fromList([{ messages }]);
    expect(
      await rejection(prepareInstructionDataset(ds, tok, { chatTemplate: "{{ ''.constructor.constructor('globalThis.__ftpChat = 1')() }}", progress: false })),
    ).toBeInstanceOf(TemplateError);
    expect(g.__ftpChat).toBeUndefined();
  });

  it("host objects are simply not there: they render as nothing; Python's dunder attributes are refused, as Jinja2's sandbox refuses them", () => {
    const text = tok.applyChatTemplate(messages, {
      tokenize: false,
      chatTemplate: "[{{ process }}|{{ globalThis }}|{{ this }}|{{ messages.__proto__ }}|{{ messages[0].content.constructor }}]",
    });
    expect(text).toBe("[||||]");
    // Jinja2: SecurityError ("access to attribute '__init__' of 'type' object is unsafe"); here cycler is not there at all.
    expect(thrown(() => tok.applyChatTemplate(messages, { tokenize: false, chatTemplate: "{{ cycler.__init__.__globals__ }}" }))).toBeInstanceOf(TemplateError);
  });
});
