import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { S3Client } from "@aws-sdk/client-s3";
import { stateStackId } from "../naming";
import { awsClient, type ClientSettings } from "../operations/aws/clients";
import { failureKind } from "../operations/aws/errors";
import { getObjectText } from "../operations/aws/s3-objects";
import type { SandboxSession } from "./sandbox-session";

/**
 * Where a synthesized stack keeps its state in the sandbox, read from its cdk.tf.json as Terraform
 * reads it: the environment's state bucket in the emulator (every environment stack), or a local
 * file (the state bucket's own bootstrap).
 */
export type StateHome =
  { readonly kind: "s3"; readonly bucket: string; readonly key: string; readonly region: string } | { readonly kind: "local"; readonly path: string };

/** A Terraform state, as far as the sandbox reads it. */
export interface TerraformState {
  readonly resources?: readonly { readonly mode: string; readonly type: string; readonly name: string; readonly instances: readonly unknown[] }[];
  readonly outputs?: Readonly<Record<string, { readonly value: unknown }>>;
}

/** The backend of `stack` in the session's synthesized output. */
export function stateHome(session: SandboxSession, stack: string): StateHome {
  const json = JSON.parse(fs.readFileSync(path.join(session.outDir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const backend = json.terraform?.backend ?? {};
  if (backend.s3) return { kind: "s3", bucket: backend.s3.bucket, key: backend.s3.key, region: backend.s3.region };
  if (backend.local) return { kind: "local", path: backend.local.path };
  throw new Error(`${stack}: no s3 or local backend in its cdk.tf.json (got ${Object.keys(backend).join(", ") || "none"})`);
}

/** The settings of AWS clients that talk to the sandbox's emulator: its endpoint, the session account's emulator credentials, its certificate. */
export function emulatorClientSettings(session: SandboxSession): ClientSettings {
  return {
    endpoint: session.endpoint,
    credentials: session.account.credentials,
    httpsAgent: new https.Agent({ ca: fs.readFileSync(session.caFile) }),
  };
}

/** An S3 client of the emulator in `region`. */
export function emulatorS3(session: SandboxSession, region: string): S3Client {
  return awsClient(S3Client, region, emulatorClientSettings(session));
}

/** The stack's state; undefined when it has none (never deployed). */
export async function readStackState(session: SandboxSession, stack: string): Promise<TerraformState | undefined> {
  const home = stateHome(session, stack);
  if (home.kind === "local") return fs.existsSync(home.path) ? (JSON.parse(fs.readFileSync(home.path, "utf8")) as TerraformState) : undefined;
  try {
    return JSON.parse(await getObjectText(emulatorS3(session, home.region), home.bucket, home.key)) as TerraformState;
  } catch (error) {
    if (failureKind(error) === "not-found") return undefined;
    throw error;
  }
}

/** Managed resource instances in a state (0 without one). */
export function resourceCount(state: TerraformState | undefined): number {
  return (state?.resources ?? []).filter((r) => r.mode === "managed").reduce((sum, r) => sum + r.instances.length, 0);
}

/** Which of `stacks` have a state (were deployed). */
export async function deployedStacks(session: SandboxSession, stacks: readonly string[]): Promise<Set<string>> {
  const states = await Promise.all(stacks.map(async (id) => [id, await readStackState(session, id)] as const));
  return new Set(states.filter(([, state]) => state !== undefined).map(([id]) => id));
}

/**
 * The state bootstrap stacks (`state-<bucket>`) the given stacks keep their state in: deployed
 * first, before anything else (a real account's step zero), and only once.
 */
export function stateStacksOf(session: SandboxSession, manifest: { readonly stacks: Readonly<Record<string, unknown>> }, stacks: readonly string[]): string[] {
  const buckets = new Set(stacks.map((id) => stateHome(session, id)).flatMap((home) => (home.kind === "s3" ? [home.bucket] : [])));
  return [...buckets]
    .map(stateStackId)
    .filter((id) => id in manifest.stacks)
    .sort();
}
