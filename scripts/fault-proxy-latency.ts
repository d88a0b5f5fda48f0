/**
 * What the fault proxy adds to each call: the same small SDK calls against moto directly and
 * through the proxy, interleaved so both see the same machine load, median and 90th percentile.
 * Run: node --require sucrase/register/ts scripts/fault-proxy-latency.ts  (CALLS=200 by default).
 * A measurement for docs/fault-proxy.md, not a test: timings depend on the machine.
 */
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { ListRolesCommand, IAMClient } from "@aws-sdk/client-iam";
import { HeadBucketCommand, CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { portInUse, startEmulator, stopProcess, startFaultProxy, createLocalCertificate } from "../lib/tooling";

const CALLS = Number(process.env.CALLS ?? 200);
const WARMUP = 20;
const BUCKET = "latency";

function clients(endpoint: string, caFile: string, keepAlive: boolean) {
  const requestHandler = new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(caFile), keepAlive }) });
  const config = { endpoint, region: "us-east-2", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1, requestHandler };
  return { s3: new S3Client({ ...config, forcePathStyle: true }), iam: new IAMClient(config) };
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fault-proxy-latency-"));
  const tls = createLocalCertificate(dir);
  let port = 5800;
  while (await portInUse(port)) port++;
  const emulator = await startEmulator({ port, tls, logFile: path.join(dir, "emulator.log") });
  const proxy = await startFaultProxy({ upstream: emulator, tls });
  try {
    await clients(emulator.endpoint, emulator.caFile, true).s3.send(
      new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: "us-east-2" } }),
    );
    console.log(`${CALLS} calls each, ${os.cpus().length} cores, Node ${process.version}; milliseconds`);
    console.log("call                      connections   direct p50/p90   proxy p50/p90   added p50");
    for (const keepAlive of [true, false]) {
      const direct = clients(emulator.endpoint, emulator.caFile, keepAlive);
      const proxied = clients(proxy.endpoint, emulator.caFile, keepAlive);
      const calls = {
        "S3 HeadBucket (REST)": (c: typeof direct) => c.s3.send(new HeadBucketCommand({ Bucket: BUCKET })),
        "IAM ListRoles (query)": (c: typeof direct) => c.iam.send(new ListRolesCommand({})),
      };
      for (const [name, send] of Object.entries(calls)) {
        const times = { direct: [] as number[], proxy: [] as number[] };
        for (let i = 0; i < WARMUP + CALLS; i++) {
          for (const [which, client] of [
            ["direct", direct],
            ["proxy", proxied],
          ] as const) {
            const started = process.hrtime.bigint();
            await send(client);
            if (i >= WARMUP) times[which].push(Number(process.hrtime.bigint() - started) / 1e6);
          }
        }
        const [d50, d90, p50, p90] = [quantile(times.direct, 0.5), quantile(times.direct, 0.9), quantile(times.proxy, 0.5), quantile(times.proxy, 0.9)];
        console.log(
          `${name.padEnd(26)}${(keepAlive ? "keep-alive" : "new each").padEnd(14)}${`${d50.toFixed(2)}/${d90.toFixed(2)}`.padEnd(17)}${`${p50.toFixed(2)}/${p90.toFixed(2)}`.padEnd(16)}${(p50 - d50).toFixed(2)}`,
        );
      }
    }
  } finally {
    await proxy.close();
    stopProcess(emulator.pid);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
