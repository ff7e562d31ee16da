import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { EntryNotFoundError, HubHttpError, HubUnreachableError, NotCachedError, TokenizerFileError } from "../errors.js";
import { hfHubDownload } from "../hub/hf-hub-download.js";
import { isRetryableError } from "../hub/hub-fetch.js";
import { type HubParams, resolveHubSettings } from "../hub/hub-params.js";
import { validateRepoId } from "../hub/validate-hub-args.js";

/** Local paths of a tokenizer's files; the optional ones are undefined when the folder or repo has none. */
export interface TokenizerFilePaths {
  tokenizerJson: string;
  tokenizerConfig?: string | undefined;
  specialTokensMap?: string | undefined;
  /** chat_template.jinja, the file newer transformers versions save templates in. */
  chatTemplate?: string | undefined;
}

const OPTIONAL = { tokenizerConfig: "tokenizer_config.json", specialTokensMap: "special_tokens_map.json", chatTemplate: "chat_template.jinja" } as const;

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function fromFolder(dir: string): TokenizerFilePaths {
  const at = (name: string) => (existsSync(join(dir, name)) ? join(dir, name) : undefined);
  const tokenizerJson = at("tokenizer.json");
  if (!tokenizerJson) {
    const held = readdirSync(dir).sort();
    throw new TokenizerFileError(`No tokenizer.json in the folder ${dir}. ${held.length ? `It holds: ${held.join(", ")}.` : "It is empty."}`, {
      file: dir,
      hint: "Point to the folder that holds tokenizer.json (what Python's tokenizer.save_pretrained writes; in the Hugging Face cache, a snapshots/<commit>/ folder), or pass a Hub id.",
    });
  }
  return {
    tokenizerJson,
    tokenizerConfig: at(OPTIONAL.tokenizerConfig),
    specialTokensMap: at(OPTIONAL.specialTokensMap),
    chatTemplate: at(OPTIONAL.chatTemplate),
  };
}

async function fromHub(repoId: string, params: HubParams): Promise<TokenizerFilePaths> {
  const download = (path: string) => hfHubDownload({ ...params, repoId, path });
  let tokenizerJson: string;
  try {
    tokenizerJson = await download("tokenizer.json");
  } catch (e) {
    if (e instanceof NotCachedError) {
      const cacheDir = resolveHubSettings(params).cacheDir;
      throw new NotCachedError(
        `Cannot load the tokenizer of "${repoId}": offline (HF_HUB_OFFLINE=1 or offline: true), and the Hugging Face cache ${cacheDir} does not hold it. Looked at: ${e.file ?? cacheDir}`,
        {
          repoId,
          ...(e.file !== undefined ? { file: e.file } : {}),
          hint: "Set HF_HOME (or HF_HUB_CACHE) to a cache that holds the model, go online (unset HF_HUB_OFFLINE) to download it, or pass the path of a local folder holding tokenizer.json.",
          cause: e,
        },
      );
    }
    if (e instanceof EntryNotFoundError) {
      throw new TokenizerFileError(
        `The Hub repo ${repoId} has no tokenizer.json${params.revision ? ` at revision ${params.revision}` : ""}: this library loads fast tokenizers (tokenizer.json) only.`,
        {
          file: "tokenizer.json",
          hint: "Use a repo that ships tokenizer.json, or save the tokenizer with Python's tokenizer.save_pretrained(folder) and pass that folder.",
          cause: e,
        },
      );
    }
    throw e;
  }
  // Optional files: missing on the Hub, not cached while offline, or not cached while the Hub
  // cannot be reached (refused, DNS, TLS, no answer, 5xx after the retries) means "not there":
  // Python's cached_file with _raise_exceptions_for_missing_entries=False and
  // _raise_exceptions_for_connection_errors=False. Anything else (a repo or revision not found, an
  // access refused, an unsafe answer) is an error.
  const optional = async (path: string) => {
    try {
      return await download(path);
    } catch (e) {
      if (e instanceof EntryNotFoundError || e instanceof NotCachedError || e instanceof HubUnreachableError) return undefined;
      if (e instanceof HubHttpError && e.status !== undefined && isRetryableError(e)) return undefined;
      throw e;
    }
  };
  const [tokenizerConfig, specialTokensMap, chatTemplate] = await Promise.all([
    optional(OPTIONAL.tokenizerConfig),
    optional(OPTIONAL.specialTokensMap),
    optional(OPTIONAL.chatTemplate),
  ]);
  return { tokenizerJson, tokenizerConfig, specialTokensMap, chatTemplate };
}

/**
 * Where a tokenizer's files are, decided as transformers does: an existing folder wins;
 * otherwise the string is a Hub id ("ORG/NAME" or "NAME") whose files come through the Hugging
 * Face cache (downloaded when online and missing).
 */
export async function resolveTokenizerFiles(modelIdOrDir: string, params: HubParams = {}): Promise<TokenizerFilePaths> {
  if (typeof modelIdOrDir !== "string" || modelIdOrDir === "") {
    throw new TokenizerFileError(`Expected a Hub id (e.g. "EleutherAI/pythia-70m") or a folder path, got ${JSON.stringify(modelIdOrDir)}.`);
  }
  if (isDirectory(modelIdOrDir)) return fromFolder(resolve(modelIdOrDir));
  const abs = resolve(modelIdOrDir);
  if (existsSync(abs)) {
    throw new TokenizerFileError(`${abs} is a file: pass the folder that holds tokenizer.json (and tokenizer_config.json), or a Hub id.`, { file: abs });
  }
  try {
    validateRepoId(modelIdOrDir);
  } catch (e) {
    throw new TokenizerFileError(`"${modelIdOrDir}" is neither a folder (${abs} does not exist) nor a Hub id ("ORG/NAME").`, {
      file: abs,
      hint: "Check the path, or copy the model id from its Hub page (e.g. EleutherAI/pythia-70m).",
      cause: e,
    });
  }
  return fromHub(modelIdOrDir, params);
}
