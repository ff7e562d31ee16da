import { Template } from "@huggingface/jinja";
import { InvalidArgumentError, TemplateError } from "../errors.js";

/** A tokenizer's chat templates: one, or several by name (tokenizer_config.json's `chat_template` as a list). */
export type ChatTemplates = string | Readonly<Record<string, string>>;

/**
 * The templates a tokenizer_config.json `chat_template` value holds, as Python loads them: a
 * string, or a list of `{ name, template }` turned into a record by name.
 */
export function parseChatTemplates(value: unknown, file: string | undefined): ChatTemplates | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const named: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [i, item] of value.entries()) {
      const { name, template } = (item ?? {}) as { name?: unknown; template?: unknown };
      if (typeof name !== "string" || typeof template !== "string") {
        throw new TemplateError(`chat_template[${i}] in ${file ?? "tokenizer_config.json"} is not a { "name": ..., "template": ... } object.`, {
          ...(file !== undefined ? { file } : {}),
        });
      }
      named[name] = template;
    }
    return named;
  }
  throw new TemplateError(`chat_template in ${file ?? "tokenizer_config.json"} is ${typeof value}: expected a Jinja template (a string) or a list of named templates.`, {
    ...(file !== undefined ? { file } : {}),
  });
}

/**
 * Python's `get_chat_template`: the template to render with. `chosen` is a template or the name of
 * one of the tokenizer's named templates; otherwise "tool_use" when tools are given and there is
 * one, else "default" (else the single template).
 */
export function selectChatTemplate(templates: ChatTemplates | undefined, chosen: string | undefined, hasTools: boolean, nameOrPath: string): string {
  if (templates !== undefined && typeof templates !== "string") {
    if (chosen !== undefined) return Object.hasOwn(templates, chosen) ? (templates[chosen] as string) : chosen;
    if (hasTools && Object.hasOwn(templates, "tool_use")) return templates.tool_use as string;
    if (Object.hasOwn(templates, "default")) return templates.default as string;
    throw new TemplateError(`${nameOrPath} has several chat templates and none is named "default".`, {
      hint: `Pass { chatTemplate: NAME } with one of: ${Object.keys(templates).sort().join(", ")}.`,
    });
  }
  if (chosen !== undefined) return chosen;
  if (templates !== undefined) return templates;
  throw new TemplateError(`${nameOrPath} has no chat template (Python raises here too).`, {
    hint: "Set one first (tok.chatTemplate = '{% for m in messages %}...{% endfor %}') or pass { chatTemplate }.",
  });
}

const compiled = new Map<string, Template>();

/** Renders `template` with `context` (the variables the template sees), as a TemplateError on failure. */
export function renderChatTemplate(template: string, context: Record<string, unknown>, nameOrPath: string): string {
  if (typeof template !== "string") throw new InvalidArgumentError("chatTemplate", template, "A chat template is a Jinja template (a string).");
  let t = compiled.get(template);
  try {
    if (t === undefined) {
      t = new Template(template);
      if (compiled.size > 64) compiled.clear();
      compiled.set(template, t);
    }
    return t.render(context);
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    throw new TemplateError(`The chat template of ${nameOrPath} could not be applied: ${(e as Error).message ?? String(e)}`, { cause: e });
  }
}
