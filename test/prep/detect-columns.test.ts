import { describe, expect, it } from "vitest";
import { InvalidArgumentError, MissingColumnError } from "../../src/errors.js";
import { detectColumns } from "../../src/prep/index.js";
import { thrown } from "../helpers/failures.js";

describe("detectColumns", () => {
  it("follows the original's order: question/answer, then input/output, then text", () => {
    expect(detectColumns(["answer", "question", "text"])).toEqual({ kind: "pair", prompt: "question", completion: "answer" });
    expect(detectColumns(["input", "output", "text"])).toEqual({ kind: "pair", prompt: "input", completion: "output" });
    expect(detectColumns(["text", "id"])).toEqual({ kind: "text", text: "text" });
  });

  it("also knows instruction/response (before input/output) and chat messages", () => {
    expect(detectColumns(["instruction", "input", "output", "response"])).toEqual({ kind: "pair", prompt: "instruction", completion: "response" });
    expect(detectColumns(["messages"])).toEqual({ kind: "chat", messages: "messages" });
    // A half pair is not a pair.
    expect(detectColumns(["question", "text"])).toEqual({ kind: "text", text: "text" });
  });

  it("nothing usable: MissingColumnError listing the columns", () => {
    const e = thrown(() => detectColumns(["q", "a"])) as MissingColumnError;
    expect(e).toBeInstanceOf(MissingColumnError);
    expect(e.columns).toEqual(["q", "a"]);
    expect(e.message).toContain('["q","a"]');
    expect(e.message).toContain("question/answer");
  });

  it("takes an override and checks it", () => {
    expect(detectColumns(["q", "a"], { prompt: "q", completion: "a" })).toEqual({ kind: "pair", prompt: "q", completion: "a" });
    expect(detectColumns(["body"], { text: "body" })).toEqual({ kind: "text", text: "body" });
    expect(detectColumns(["conv"], { messages: "conv" })).toEqual({ kind: "chat", messages: "conv" });
    const e = thrown(() => detectColumns(["q", "a"], { prompt: "q", completion: "answer" })) as MissingColumnError;
    expect(e).toBeInstanceOf(MissingColumnError);
    expect(e.column).toBe("answer");
    expect(thrown(() => detectColumns(["q"], { prompt: "q" } as never))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => detectColumns(["q"], { prompt: "q", completion: "q" }))).toBeInstanceOf(InvalidArgumentError);
  });
});
