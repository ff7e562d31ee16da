import { parse, tokenize } from "@huggingface/jinja";
import { TemplateError } from "../../errors.js";
import { GENERATION_CLOSE, GENERATION_OPEN, preprocessTemplate } from "./preprocess-template.js";
import { RenderError } from "./py-values.js";
import { LimitError, type RenderLimits, TemplateEvaluator } from "./template-evaluator.js";

/** Default limits: a rendering stops with a TemplateError past them (Python has none but the range() one). */
const DEFAULT_RENDER_LIMITS: Readonly<RenderLimits> = Object.freeze({ maxSteps: 10_000_000, maxOutput: 10_000_000, maxMilliseconds: 5_000 });

export interface RenderJinjaTemplateOptions {
  /** What the template belongs to, for messages (a Hub id or folder). */
  nameOrPath?: string | undefined;
  /** Work budget (evaluation steps plus items and characters created). Default 10,000,000. */
  maxSteps?: number | undefined;
  /** Longest text the rendering may build, in UTF-16 code units. Default 10,000,000 (10 MB of ASCII). */
  maxOutput?: number | undefined;
  /** Wall-clock time one rendering may take, in milliseconds. Default 5,000 (a chat template takes well under a millisecond per message). */
  maxMilliseconds?: number | undefined;
}

export interface RenderedTemplate {
  /** The rendered text. */
  text: string;
  /**
   * `[start, end)` character ranges of `text` that `{% generation %}` blocks produced, in order
   * (Python's generation indices, from transformers' AssistantTracker). Empty when the template has none.
   */
  generation: [number, number][];
  /** Whether the template has `{% generation %}` blocks at all. */
  hasGeneration: boolean;
}

interface Compiled {
  program: { type: string; body: unknown[] };
  hasGeneration: boolean;
}

const cache = new Map<string, Compiled>();

function compile(template: string, where: string): Compiled {
  const hit = cache.get(template);
  if (hit) return hit;
  try {
    const pre = preprocessTemplate(template);
    const program = parse(tokenize(pre.source)) as unknown as Compiled["program"];
    const compiled = { program, hasGeneration: pre.hasGeneration };
    if (cache.size >= 64) cache.clear();
    cache.set(template, compiled);
    return compiled;
  } catch (e) {
    throw new TemplateError(`The chat template of ${where} could not be parsed: ${(e as Error).message}`, {
      cause: e,
      hint: "Check the template's Jinja syntax (Python's Jinja2 is the reference).",
    });
  }
}

function containsMarks(value: unknown): boolean {
  if (typeof value === "string") return value.includes(GENERATION_OPEN) || value.includes(GENERATION_CLOSE);
  if (Array.isArray(value)) return value.some(containsMarks);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsMarks);
  return false;
}

/**
 * Renders a chat template as Python transformers does: Jinja2's `ImmutableSandboxedEnvironment`
 * with `trim_blocks`, `lstrip_blocks`, loop controls, the `{% generation %}` tag, transformers'
 * `tojson`, `raise_exception` and `strftime_now`, Python's values (a list prints as Python's repr,
 * None as "None", `strip(chars)`...). Parsing is @huggingface/jinja's; evaluation is this
 * project's (see docs/chat-templates.md). Limits: range() over more than 100,000 items (Jinja2's
 * sandbox), a work budget and an output size; past them, and on any error the template raises, a
 * TemplateError.
 */
export function renderJinjaTemplate(template: string, context: Record<string, unknown>, options: RenderJinjaTemplateOptions = {}): RenderedTemplate {
  const where = options.nameOrPath ?? "the tokenizer";
  if (typeof template !== "string") throw new TemplateError(`The chat template of ${where} is ${typeof template}, not a Jinja template (a string).`);
  const compiled = compile(template, where);
  const limits: RenderLimits = {
    maxSteps: options.maxSteps ?? DEFAULT_RENDER_LIMITS.maxSteps,
    maxOutput: options.maxOutput ?? DEFAULT_RENDER_LIMITS.maxOutput,
    maxMilliseconds: options.maxMilliseconds ?? DEFAULT_RENDER_LIMITS.maxMilliseconds,
  };
  if (compiled.hasGeneration && containsMarks(context)) {
    throw new TemplateError(`The messages contain U+FDD0 or U+FDD1, which mark {% generation %} blocks while the chat template of ${where} renders.`, {
      hint: "Remove those two noncharacters from the data.",
    });
  }
  let raw: string;
  try {
    raw = new TemplateEvaluator(limits).render(compiled.program, context);
  } catch (e) {
    if (e instanceof LimitError) {
      throw new TemplateError(`The chat template of ${where} was stopped: ${e.message}.`, {
        cause: e,
        hint:
          e.limit === "recursion"
            ? "The template calls a macro recursively without end."
            : "A chat template should not need this much; check where it came from.",
      });
    }
    if (e instanceof RenderError) {
      throw new TemplateError(`The chat template of ${where} raised ${e.pyType}: ${e.message}`, { cause: e });
    }
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new TemplateError(`The chat template of ${where} was stopped: it nests too deeply (recursion).`, { cause: e });
    }
    throw new TemplateError(`The chat template of ${where} could not be applied: ${(e as Error).message ?? String(e)}`, { cause: e });
  }
  if (!compiled.hasGeneration) return { text: raw, generation: [], hasGeneration: false };
  let text = "";
  const generation: [number, number][] = [];
  const open: number[] = [];
  let from = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== GENERATION_OPEN && c !== GENERATION_CLOSE) continue;
    text += raw.slice(from, i);
    from = i + 1;
    if (c === GENERATION_OPEN) open.push(text.length);
    else {
      const start = open.pop();
      if (start !== undefined && open.length === 0) generation.push([start, text.length]);
    }
  }
  text += raw.slice(from);
  return { text, generation, hasGeneration: true };
}
