import * as path from "path";
import { portInUse, startEmulator, stopProcess, type Emulator } from "../../lib/tooling/emulator";
import { createLocalCertificate, type LocalCertificate } from "../../lib/tooling/tls";
import { tempDir } from "./temp";

/**
 * One emulator per end-to-end suite: moto_server over TLS on a free 127.0.0.1 port, in a
 * temporary folder (certificate, log), stopped after the suite. Call at the top of the file.
 */
export function useEmulator(options: { readonly firstPort: number; readonly enforceIamAfterCalls?: number }): {
  readonly current: () => Emulator;
  readonly dir: () => string;
  /** The certificate the emulator serves (a fault proxy in front of it serves the same). */
  readonly tls: () => LocalCertificate;
} {
  let emulator: Emulator | undefined;
  let dir = "";
  let tls: LocalCertificate | undefined;
  beforeAll(async () => {
    dir = tempDir("dr-e2e-");
    let port = options.firstPort;
    while (await portInUse(port)) port++;
    tls = createLocalCertificate(path.join(dir, "tls"));
    emulator = await startEmulator({
      port,
      tls,
      logFile: path.join(dir, "emulator.log"),
      enforceIamAfterCalls: options.enforceIamAfterCalls,
    });
  });
  afterAll(() => {
    if (emulator) stopProcess(emulator.pid);
  });
  return {
    current: () => {
      if (!emulator) throw new Error("the emulator is not running (useEmulator must be called at the top of the test file)");
      return emulator;
    },
    dir: () => dir,
    tls: () => {
      if (!tls) throw new Error("the emulator is not running (useEmulator must be called at the top of the test file)");
      return tls;
    },
  };
}
