// Finding the execplan-ls binary: the setting, then a binary bundled in the
// extension, then PATH.
import * as fs from "fs";
import * as path from "path";

export interface FoundServer {
  path: string | undefined;
  /** Where it was looked for, for the error message. */
  looked: string;
}

const EXE = process.platform === "win32" ? "execplan-ls.exe" : "execplan-ls";

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findServer(setting: string, extensionPath: string): FoundServer {
  if (setting.trim()) {
    const configured = setting.trim();
    return isExecutable(configured)
      ? { path: configured, looked: configured }
      : { path: undefined, looked: `execplan.server.path is ${configured}, which is not an executable file` };
  }
  const bundled = path.join(extensionPath, "server", EXE);
  if (isExecutable(bundled)) {
    return { path: bundled, looked: bundled };
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, EXE);
    if (dir && isExecutable(candidate)) {
      return { path: candidate, looked: candidate };
    }
  }
  return { path: undefined, looked: "not in execplan.server.path, not bundled, not on PATH" };
}
