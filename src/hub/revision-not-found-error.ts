import { RepoNotFoundError, type FinetunePrepErrorOptions } from "../errors.js";

/**
 * The repo exists but the branch, tag or commit asked for does not (the Hub's `X-Error-Code:
 * RevisionNotFound`). Python's `RevisionNotFoundError`; a kind of {@link RepoNotFoundError}, as
 * src/errors.ts describes that class ("the repo (or revision) does not exist"), so code catching
 * the wider class keeps working.
 */
export class RevisionNotFoundError extends RepoNotFoundError {
  override readonly code: string = "REVISION_NOT_FOUND";
  /** The revision asked for. */
  readonly revision: string;
  constructor(message: string, options: FinetunePrepErrorOptions & { repoId?: string; revision: string }) {
    super(message, options);
    this.revision = options.revision;
  }
}
