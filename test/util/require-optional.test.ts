// requireOptional: optional peer dependencies load on first use, or fail with a typed error that says what to install.
import { describe, expect, it } from "vitest";
import { MissingDependencyError } from "../../src/errors.js";
import { requireOptional, resolveOptional } from "../../src/util/require-optional.js";
import { thrown } from "../helpers/failures.js";

describe("requireOptional", () => {
  it("loads an installed package", () => {
    expect(requireOptional<{ version: string }>("plotly.js-dist/package.json", "a test").version).toMatch(/^\d+\./);
  });

  it("names the package, what needs it and the install command when it is missing", () => {
    const e = thrown(() => requireOptional("@finetune-prep-test/not-installed/sub/path.js", "Some display"));
    expect(e).toBeInstanceOf(MissingDependencyError);
    const err = e as MissingDependencyError;
    expect(err.packageName).toBe("@finetune-prep-test/not-installed");
    expect(err.message).toContain("Some display needs the package @finetune-prep-test/not-installed");
    expect(err.message).toContain("npm install @finetune-prep-test/not-installed");
    expect(thrown(() => resolveOptional("not-installed-pkg-xyz", "X"))).toBeInstanceOf(MissingDependencyError);
  });

  it("passes on other failures of an installed package unchanged", () => {
    // Only "this package is absent" becomes MissingDependencyError; any other load failure is passed on.
    const e = thrown(() => requireOptional("node:does-not-exist", "X"));
    expect(e).not.toBeInstanceOf(MissingDependencyError);
  });
});
