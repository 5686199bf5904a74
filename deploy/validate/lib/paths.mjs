import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repository's root and deploy/, whatever the working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const deployDir = path.join(repoRoot, "deploy");
export const at = (...parts) => path.join(repoRoot, ...parts);
