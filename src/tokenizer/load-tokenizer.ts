import { readFileSync } from "node:fs";
import { TokenizerFileError } from "../errors.js";
import type { HubParams } from "../hub/hub-params.js";
import type { TokenizerSide } from "./batch-prepare-for-model.js";
import { parseTokenizerJson } from "./parse-tokenizer-json.js";
import { resolveTokenizerFiles } from "./resolve-tokenizer-files.js";
import { Tokenizer } from "./tokenizer.js";

export interface LoadTokenizerParams extends HubParams {
  /** Pad token to use instead of the files' (Python's `from_pretrained(..., pad_token=)`). Must be in the vocabulary. */
  padToken?: string | null;
  /** Default padding side instead of tokenizer_config.json's ("right" when it says nothing). */
  paddingSide?: TokenizerSide;
  /** Default truncation side instead of tokenizer_config.json's ("right" when it says nothing). */
  truncationSide?: TokenizerSide;
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new TokenizerFileError(`Cannot read ${file}: ${(e as Error).message}`, { file, cause: e });
  }
}

function readText(file: string): string {
  return readBytes(file)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
}

/** tokenizer.json: a BPE model's tables read straight from the bytes when they allow it (see parseTokenizerJson), else {@link readJsonObject}. */
function readTokenizerJson(file: string): Record<string, unknown> {
  const bytes = readBytes(file);
  return parseTokenizerJson(bytes) ?? readJsonObject(file, bytes.toString("utf8").replace(/^\uFEFF/, ""));
}

/** A JSON object from `file`; a parse error names the file and line. */
function readJsonObject(file: string, text = readText(file)): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    const position = /position (\d+)/.exec(message);
    const line = lineCol ? Number(lineCol[1]) : position ? text.slice(0, Number(position[1])).split("\n").length : undefined;
    throw new TokenizerFileError(`${file}${line !== undefined ? `:${line}` : ""} is not valid JSON (${message}).`, {
      file,
      ...(line !== undefined ? { line } : {}),
      hint: "The file is damaged or only partly downloaded: download it again (delete it from the cache) or fix it.",
      cause: e,
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TokenizerFileError(`${file} holds ${Array.isArray(value) ? "an array" : JSON.stringify(value)}, not a JSON object.`, { file });
  }
  return value as Record<string, unknown>;
}

/**
 * Python's `AutoTokenizer.from_pretrained(modelIdOrDir)`: a {@link Tokenizer} from a local folder
 * holding tokenizer.json (+ tokenizer_config.json, special_tokens_map.json when present) or from a
 * Hub id through the Hugging Face cache (Python's layout: HF_HUB_CACHE, else HF_HOME/hub, else
 * ~/.cache/huggingface/hub). An existing folder wins over a Hub id of the same spelling.
 * Offline (`HF_HUB_OFFLINE=1` or `offline: true`) only the cache is read.
 *
 * @example
 * const tok = await loadTokenizer("EleutherAI/pythia-70m");
 * tok.padToken = tok.eosToken;
 * tok.batchEncode(["Hi, how are you?", "I'm good"], { padding: true });
 */
export async function loadTokenizer(modelIdOrDir: string, options: LoadTokenizerParams = {}): Promise<Tokenizer> {
  const { padToken, paddingSide, truncationSide, ...hub } = options;
  const paths = await resolveTokenizerFiles(modelIdOrDir, hub);
  return new Tokenizer({
    nameOrPath: modelIdOrDir,
    tokenizerJson: readTokenizerJson(paths.tokenizerJson),
    tokenizerConfig: paths.tokenizerConfig ? readJsonObject(paths.tokenizerConfig) : {},
    specialTokensMap: paths.specialTokensMap ? readJsonObject(paths.specialTokensMap) : undefined,
    chatTemplate: paths.chatTemplate ? readText(paths.chatTemplate) : undefined,
    files: { tokenizerJson: paths.tokenizerJson, tokenizerConfig: paths.tokenizerConfig, specialTokensMap: paths.specialTokensMap },
    ...(padToken !== undefined ? { padToken } : {}),
    ...(paddingSide !== undefined ? { paddingSide } : {}),
    ...(truncationSide !== undefined ? { truncationSide } : {}),
  });
}
