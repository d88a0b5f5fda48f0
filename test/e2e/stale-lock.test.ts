import { CreateBucketCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { StepRecord } from "../../lib/recovery/journal";
import type { PlanStep } from "../../lib/recovery/plan";
import { stepRunner, type ExecutionTarget } from "../../lib/recovery/run-step";
import { terraformProcessEnv } from "../../lib/tooling/terraform-cli";
import { awsClients, outcome } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { tempDir } from "../support/temp";

/**
 * A state lock left by a Terraform that was killed (the interrupted attempt of a recovery step),
 * made by a real Terraform against the state bucket in the emulator (S3-native locking, as every
 * stack's backend has it): `terraform console` takes the lock and is killed with SIGKILL, which
 * leaves `<key>.tflock`. The step runner releases it only when the journal proves it is the
 * interrupted attempt's own, and otherwise names the lock and the command that releases it.
 */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 5760 });
const BUCKET = "acme-state";
const KEY = "stacks/replication-us-east-2.tfstate";

let stackDir: string;
let env: NodeJS.ProcessEnv;

/** A synthesized stack's folder as cdktf leaves it: its backend only (no provider is needed to lock a state). */
beforeAll(async () => {
  const { endpoint, caFile } = emulator.current();
  await awsClients(emulator.current(), "us-east-1").s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  stackDir = path.join(tempDir("stale-lock-"), "stacks", "replication-us-east-2");
  fs.mkdirSync(stackDir, { recursive: true });
  const backend = {
    bucket: BUCKET,
    key: KEY,
    region: "us-east-1",
    encrypt: true,
    use_lockfile: true,
    endpoints: { s3: endpoint },
    use_path_style: true,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  };
  fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify({ terraform: { backend: { s3: backend } } }));
  env = { ...terraformProcessEnv(), AWS_CA_BUNDLE: caFile, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", CHECKPOINT_DISABLE: "1" };
  const init = await sh("terraform init -input=false -no-color");
  expect({ status: init.status, output: init.status === 0 ? "" : init.output }).toEqual({ status: 0, output: "" });
});

function sh(command: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { cwd: stackDir, env });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("close", (status) => resolve({ status, output }));
  });
}

const lockExists = () => outcome(() => awsClients(emulator.current(), "us-east-1").s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${KEY}.tflock` })));

/** An attempt killed while Terraform held the lock: its start and end, as the journal records them. */
async function killedAttempt(): Promise<{ startedAt: string; endedAt: string }> {
  expect(await lockExists()).toBe("NotFound");
  const startedAt = new Date().toISOString();
  const console = spawn("terraform", ["console", "-no-color"], { cwd: stackDir, env, stdio: ["pipe", "pipe", "pipe"] });
  const closed = new Promise<number | null>((resolve) => console.once("close", resolve));
  // Once the console holds the lock it is killed, as a grace period's SIGKILL would kill a deploy.
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      void lockExists().then((found) => {
        if (found === "ok") {
          clearInterval(poll);
          resolve();
        }
      });
    }, 200);
    void closed.then((status) => {
      clearInterval(poll);
      reject(new Error(`terraform console ended (exit ${status}) before it held the lock`));
    });
  });
  console.kill("SIGKILL");
  await closed;
  return { startedAt, endedAt: new Date().toISOString() };
}

const target = (): ExecutionTarget => ({ description: "the emulator", cwd: stackDir, env: () => env, command: (c) => c, unserved: () => undefined });
const deploy: PlanStep = {
  id: "deploy:replication-us-east-2",
  title: "Deploy replication-us-east-2",
  kind: "deploy",
  stack: "replication-us-east-2",
  commands: ["terraform plan -input=false -no-color -lock-timeout=0s"],
  after: [],
  phase: "after-serving",
};
const runner = () => stepRunner({ target: target(), logDir: tempDir("logs-"), yes: true, stackDir: () => stackDir });

it("a lock the interrupted attempt left is released and the step's command runs again", async () => {
  const attempt = await killedAttempt();
  expect(await lockExists()).toBe("ok");
  const previous: StepRecord = {
    status: "pending",
    attempts: 1,
    ...attempt,
    detail: "interrupted: stopped while running: npx cdktf deploy replication-us-east-2",
  };

  const result = await runner()(deploy, { attempt: 2, signal: new AbortController().signal, previous });

  expect({ status: result.status, detail: result.detail }).toEqual({ status: "done", detail: undefined });
  expect(result.outputs?.released).toMatch(
    new RegExp(
      `^state lock lock [0-9a-f-]{36} was taken at \\S+ by the attempt interrupted at ${attempt.endedAt.replace(/\./g, "\\.")}, whose processes had ended$`,
    ),
  );
  const log = fs.readFileSync(result.outputs!.log, "utf8");
  expect(log).toContain("Error acquiring the state lock");
  expect(log).toContain(`terraform force-unlock -force ${/lock ([0-9a-f-]{36})/.exec(result.outputs!.released)![1]}`);
  expect(await lockExists()).toBe("NotFound");
});

it("a lock no interrupted attempt of this step explains is left alone: the step fails naming it and the command that releases it", async () => {
  await killedAttempt();
  // The journal's previous attempt of this step failed (not interrupted): the lock may be a live run elsewhere.
  const previous: StepRecord = {
    status: "pending",
    attempts: 1,
    startedAt: "2026-12-01T10:00:00.000Z",
    endedAt: "2026-12-01T10:05:00.000Z",
    detail: "exited 1",
  };

  const result = await runner()(deploy, { attempt: 2, signal: new AbortController().signal, previous });

  expect(result.status).toBe("failed");
  const id = /lock ([0-9a-f-]{36})/.exec(result.detail ?? "")?.[1];
  expect(id).toBeDefined();
  expect(result.detail).toContain(
    `not released: the step's previous attempt was not interrupted by this executor (its processes may still run); the state is locked (lock ${id}, OperationTypeInvalid by `,
  );
  expect(result.detail).toContain(`if no other deploy of this stack is running, release it: cd ${stackDir} && terraform force-unlock ${id}`);
  expect(result.outputs?.released).toBeUndefined();
  expect(await lockExists()).toBe("ok");
});
