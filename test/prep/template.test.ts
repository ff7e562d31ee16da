import { describe, expect, it } from "vitest";
import { ColumnTypeError, TemplateError } from "../../src/errors.js";
import { DEFAULT_TEMPLATE, formatPrompt, parseTemplate } from "../../src/prep/index.js";
import { thrown } from "../helpers/failures.js";

describe("DEFAULT_TEMPLATE", () => {
  it("is the original notebook's prompt template", () => {
    expect(DEFAULT_TEMPLATE).toBe("### Question:\n{question}\n\n### Answer:");
    expect(formatPrompt(DEFAULT_TEMPLATE, { question: "What is Lamini?", answer: "x" })).toBe("### Question:\nWhat is Lamini?\n\n### Answer:");
  });
});

describe("formatPrompt (Python str.format, simple case)", () => {
  it("fills placeholders and unescapes {{ }} as Python does", () => {
    // Python: '### {q}\n{{literal}} }}{{ {a}'.format(q='Q', a='A') == '### Q\n{literal} }{ A'
    expect(formatPrompt("### {q}\n{{literal}} }}{{ {a}", { q: "Q", a: "A" })).toBe("### Q\n{literal} }{ A");
    expect(formatPrompt("{q}{q}", { q: "ab" })).toBe("abab");
    expect(formatPrompt("no placeholders", {})).toBe("no placeholders");
    // Python allows spaces in a field name: '{a b}'.format(**{'a b': 'x'}) == 'x'
    expect(formatPrompt("{a b}", { "a b": "x" })).toBe("x");
  });

  it("inserts values literally: braces and $ in values are not re-read", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal "${...}" is the input under test
    expect(formatPrompt("Q: {q}", { q: "{answer} $& ${x} {{", answer: "no" })).toBe("Q: {answer} $& ${x} {{");
  });

  it("never evaluates the template: only own columns of the row are placeholders", () => {
    for (const name of ["constructor", "__proto__", "toString", "process.exit()"]) {
      expect(() => formatPrompt(`{${name}}`, { question: "q" })).toThrow(TemplateError);
    }
  });

  it("an unknown placeholder is a TemplateError naming it and listing the columns", () => {
    const e = thrown(() => formatPrompt("### {questoin}", { question: "q", answer: "a" }, { rowIndex: 7 })) as TemplateError;
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.placeholder).toBe("questoin");
    expect(e.row).toBe(7);
    expect(e.message).toContain("{questoin}");
    expect(e.message).toContain('["question","answer"]');
  });

  it.each([
    ["null", null],
    ["number", 42],
    ["object", { a: 1 }],
    ["array", ["x"]],
    ["boolean", true],
  ])("a %s value is a ColumnTypeError naming the row and column", (found, value) => {
    const e = thrown(() => formatPrompt(DEFAULT_TEMPLATE, { question: value }, { rowIndex: 3 })) as ColumnTypeError;
    expect(e).toBeInstanceOf(ColumnTypeError);
    expect(e.row).toBe(3);
    expect(e.column).toBe("question");
    expect(e.found).toBe(found);
    expect(e.message).toMatch(/^Row 3, column "question"/);
  });
});

describe("parseTemplate", () => {
  it("splits literal text and placeholders, listing each placeholder once", () => {
    const t = parseTemplate("a{x}b{y}{x}}}");
    expect(t.parts).toEqual(["a", { placeholder: "x" }, "b", { placeholder: "y" }, { placeholder: "x" }, "}"]);
    expect(t.placeholders).toEqual(["x", "y"]);
  });

  // The syntax errors Python raises ('{', '}', 'a}b', '{q', '{a{b}}'), and what str.format accepts but a column template cannot mean.
  it.each([
    ["{", /Single '\{'/],
    ["}", /Single '\}'/],
    ["a}b", /Single '\}'/],
    ["{q", /not closed/],
    ["{a{b}}", /inside a placeholder/],
    ["{}", /positional/],
    ["{0}", /positional/],
    ["{a.b}", /attribute or index/],
    ["{a[0]}", /attribute or index/],
    ["{a!r}", /conversion/],
    ["{a:>3}", /format spec/],
  ])("%j is a TemplateError", (template, message) => {
    const e = thrown(() => parseTemplate(template));
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.message).toMatch(message);
  });

  it("refuses a template that is not a string", () => {
    expect(() => parseTemplate(5 as unknown as string)).toThrow(TemplateError);
  });
});
