import type { RepoType } from "./hub-params.js";

export interface HfHubUrlParams {
  repoId: string;
  /** File path inside the repo, "/"-separated. */
  path: string;
  /** Default "model". */
  repoType?: RepoType;
  /** Branch, tag or commit. Default "main". */
  revision?: string;
  /** Hub URL without trailing slash. Default https://huggingface.co. */
  endpoint?: string;
}

/**
 * Python's `hf_hub_url`: `{endpoint}/{datasets/|spaces/}{repoId}/resolve/{revision}/{path}`, the
 * revision quoted whole (so "refs/pr/1" stays one segment) and the path quoted segment by segment.
 */
export function hfHubUrl(params: HfHubUrlParams): string {
  const repoType = params.repoType ?? "model";
  const prefix = repoType === "model" ? "" : `${repoType}s/`;
  const endpoint = (params.endpoint ?? "https://huggingface.co").replace(/\/+$/, "");
  const path = params.path.split("/").map(encodeURIComponent).join("/");
  return `${endpoint}/${prefix}${params.repoId}/resolve/${encodeURIComponent(params.revision ?? "main")}/${path}`;
}
