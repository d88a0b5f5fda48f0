import * as fs from "fs";
import * as path from "path";
import { emulatorClientSettings } from "../../lib/tooling/sandbox-state";
import { tempDir } from "../support/temp";
import {
  EMULATOR_ACCOUNT,
  parallelSummary,
  sandboxAccountFromEnvironment,
  sandboxProcessEnv,
  sandboxSession,
  sandboxStacks,
  type DeployResult,
  type ParallelDeployResult,
  type SandboxApp,
} from "../../lib/tooling/sandbox-session";

const APP: SandboxApp = {
  manifest: {
    stacks: {
      "state-acme-terraform-state": { dependencies: [] },
      "networking-us-east-1": { dependencies: [] },
      "gitops-us-east-1": { dependencies: ["networking-us-east-1"] },
      "networking-us-east-2": { dependencies: [] },
      "kubernetes-us-east-2": { dependencies: ["networking-us-east-2", "standby-us-east-2"] },
      "standby-us-east-2": { dependencies: [] },
    },
  },
  providers: {
    "state-acme-terraform-state": ["aws"],
    "networking-us-east-1": ["aws"],
    "gitops-us-east-1": ["aws", "helm", "kubernetes"],
    "networking-us-east-2": ["aws"],
    "kubernetes-us-east-2": ["aws"],
    "standby-us-east-2": ["aws"],
  },
};

describe("sandboxStacks", () => {
  it("selects the regions' stacks the emulator serves, from the manifest, and names the others with their providers", () => {
    expect(sandboxStacks(APP, ["us-east-1", "us-east-2"])).toEqual({
      stacks: ["kubernetes-us-east-2", "networking-us-east-1", "networking-us-east-2", "standby-us-east-2"],
      skipped: [{ stack: "gitops-us-east-1", providers: ["helm", "kubernetes"] }],
    });
  });

  it("leaves out other regions and the state bootstrap", () => {
    expect(sandboxStacks(APP, ["us-east-1"]).stacks).toEqual(["networking-us-east-1"]);
  });
});

describe("parallelSummary", () => {
  const run = (stack: string, resources: number): DeployResult => ({ stack, ok: true, resources, seconds: 0, output: "", logFile: "" });
  it("prints each stack's start, finish and own time, then the wall time beside the serial sum", () => {
    const result: ParallelDeployResult = {
      ok: false,
      stacks: [
        {
          stackId: "networking-us-east-2",
          dependencies: [],
          status: "deployed",
          startSecond: 0,
          finishSecond: 40.04,
          seconds: 40.04,
          run: run("networking-us-east-2", 23),
        },
        { stackId: "kubernetes-us-east-2", dependencies: ["networking-us-east-2"], status: "failed", startSecond: 40.04, finishSecond: 70, seconds: 29.96 },
        {
          stackId: "gitops-us-east-2",
          dependencies: ["kubernetes-us-east-2", "networking-us-east-2"],
          status: "not started",
          seconds: 0,
          reason: "needs kubernetes-us-east-2, which failed",
        },
      ],
      wallSeconds: 70,
      serialSeconds: 70,
      peakConcurrency: 1,
      error: "x",
    };
    expect(parallelSummary("recovery of us-east-2", result)).toBe(
      [
        "recovery of us-east-2:",
        "stack                   resources  start s  finish s  own s  after",
        "--------------------  -----------  -------  --------  -----  ------------------------------------------",
        "networking-us-east-2           23      0.0      40.0   40.0  -",
        "kubernetes-us-east-2       FAILED     40.0      70.0   30.0  networking-us-east-2",
        "gitops-us-east-2      NOT STARTED        -         -    0.0  kubernetes-us-east-2, networking-us-east-2",
        "wall 70.0 s; serial sum of the same stacks 70.0 s; at most 1 at once",
      ].join("\n"),
    );
  });
});

describe("the account a sandbox acts as", () => {
  const NEW = "345678901234";
  const assumed = { accessKeyId: "ASIAEXAMPLE0001", secretAccessKey: "secret-1", sessionToken: "token-1" };
  const variables = {
    DR_SANDBOX_ACCOUNT_ID: NEW,
    DR_SANDBOX_ACCESS_KEY_ID: assumed.accessKeyId,
    DR_SANDBOX_SECRET_ACCESS_KEY: assumed.secretAccessKey,
    DR_SANDBOX_SESSION_TOKEN: assumed.sessionToken,
  };

  it("is the emulator's own account with its dummy key unless DR_SANDBOX_ACCOUNT_ID names another", () => {
    expect(sandboxAccountFromEnvironment({})).toEqual({ accountId: "000000000042", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    expect(sandboxAccountFromEnvironment({ DR_SANDBOX_ACCOUNT_ID: "" })).toBe(EMULATOR_ACCOUNT);
    // Never the caller's AWS_* variables, which may be a real account's.
    expect(sandboxAccountFromEnvironment({ AWS_ACCESS_KEY_ID: "AKIAREAL", AWS_SECRET_ACCESS_KEY: "real" })).toBe(EMULATOR_ACCOUNT);
    expect(sandboxAccountFromEnvironment(variables)).toEqual({ accountId: NEW, credentials: assumed });
  });

  it("refuses another account without both keys, or an id that is not 12 digits, naming every variable", () => {
    expect(() => sandboxAccountFromEnvironment({ DR_SANDBOX_ACCOUNT_ID: NEW, AWS_ACCESS_KEY_ID: "AKIAREAL", AWS_SECRET_ACCESS_KEY: "real" })).toThrow(
      `DR_SANDBOX_ACCESS_KEY_ID and DR_SANDBOX_SECRET_ACCESS_KEY: both needed to act as account ${NEW} (credentials that act there, e.g. an AssumeRole's into one of its roles)`,
    );
    expect(() => sandboxAccountFromEnvironment({ ...variables, DR_SANDBOX_ACCOUNT_ID: "3456", DR_SANDBOX_SECRET_ACCESS_KEY: "" })).toThrow(
      'DR_SANDBOX_ACCOUNT_ID: must be a 12-digit account id of the emulator (got "3456"); DR_SANDBOX_ACCESS_KEY_ID and DR_SANDBOX_SECRET_ACCESS_KEY: both needed to act as account 3456 (credentials that act there, e.g. an AssumeRole\'s into one of its roles)',
    );
  });

  it("gives every process of the session that account and its credentials, and none of the caller's", () => {
    const session = sandboxSession(
      "/project",
      { endpoint: "https://127.0.0.1:5100", caFile: "/ca.pem" },
      "/project/.sandbox",
      sandboxAccountFromEnvironment(variables),
    );
    const env = sandboxProcessEnv(session, { PATH: "/bin", AWS_ACCESS_KEY_ID: "AKIAREAL", AWS_SESSION_TOKEN: "real-token", AWS_PROFILE: "prod", ...variables });
    expect(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith("AWS_") || k.startsWith("DR_SANDBOX_")))).toEqual({
      DR_SANDBOX_ENDPOINT: "https://127.0.0.1:5100",
      DR_SANDBOX_STATE_DIR: "/project/.sandbox/state",
      DR_SANDBOX_ACCOUNT_ID: NEW,
      AWS_CA_BUNDLE: "/ca.pem",
      AWS_ACCESS_KEY_ID: assumed.accessKeyId,
      AWS_SECRET_ACCESS_KEY: assumed.secretAccessKey,
      AWS_SESSION_TOKEN: assumed.sessionToken,
      AWS_EC2_METADATA_DISABLED: "true",
    });
    // The emulator's own account: its dummy key, and no session token left over from the caller.
    const own = sandboxProcessEnv(sandboxSession("/project", { endpoint: "https://127.0.0.1:5100", caFile: "/ca.pem" }), { AWS_SESSION_TOKEN: "real-token" });
    expect([own.DR_SANDBOX_ACCOUNT_ID, own.AWS_ACCESS_KEY_ID, own.AWS_SECRET_ACCESS_KEY, own.AWS_SESSION_TOKEN]).toEqual([
      "000000000042",
      "test",
      "test",
      undefined,
    ]);
  });

  it("signs the library's own calls (journal, report, state reads) with the same credentials", () => {
    const ca = path.join(tempDir("sandbox-account-"), "ca.pem");
    fs.writeFileSync(ca, "");
    const session = sandboxSession("/project", { endpoint: "https://127.0.0.1:5100", caFile: ca }, undefined, sandboxAccountFromEnvironment(variables));
    expect(emulatorClientSettings(session).credentials).toEqual(assumed);
  });
});
