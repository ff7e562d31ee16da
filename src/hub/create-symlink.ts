import { randomBytes } from "node:crypto";
import { copyFile, mkdir, rename, rm, symlink } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";

/**
 * Python's `_create_symlink`: `dst` becomes a RELATIVE symlink to `src` (`../../blobs/<etag>`,
 * one more `../` per folder of a nested path), so a cache folder that is moved or mounted
 * elsewhere keeps working — the same links Python makes, so either language reads the other's cache.
 *
 * Made atomic: the link is created under a unique temp name in `tmpDir` (same filesystem) and
 * renamed over `dst`, so a reader (or a concurrent writer) never finds `dst` missing or half made.
 * Python removes `dst` then links, tolerating the race; rename needs no tolerance. Where symlinks
 * are not allowed (Windows without developer mode), the blob is copied instead, as Python does.
 */
export async function createSymlink(src: string, dst: string, tmpDir: string): Promise<void> {
  const absSrc = resolve(src);
  const absDst = resolve(dst);
  await mkdir(dirname(absDst), { recursive: true });
  const tmp = join(tmpDir, `.link-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
  try {
    try {
      // The target is relative to the link's final folder; it need not resolve where the temp link sits.
      await symlink(relative(dirname(absDst), absSrc), tmp);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EPERM" && code !== "ENOSYS" && code !== "EOPNOTSUPP" && code !== "EACCES") throw e;
      await copyFile(absSrc, tmp);
    }
    await rename(tmp, absDst);
  } finally {
    await rm(tmp, { force: true }).catch(() => {});
  }
}
