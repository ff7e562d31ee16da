// Chat templates rendered here equal Jinja2's renderings (Debian's python3-jinja2, live, with
// transformers' environment): the four models' real templates on our conversations, and each
// method, filter, test and statement on its own.
import { beforeAll, describe, expect, it } from "vitest";
import { TemplateError } from "../../../src/errors.js";
import { renderJinjaTemplate } from "../../../src/tokenizer/chat-template/render-jinja-template.js";
import { type Jinja2Case, type Jinja2Result, jinja2Render } from "../../helpers/jinja2.js";
import { CHAT_MODELS, CONVERSATIONS, modelConfig, specialTokens, TOOLS } from "./fixtures.js";

/** Python's code-point indexes → JS string indexes. */
function toUtf16(text: string, ranges: [number, number][]): [number, number][] {
  const cps = Array.from(text);
  const at = (cp: number) => cps.slice(0, cp).join("").length;
  return ranges.map(([a, b]) => [at(a), at(b)]);
}

async function compare(cases: Jinja2Case[]): Promise<void> {
  const expected = await jinja2Render(cases);
  cases.forEach((c, i) => {
    const want = expected[i]!;
    const label = `${JSON.stringify(c.template).slice(0, 200)} with ${JSON.stringify(c.context).slice(0, 200)}`;
    if ("error" in want) {
      let got: unknown;
      try {
        got = renderJinjaTemplate(c.template, c.context ?? {}).text;
      } catch (e) {
        got = e;
      }
      expect(got, `${label}: Jinja2 raised ${want.type}: ${want.error}`).toBeInstanceOf(TemplateError);
      return;
    }
    let got: ReturnType<typeof renderJinjaTemplate>;
    try {
      got = renderJinjaTemplate(c.template, c.context ?? {});
    } catch (e) {
      throw new Error(`${label}: Jinja2 rendered ${JSON.stringify(want.text)}, we raised ${(e as Error).message}`);
    }
    expect(got.text, label).toBe(want.text);
    if (c.generation) expect(got.generation, label).toEqual(toUtf16(want.text, want.generation ?? []));
  });
}

describe("the real chat templates of Llama 3, Qwen 3, Gemma 3 and DeepSeek V3 against Jinja2", () => {
  for (const model of CHAT_MODELS) {
    it(model, async () => {
      const template = modelConfig(model).chat_template as string;
      const cases: Jinja2Case[] = [];
      for (const conv of CONVERSATIONS) {
        for (const addGenerationPrompt of [false, true]) {
          const thinking = model === "qwen3" ? [undefined, true, false] : [undefined];
          for (const enableThinking of thinking) {
            for (const tools of conv.tools ? [null, TOOLS] : [null]) {
              const context: Record<string, unknown> = {
                ...specialTokens(model),
                messages: conv.messages,
                tools,
                documents: null,
                add_generation_prompt: addGenerationPrompt,
              };
              if (enableThinking !== undefined) context.enable_thinking = enableThinking;
              cases.push({ template, context });
            }
          }
        }
      }
      await compare(cases);
    });
  }
});

const ctx = {
  s: "  Grüße, wörld!  \n",
  t: "a,b,,c",
  u: "xxhixx",
  n: 7,
  f: 2.5,
  l: [3, 1, 2],
  w: ["b", "A", "c", "a"],
  d: { b: 1, a: [1, 2], c: { x: "y" } },
  e: "",
  none: null,
  nothing: null,
};

const UNIT: [string, Record<string, unknown>?][] = [
  // printing Python values
  [
    "{{ l }}|{{ d }}|{{ none }}|{{ true }}|{{ f }}|{{ n / 2 }}|{{ 10 / 4 }}|{{ 1000.0 }}|{{ 0.00001 * 1.5 }}|{{ 12345678901234567.0 }}|{{ 0.1 + 0.2 }}|{{ [1, 'a', none, (1, 2)] }}",
    ctx,
  ],
  ["{{ 'it''s' }}|{{ [\"it's\", 'say \"x\"', 'both \\' \"'] }}|{{ ['tab\\there', 'é', '\\x01'] }}", ctx],
  [
    "{{ undefined_thing }}|{{ d.missing }}|{{ l[10] }}|{{ nothing }}|{{ nothing is none }}|{{ nothing is defined }}|{{ [nothing, 1] }}|{{ nothing | default('d') }}",
    ctx,
  ],
  [
    "{% set ns = namespace(a=none) %}{{ ns.a is none }}|{% for x in [none, 1] %}{{ loop.nextitem }},{{ loop.previtem }};{% endfor %}|{{ {'k': none}.k is none }}|{{ {'k': none}.get('k', 2) }}",
    ctx,
  ],
  // string methods with arguments
  ["{{ s.strip() }}|{{ s.strip(' \\n') }}|{{ s.lstrip(' G') }}|{{ s.rstrip('\\n') }}|{{ u.strip('x') }}|{{ u.lstrip('x') }}|{{ u.rstrip('x') }}", ctx],
  ["{{ t.split(',') }}|{{ t.split(',', 1) }}|{{ s.split() }}|{{ s.split(None, 1) }}|{{ t.rsplit(',', 1) }}|{{ 'a\\nb\\r\\nc'.splitlines() }}", ctx],
  [
    "{{ u.replace('x', 'y') }}|{{ u.replace('x', 'y', 2) }}|{{ 'ab'.replace('', '-') }}|{{ u.count('x') }}|{{ u.find('hi') }}|{{ u.rfind('x') }}|{{ u.find('zz') }}",
    ctx,
  ],
  ["{{ u.startswith('xx') }}|{{ u.startswith(('a', 'xxh')) }}|{{ u.endswith(('q', 'z')) }}|{{ u.startswith('hi', 2) }}", ctx],
  [
    "{{ 'hello wORLD it''s'.title() }}|{{ 'hELLO'.capitalize() }}|{{ 'Ab'.upper() }}{{ 'Ab'.lower() }}|{{ '-'.join(['a', 'b']) }}|{{ '42'.isdigit() }}|{{ 'ab'.isalpha() }}",
    ctx,
  ],
  // filters
  ["{{ s | trim }}|{{ u | trim('x') }}|{{ s | length }}|{{ l | length }}|{{ d | length }}|{{ 'héllo 🌍' | length }}", ctx],
  [
    "{{ d | tojson }}|{{ d | tojson(indent=2) }}|{{ d | tojson(sort_keys=true) }}|{{ d | tojson(separators=(',', ':')) }}|{{ 'é<>&\"\\n' | tojson }}|{{ 'é' | tojson(ensure_ascii=true) }}|{{ f | tojson }}",
    ctx,
  ],
  [
    "{{ w | join(', ') }}|{{ l | join }}|{{ w | sort | join }}|{{ w | sort(reverse=true, case_sensitive=true) | join }}|{{ w | unique | list }}|{{ l | max }}|{{ l | min }}|{{ l | sum }}",
    ctx,
  ],
  ["{{ w | first }}|{{ w | last }}|{{ 'abc' | first }}|{{ l | reverse | list }}|{{ 'abc' | reverse }}|{{ d | dictsort }}|{{ d | items | list }}", ctx],
  ["{{ undefined_thing | default('dflt') }}|{{ e | default('empty', true) }}|{{ e | d('x') }}|{{ none | default('n') }}", ctx],
  ["{{ 'a\\nb\\n\\nc' | indent }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' | indent('> ', blank=true) }}", ctx],
  [
    "{{ [{'a': 1, 'r': 'x'}, {'a': 2, 'r': 'y'}, {'r': 'x'}] | map(attribute='a', default=0) | list }}|{{ [{'r': 'x'}, {'r': 'y'}] | selectattr('r', 'equalto', 'x') | list }}|{{ [{'r': 'x'}, {'q': 1}] | selectattr('r') | list }}|{{ [{'r': 'x'}, {'r': 'y'}] | rejectattr('r', 'in', ['y']) | list }}",
    ctx,
  ],
  ["{{ l | select('odd') | list }}|{{ l | reject('even') | list }}|{{ w | map('upper') | join }}|{{ l | map('string') | join('+') }}", ctx],
  [
    "{{ '3' | int + 1 }}|{{ ' 4.7 ' | int }}|{{ 'x' | int(9) }}|{{ '2.5' | float }}|{{ n | float }}|{{ f | round }}|{{ 3.14159 | round(2) }}|{{ -3 | abs }}|{{ n | string }}",
    ctx,
  ],
  [
    "{{ 'hello world-foo (bar)' | title }}|{{ 'hELLO' | capitalize }}|{{ 'a b  c' | wordcount }}|{{ '<a&b>' | e }}|{{ 'x' | center(7) }}|{{ '%s-%d' | format('a', 3) }}",
    ctx,
  ],
  ["{{ l | batch(2) | list }}|{{ 'a long sentence here' | truncate(9, leeway=0) }}|{{ 'abc' | list }}|{{ d | list }}", ctx],
  // tests
  [
    "{{ none is none }}|{{ n is number }}|{{ true is number }}|{{ true is integer }}|{{ f is float }}|{{ d is mapping }}|{{ d is iterable }}|{{ s is string }}|{{ l is sequence }}|{{ x is defined }}|{{ x is undefined }}|{{ n is odd }}|{{ 'abc' is lower }}|{{ 'aBc' is lower }}|{{ true is true }}|{{ 1 is true }}|{{ false is boolean }}",
    ctx,
  ],
  // operators and comparisons
  [
    "{{ [1, 2] == [1, 2] }}|{{ d == {'b': 1, 'a': [1, 2], 'c': {'x': 'y'}} }}|{{ 1 == 1.0 }}|{{ true == 1 }}|{{ 'a' < 'b' }}|{{ [1, 2] < [1, 3] }}|{{ 2 in l }}|{{ 'b' in d }}|{{ 'ß' in 'straße' }}|{{ none in [none] }}",
    ctx,
  ],
  [
    "{{ -7 // 2 }}|{{ -7 % 3 }}|{{ 7 % -3 }}|{{ 2 ** 10 }}|{{ 'ab' * 3 }}|{{ [0] * 3 }}|{{ 1 ~ 'x' ~ none ~ true }}|{{ n - 2.5 }}|{{ 'a' + 'b' }}|{{ l + [4] }}",
    ctx,
  ],
  ["{{ s[2:5] }}|{{ l[::-1] }}|{{ l[-1] }}|{{ 'héllo🌍x'[5] }}|{{ 'héllo🌍x'[-2:] }}|{{ l[1:] }}|{{ w[::2] }}", ctx],
  // statements: scoping, loops, namespace, macros, loop controls, whitespace control
  ["{% for i in [1,2,3] %}[{{ x }}]{% set x = i %}{% endfor %}|{{ x }}|{% set x = 0 %}{% for i in [1,2] %}{{ x }}{% set x = i %}{% endfor %}{{ x }}", {}],
  [
    "{% set ns = namespace(c=0, items=[]) %}{% for m in l %}{% set ns.c = ns.c + m %}{% endfor %}{{ ns.c }}|{% for a, b in d.items() %}{{ a }}={{ b }};{% endfor %}|{% for k in d %}{{ k }}{% endfor %}|{% for ch in 'ab' %}{{ ch }}.{% endfor %}",
    ctx,
  ],
  [
    "{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i > 4 %}{% break %}{% endif %}{{ i }}{% endfor %}|{% for i in [] %}x{% else %}empty{% endfor %}|{% for i in l if i > 1 %}{{ loop.index }}/{{ loop.length }}:{{ i }}{{ loop.cycle('a', 'b') }} {% endfor %}",
    ctx,
  ],
  ["{% for i in l %}{{ loop.first }}{{ loop.last }}{{ loop.revindex }}{{ loop.previtem }}{{ loop.nextitem }};{% endfor %}", ctx],
  ["{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(name='C') }}", {}],
  [
    "{% if n > 5 %}big{% elif n > 2 %}mid{% else %}small{% endif %}|{{ 'y' if n else 'n' }}|{{ 'y' if e else 'n' }}|{% set a, b = 1, 2 %}{{ a }}{{ b }}|{% set blk %}inside {{ n }}{% endset %}{{ blk }}",
    ctx,
  ],
  ["a\n  {% if true %}\n    b\n  {% endif %}\n  c {{ n }}  \n{# comment #}\n  {%- if true -%}  d  {%- endif -%}\n  e\n  {%+ if true %}f{% endif +%}\ng\n", ctx],
  ["{%- for m in [1, 2] -%}\n  {{- m -}}\n  {% raw %}{{ not evaluated }}{% endraw %}\n{%- endfor %}\nend\n\n", ctx],
  ["{{ {'a': {'b': 1}} }}|{{ \"%}\" }}|{{ '}}' }}|{% set q = '{% x %}' %}{{ q }}", ctx],
  ["{% filter upper %}shout {{ n }}{% endfilter %}|{{ dict(a=1, b='x') }}|{{ namespace(a=1).a }}", ctx],
  ["{{ d.items() | list }}|{{ d.keys() | list }}|{{ d.get('a') }}|{{ d.get('zz', 'dflt') }}|{{ d['c']['x'] }}|{{ d.c.x }}", ctx],
  // errors Python raises: the renderer raises a TemplateError too
  ["{{ raise_exception('custom failure') }}", {}],
  ["{{ undefined_thing.attr }}", {}],
  ["{{ 'a' + 1 }}", {}],
  ["{{ l.append(4) }}", ctx],
  ["{{ 1 / 0 }}", {}],
  ["{{ none.attr }}|{{ s.nosuchmethod }}", ctx],
];

describe("methods, filters, tests and statements against Jinja2", () => {
  let expected: Jinja2Result[] = [];
  beforeAll(async () => {
    expected = await jinja2Render(UNIT.map(([template, context]) => ({ template, context: context ?? {} })));
  });
  UNIT.forEach(([template, context], i) => {
    it(`case ${i}: ${template.slice(0, 70)}`, () => {
      const want = expected[i]!;
      if ("error" in want) {
        expect(() => renderJinjaTemplate(template, context ?? {}), `Jinja2 raised ${want.type}: ${want.error}`).toThrow(TemplateError);
      } else expect(renderJinjaTemplate(template, context ?? {}).text).toBe(want.text);
    });
  });

  it("{% generation %} blocks: the text without the tags, and where each block landed", async () => {
    const template =
      "{% for m in messages %}{% if m.role == 'assistant' %}<a>{% generation %}{{ m.content }}<end>{% endgeneration %}\n{% else %}<u>{{ m.content }}\n{% endif %}{% endfor %}";
    const messages = [
      { role: "user", content: "Grüße 🌍" },
      { role: "assistant", content: "Answer 🌍 one" },
      { role: "user", content: "more" },
      { role: "assistant", content: "  two  " },
    ];
    await compare([{ template, context: { messages }, generation: true }]);
  });

  it("strftime_now formats the current date as Python's datetime.now().strftime", async () => {
    await compare([{ template: "{{ strftime_now('%Y-%m-%d|%d %b %Y|%B %A %a') }}", context: {} }]);
  });
});
