import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface LocalCertificate {
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI, so the local
 * emulator speaks TLS. The buckets' TLS-only policies deny plain HTTP, in the emulator as in AWS;
 * clients trust this one certificate through AWS_CA_BUNDLE (Terraform) or an https agent (SDK).
 */
export function createLocalCertificate(dir: string): LocalCertificate {
  fs.mkdirSync(dir, { recursive: true });
  const certFile = path.join(dir, "emulator.crt");
  const keyFile = path.join(dir, "emulator.key");
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "7",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ],
      { stdio: "pipe" },
    );
  } catch (error) {
    throw new Error(`cannot create the emulator's TLS certificate with openssl: ${(error as Error).message.split("\n")[0]}`);
  }
  return { certFile, keyFile };
}
