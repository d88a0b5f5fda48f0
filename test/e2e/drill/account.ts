import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { BackupClient, DescribeBackupVaultCommand, GetBackupVaultAccessPolicyCommand } from "@aws-sdk/client-backup";
import { DescribeKeyCommand, GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type ListObjectsV2CommandOutput, type S3Client } from "@aws-sdk/client-s3";
import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { loadEnvironments, resolvePairs, type PrimaryEnvironment, type PrimarySide } from "../../../lib/environment";
import { environmentNames, recoveryJournalKey, recoveryReportPrefix, roleArn, vaultNames } from "../../../lib/naming";
import type { Journal } from "../../../lib/recovery/journal";
import type { RecoveryReport } from "../../../lib/recovery/report";
import { accountEdits, buildAccountPlan, editedEnvironment, type AccountEdit } from "../../../lib/recovery/scenarios/account";
import { EMULATOR_ACCOUNT_ID } from "../../../lib/targets/emulator-target";
import { UNKNOWN } from "../../../lib/tooling/fault-proxy";
import { SANDBOX_CREDENTIAL_VARIABLES } from "../../../lib/tooling/sandbox-session";
import { awsClients, outcome } from "../../support/aws";
import { REPO } from "../../support/run";
import { tempDir } from "../../support/temp";
import { ARCHIVES, ASSETS, PRIMARY, RECOVERY, runCollecting, type Drill } from "./context";

/** The account the primary is rebuilt in, and the role the on-call's credentials are taken from there. */
const NEW_ACCOUNT = "345678901234";
const NEW_ACCOUNT_ROLE = roleArn(NEW_ACCOUNT, "platform-rebuild");
/** The emulator's default account: the workload account that is lost (its base key is `test`). */
const LOST_ACCOUNT = EMULATOR_ACCOUNT_ID;

type Credentials = { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken: string };
const sha256 = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");

/**
 * The account scenario (issue 26 item 4), last: the workload account is lost and us-east-1 is
 * rebuilt in a new account (345678901234) from its vault (210987654321). Rows and objects are
 * written and archived in us-east-1; the vault is given what S3 replication would have copied
 * (moto replicates nothing: the emulator's gap s3-object-replication) and the Git credentials; the
 * fault layer then refuses every call signed by the lost account's keys, and the on-call's command,
 * `npm run sandbox -- rebuild-account us-east-1 --new-account 345678901234 --yes` (rebuild-account's
 * plan and executor with the emulator as the target, acting as the new account), rebuilds from the
 * vault with the files edited as its edit step lists. The archive the rebuild copied is loaded into
 * a fresh database of the drill's real PostgreSQL by the plan's own load command (moto's RDS holds
 * no data), every row and object is compared, and every call of the rebuild is counted by who signed it.
 */
export function accountLoss(drill: Drill): void {
  const vault = () => drill.primaryEnvironment().vault!;
  const vaultBuckets = () => vaultNames(drill.primaryEnvironment(), vault());
  const ROWS_BEFORE =
    "INSERT INTO orders SELECT i, 'account-customer-' || i, i * 11, '2026-12-01T00:00:00Z'::timestamptz + i * interval '1 second' FROM generate_series(7001, 7300) i";
  const ROWS_AFTER = "INSERT INTO orders SELECT i, 'after-the-copy-' || i, i, now() FROM generate_series(7301, 7350) i";
  const OBJECTS: Record<string, Buffer> = {
    "uploads/account/invoice-7001.pdf": crypto.randomBytes(64 * 1024 + 3),
    "uploads/account/avatar 7002.png": crypto.randomBytes(2048),
    "images/banner.svg": Buffer.from("<svg>account drill</svg>"),
  };
  const GIT_VALUE = JSON.stringify({ username: "flux", password: "drill-only" });

  // What the vault holds at the loss, recorded before it: the rebuild must bring back each.
  let rowsAtCopy = "";
  const vaultAssets: Record<string, string> = {};
  const vaultArchive: Record<string, string> = {};
  let snapshotAt = "";
  let archiveKey = "";
  let adopted: Record<string, string> = {};
  // The on-call's credentials in the new account, and what the lost account signs with.
  let newAccount: Credentials | undefined;
  let lostKeys: string[] = [];
  let environmentsDir = "";
  let rebuildSeconds = 0;

  const direct = (region: string, credentials?: Credentials) => awsClients(drill.emulator, region, credentials);
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the account drill's ${what} is not there (an earlier test of this scenario failed)`);
    return value;
  };
  const backup = (region: string, credentials: Credentials) =>
    new BackupClient({
      endpoint: drill.emulator.endpoint,
      region,
      credentials,
      requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(drill.emulator.caFile) }) }),
    });
  /** STS AssumeRole of `role` with `credentials`, straight to the emulator or through the fault layer. */
  const assume = async (role: string, credentials: { accessKeyId: string; secretAccessKey: string }, via: string): Promise<Credentials> => {
    const sts = new STSClient({
      endpoint: via,
      region: PRIMARY,
      credentials,
      requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(drill.emulator.caFile) }) }),
    });
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: "account-drill" }));
    return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  };
  const vaultRole = () => assume(roleArn(vault().accountId, vault().roleName), { accessKeyId: "test", secretAccessKey: "test" }, drill.emulator.endpoint);
  const keys = async (s3: S3Client, bucket: string, prefix = ""): Promise<string[]> => {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      found.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return found.sort();
  };
  const bytesOf = async (s3: S3Client, bucket: string, key: string) =>
    Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
  /** backup/table-checksums.sql's output on a database of the drill's PostgreSQL: every table's rows and checksum. */
  const checksums = (database: string) => {
    const result = spawnSync("psql", ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", path.join(REPO, "backup", "table-checksums.sql")], {
      env: drill.pg.env(database),
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`table-checksums.sql: ${result.stderr}`);
    return result.stdout;
  };

  /**
   * Stands in for S3 replication, which the emulator lacks (gap s3-object-replication): the
   * replication rules of the state bucket, the archive bucket and the assets bucket (each with an
   * empty filter: every object) copy into the vault's buckets as the destination account's objects,
   * under the same keys. Each object's current version is put with the vault role's credentials, as
   * the replica owned by the vault account that AccessControlTranslation makes it; Object Lock
   * applies on arrival (the buckets' default retention).
   */
  async function replicateIntoVault(): Promise<void> {
    const role = await vaultRole();
    const into = direct(vault().region, role).s3;
    const rules: [string, string, string][] = [
      [drill.primaryEnvironment().state.bucket, drill.primaryEnvironment().state.region, vaultBuckets().stateBucket],
      [ARCHIVES, RECOVERY, vaultBuckets().archivesBucket],
      [ASSETS, PRIMARY, vaultBuckets().assetsBucket],
    ];
    for (const [source, region, destination] of rules) {
      const from = direct(region).s3;
      for (const key of await keys(from, source)) {
        const object = await from.send(new GetObjectCommand({ Bucket: source, Key: key }));
        const body = Buffer.from(await object.Body!.transformToByteArray());
        await into.send(
          new PutObjectCommand({
            Bucket: destination,
            Key: key,
            Body: body,
            ...(object.ContentType ? { ContentType: object.ContentType } : {}),
            ChecksumAlgorithm: "SHA256",
          }),
        );
      }
    }
  }

  /** The shipped files as the plan's edit step lists them for the new account (accountEdits applied), importing the package's build. */
  function editedFiles(edits: readonly AccountEdit[]): string {
    const dir = path.join(tempDir("dr-account-environments-"), "environments");
    fs.mkdirSync(dir);
    for (const file of fs.readdirSync(path.join(REPO, "environments"))) {
      let text = fs
        .readFileSync(path.join(REPO, "environments", file), "utf8")
        .replace('from "../lib/environment"', `from ${JSON.stringify(path.join(REPO, "dist/lib/environment"))}`);
      for (const e of edits.filter((x) => x.file === `environments/${file}`)) {
        if (e.field === "accountId") text = text.replace(`accountId: ${JSON.stringify(e.from)},`, `accountId: ${JSON.stringify(e.to)},`);
        else if (e.field === "bucketSuffix" && e.from === undefined)
          text = text.replace(/^( {2}accountId: .*,)$/m, `$1\n  bucketSuffix: ${JSON.stringify(e.to)},`);
        else if (e.field === "state.bucket") text = text.replace(`bucket: ${JSON.stringify(e.from)}`, `bucket: ${JSON.stringify(e.to)}`);
        else if (e.field === "kubernetes.adminRoleArns" || e.field === "standby.alarmTopicArn") {
          const to = [e.to].flat() as string[];
          ([e.from].flat() as string[]).forEach((from, i) => (text = text.replace(from, to[i])));
        } else if (e.field === "broker.importDefinitions" && e.from === undefined) text = text.replace("broker: { ", "broker: { importDefinitions: true, ");
        else throw new Error(`the drill cannot make the edit ${e.file}: ${e.field} ${JSON.stringify(e.from)} -> ${JSON.stringify(e.to)} (add it here)`);
      }
      fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  afterAll(() => {
    // Nothing after this scenario should find the account lost.
    drill.proxy.setLostCredentials([]);
  });

  it("writes rows and objects in us-east-1 and archives the rows; the vault holds what replication copies, and the Git credentials", async () => {
    await drill.timed("account: write, archive, copy into the vault", async () => {
      const primary = direct(PRIMARY);
      for (const [key, body] of Object.entries(OBJECTS)) await primary.s3.send(new PutObjectCommand({ Bucket: ASSETS, Key: key, Body: body }));
      drill.pg.psql(`${ROWS_BEFORE}; UPDATE pages SET body = 'Welcome to the new account' WHERE slug = 'home';`, "app");
      rowsAtCopy = checksums("app");
      const archived = drill.archive("app", ARCHIVES, RECOVERY);
      expect({ status: archived.status, stderr: archived.stderr }).toEqual({ status: 0, stderr: "" });
      // The broker definitions export job's object (there is no broker to export from in the emulator).
      const stamp = new Date()
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z");
      await direct(RECOVERY).s3.send(
        new PutObjectCommand({
          Bucket: ARCHIVES,
          Key: `rabbitmq/${stamp}/definitions.json`,
          Body: JSON.stringify({ rabbit_version: "3.13.7", vhosts: [{ name: "/" }], queues: [{ name: "orders", vhost: "/", durable: true }] }),
          ContentType: "application/json",
          ChecksumAlgorithm: "SHA256",
        }),
      );
      await replicateIntoVault();
      // The bootstrap's step 4 (docs/vault.md): the operator puts the Git credentials into the vault's secret.
      const role = await vaultRole();
      await direct(vault().region, role).secrets.send(
        new PutSecretValueCommand({ SecretId: drill.primaryEnvironment().flux.gitCredentialsSecretName, SecretString: GIT_VALUE }),
      );
    });
    // Written after the last copy: the rebuild must not have these (its recovery point is the copy's archive).
    drill.pg.psql(ROWS_AFTER, "app");

    // What the vault holds, read with its role: the assets, the newest archive and definitions export.
    const role = await vaultRole();
    const inVault = direct(vault().region, role).s3;
    for (const key of await keys(inVault, vaultBuckets().assetsBucket)) vaultAssets[key] = sha256(await bytesOf(inVault, vaultBuckets().assetsBucket, key));
    for (const key of Object.keys(OBJECTS)) expect({ key, sha256: vaultAssets[key] }).toEqual({ key, sha256: sha256(OBJECTS[key]) });
    const manifests = (await keys(inVault, vaultBuckets().archivesBucket, "postgres/app/")).filter((k) => k.endsWith("/manifest.json"));
    const newest = manifests[manifests.length - 1];
    const manifest = JSON.parse((await bytesOf(inVault, vaultBuckets().archivesBucket, newest)).toString("utf8"));
    snapshotAt = manifest.snapshotAt;
    archiveKey = newest.replace(/manifest\.json$/, "archive.dump");
    const definitions = (await keys(inVault, vaultBuckets().archivesBucket, "rabbitmq/")).filter((k) => k.endsWith("/definitions.json")).pop()!;
    for (const key of [...(await keys(inVault, vaultBuckets().archivesBucket, newest.replace(/manifest\.json$/, ""))), definitions])
      vaultArchive[key] = sha256(await bytesOf(inVault, vaultBuckets().archivesBucket, key));
    expect(manifest.tables.map((t: { table: string; rows: number }) => `${t.table} ${t.rows}`).sort()).toEqual(["orders 5300", "pages 2"]);

    // The vault's resources before the rebuild: its deploy in the new account must adopt these, not make others.
    const vaultAws = direct(vault().region, role);
    adopted = {
      secret: (await vaultAws.secrets.send(new DescribeSecretCommand({ SecretId: drill.primaryEnvironment().flux.gitCredentialsSecretName }))).ARN!,
      key: (await vaultAws.kms.send(new DescribeKeyCommand({ KeyId: vaultBuckets().keyAlias }))).KeyMetadata!.Arn!,
      backupVault: (await backup(vault().region, role).send(new DescribeBackupVaultCommand({ BackupVaultName: vaultBuckets().backupVault }))).BackupVaultArn!,
    };
    drill.report.push(
      `  account: the vault holds ${Object.keys(vaultAssets).length} assets, the archive ${archiveKey} (snapshot ${snapshotAt}) and ${definitions}; 50 rows written after the copy`,
    );
  });

  it("loses the workload account: every call signed by its keys is refused; the on-call holds credentials of the new account", async () => {
    // Taken before the loss (an AssumeRole into a role of the new account: its credentials act there).
    newAccount = await assume(NEW_ACCOUNT_ROLE, { accessKeyId: "test", secretAccessKey: "test" }, drill.proxy.endpoint);
    lostKeys = ["test", ...drill.proxy.accessKeysAssumedInto(LOST_ACCOUNT)];
    drill.proxy.setLostCredentials(lostKeys);
    drill.proxy.reset();
    const lost = awsClients({ endpoint: drill.proxy.endpoint, caFile: drill.emulator.caFile }, PRIMARY);
    expect(await outcome(() => lost.s3.send(new ListObjectsV2Command({ Bucket: ASSETS })))).toBe("InvalidAccessKeyId");
    expect(drill.proxy.calls().map((c) => [c.accessKeyId, c.refused])).toEqual([["test", true]]);
    drill.proxy.reset();
    // The data is still in the emulator, as a closed account's is with AWS: unreachable, not gone.
    expect(await outcome(() => direct(PRIMARY).s3.send(new ListObjectsV2Command({ Bucket: ASSETS })))).toBe("ok");
  });

  it("rebuild-account us-east-1 --new-account 345678901234 (the on-call's executor, as the new account): every step done or skipped by the emulator with its reason", async () => {
    const credentials = need(newAccount, "new account's credentials");
    const shipped = loadEnvironments(path.join(REPO, "environments")).map((l) => l.environment);
    const side = resolvePairs(shipped).find((s) => s.environment.region === PRIMARY) as PrimarySide;
    const edits = accountEdits(side, NEW_ACCOUNT);
    environmentsDir = editedFiles(edits);
    // The files say exactly what the edit step lists: nothing more, nothing less.
    const edited = loadEnvironments(environmentsDir).map((l) => l.environment);
    for (const environment of edited)
      expect(environment).toEqual(
        editedEnvironment(
          shipped.find((e) => e.region === environment.region)!,
          edits,
        ),
      );
    expect(accountEdits(resolvePairs(edited).find((s) => s.environment.region === PRIMARY) as PrimarySide, NEW_ACCOUNT)).toEqual([]);

    const started = Date.now();
    const run = await drill.timed("account: npm run sandbox -- rebuild-account us-east-1 --new-account 345678901234 --yes", () =>
      drill.sandboxRecover(["--new-account", NEW_ACCOUNT, "--yes"], {
        command: ["rebuild-account", PRIMARY],
        env: {
          DR_ENVIRONMENTS_DIR: environmentsDir,
          DR_SANDBOX_ACCOUNT_ID: NEW_ACCOUNT,
          [SANDBOX_CREDENTIAL_VARIABLES.accessKeyId]: credentials.accessKeyId,
          [SANDBOX_CREDENTIAL_VARIABLES.secretAccessKey]: credentials.secretAccessKey,
          [SANDBOX_CREDENTIAL_VARIABLES.sessionToken]: credentials.sessionToken,
        },
      }),
    );
    rebuildSeconds = (Date.now() - started) / 1000;
    drill.report.push(`  rebuild-account:\n${run.stderr.replace(/^/gm, "    ")}`);
    const logs = [...run.stderr.matchAll(/its log: (\S+\.log)/g)].map((m) => m[1]).filter((f, i, all) => all.indexOf(f) === i && fs.existsSync(f));
    if (run.status !== 0) {
      const tails = logs.map((f) => `${f}:\n${fs.readFileSync(f, "utf8").split("\n").slice(-40).join("\n")}`);
      throw new Error(`rebuild-account exited ${run.status}:\n${run.stderr.split("\n").slice(-30).join("\n")}\n${tails.join("\n")}`);
    }

    // The journal, in the new account's state bucket.
    const primary = edited.find((e) => e.region === PRIMARY) as PrimaryEnvironment;
    const journal = JSON.parse(
      (await bytesOf(direct(primary.state.region, credentials).s3, primary.state.bucket, recoveryJournalKey(PRIMARY))).toString("utf8"),
    ) as Journal;
    expect(Object.fromEntries(Object.entries(journal.steps).map(([id, s]) => [id, s.status]))).toEqual({
      declare: "done",
      edit: "done",
      preflight: "done",
      synth: "done",
      "state-bucket": "done",
      "vault-state": "done",
      "deploy:dns-us-east-1": "done",
      "deploy:networking-us-east-1": "done",
      "deploy:vault-us-east-1": "done",
      "deploy:application-us-east-1": "done",
      "deploy:kubernetes-us-east-1": "done",
      "deploy:gitops-us-east-1": "skipped",
      "git-credentials": "done",
      archive: "done",
      load: "skipped",
      "deploy:workloads-us-east-1": "skipped",
      sops: "done",
      assets: "done",
      images: "skipped",
      flux: "skipped",
      "name-servers": "done",
      smoke: "skipped",
      "deploy:standby-us-east-2": "done",
      "deploy:networking-us-east-2": "done",
    });
    expect(journal.runs.map((r) => r.caller)).toEqual([expect.stringMatching(new RegExp(`^arn:aws:sts::${NEW_ACCOUNT}:assumed-role/`))]);
    // The executor's report, in the new hosting-services bucket (in drRegion).
    const hosting = environmentNames(primary).hostingServicesBucket;
    const reports = (await keys(direct(RECOVERY, credentials).s3, hosting, recoveryReportPrefix(PRIMARY))).filter((k) => k.endsWith("/report.json"));
    expect(reports).toEqual([`${recoveryReportPrefix(PRIMARY)}${journal.recoveryId}/report.json`]);
    const report = JSON.parse((await bytesOf(direct(RECOVERY, credentials).s3, hosting, reports[0])).toString("utf8")) as RecoveryReport;
    expect(report).toMatchObject({ region: PRIMARY, scenario: "account", recoveryId: journal.recoveryId });
    drill.report.push(
      `  account rebuild: ${rebuildSeconds.toFixed(1)} s wall; report s3://${hosting}/${reports[0]}: measured ${report.measuredMinutes} min against ${report.objectiveMinutes}; not measured: ${report.notMeasured.length} steps the emulator cannot serve`,
    );
  });

  it("no call of the rebuild is signed by the lost account: each is the new account's or the vault role's it assumed", () => {
    const credentials = need(newAccount, "new account's credentials");
    // Keys issued after the loss into the lost account would be lost too: none may have acted.
    const lost = [...new Set([...lostKeys, ...drill.proxy.accessKeysAssumedInto(LOST_ACCOUNT)])];
    expect(drill.proxy.callsSignedBy(lost).filter((c) => !c.refused)).toEqual([]);
    // The rebuild's own keys: the new account's, and what it assumed (the vault role, by Terraform's vault provider and by from-vault).
    const ours = new Set([credentials.accessKeyId]);
    const assumed = drill.proxy.assumedCredentials().filter((c) => ours.has(c.assumedWith));
    for (const c of assumed) ours.add(c.accessKeyId);
    expect([...new Set(assumed.map((c) => c.accountId))].sort()).toEqual([vault().accountId]);
    const calls = drill.proxy.calls();
    // The sandbox asks the emulator's own API whether it runs (unsigned, not an AWS call).
    const aws = calls.filter((c) => !(c.accessKeyId === UNKNOWN && c.action.startsWith("GET /moto-api")));
    expect(aws.filter((c) => !ours.has(c.accessKeyId)).map((c) => `${c.accessKeyId} ${c.service} ${c.action}`)).toEqual([]);
    const byNew = aws.filter((c) => c.accessKeyId === credentials.accessKeyId).length;
    drill.report.push(
      `  account rebuild: ${aws.length} AWS calls, ${byNew} signed by the new account ${NEW_ACCOUNT}, ${aws.length - byNew} by the vault role it assumed ${assumed.length} times (${vault().accountId}), 0 by the lost account ${LOST_ACCOUNT} (lost keys: ${lost.join(", ")})`,
    );
    expect(aws.length).toBeGreaterThan(0);
  });

  it("every row the vault's archive holds is back: the plan's load command (verify-backup --target) loads it into a fresh PostgreSQL database and passes", async () => {
    const credentials = need(newAccount, "new account's credentials");
    const edited = loadEnvironments(environmentsDir).map((l) => l.environment);
    const side = resolvePairs(edited).find((s) => s.environment.region === PRIMARY) as PrimarySide;
    const manifest = JSON.parse(fs.readFileSync(path.join(drill.session.outDir, "manifest.json"), "utf8"));
    const [printed] = buildAccountPlan(side, manifest, NEW_ACCOUNT).steps.find((s) => s.id === "load")!.commands;
    // Only the target differs: the printed one finds the new database's host and secret in RDS.
    expect(printed).toMatch(/^npx dr-platform verify-backup us-east-2 --target "postgresql:\/\/dbadmin:\$\(aws secretsmanager /);
    drill.pg.createDatabase("rebuilt");
    // The target is the line's last argument; its value nests quotes (the secret read by node -e).
    const line = `${printed.slice("npx dr-platform ".length, printed.indexOf(' --target "'))} --target "${drill.pg.url("rebuilt")}"`;
    const result = await runCollecting("sh", ["-c", `node ${JSON.stringify(path.join(REPO, "dist", "cli", "main.js"))} ${line}`], {
      cwd: REPO,
      env: {
        ...process.env,
        DR_ENVIRONMENTS_DIR: environmentsDir,
        DR_SANDBOX_ENDPOINT: drill.proxy.endpoint,
        NODE_EXTRA_CA_CERTS: drill.emulator.caFile,
        PG_BINDIR: drill.pg.binDir,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SESSION_TOKEN: credentials.sessionToken,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      },
    });
    drill.report.push(`  account: ${line.replace(/postgresql:\/\/[^@]*@/, "postgresql://<user>:<password>@")}\n${result.output.trim().replace(/^/gm, "    ")}`);
    expect({ status: result.status, pass: result.output.split("\n").find((l) => /^(PASS|FAIL)/.test(l)) }).toEqual({
      status: 0,
      pass: "PASS: every table's row count and checksum match the manifest",
    });
    expect(result.output).toContain(`recovery point: ${snapshotAt}`);
    // Independently of the manifest: every table's rows and checksum as they were when the vault got its copy.
    expect(checksums("rebuilt")).toBe(rowsAtCopy);
    expect(drill.pg.psql("SELECT count(*) FROM orders WHERE id BETWEEN 7001 AND 7300", "rebuilt")).toBe("300");
    expect(drill.pg.psql("SELECT count(*) FROM orders WHERE id > 7300", "rebuilt")).toBe("0");
    drill.report.push(
      `  account: recovery point ${snapshotAt} (the vault's newest archive ${archiveKey}); 5300 orders and 2 pages back by checksum, the 50 rows written after the copy not (as the recovery point says)`,
    );
  });

  it("every object the vault holds is back in the new account's buckets, byte for byte, and the vault stack adopted the vault's resources", async () => {
    const credentials = need(newAccount, "new account's credentials");
    const primary = loadEnvironments(environmentsDir).find((l) => l.environment.region === PRIMARY)!.environment as PrimaryEnvironment;
    const names = environmentNames(primary);
    const assets = direct(PRIMARY, credentials).s3;
    for (const [key, digest] of Object.entries(vaultAssets))
      expect({ key, sha256: sha256(await bytesOf(assets, names.assetsBucket, key)) }).toEqual({ key, sha256: digest });
    const hosting = direct(RECOVERY, credentials).s3;
    for (const [key, digest] of Object.entries(vaultArchive))
      expect({ key, sha256: sha256(await bytesOf(hosting, names.hostingServicesBucket, key)) }).toEqual({ key, sha256: digest });
    // The Git credentials, from the vault's secret.
    expect((await direct(PRIMARY, credentials).secrets.send(new GetSecretValueCommand({ SecretId: primary.flux.gitCredentialsSecretName }))).SecretString).toBe(
      GIT_VALUE,
    );

    // The vault's secret, key and backup vault are the ones it had (adopted, not made again), and now admit the new account.
    const role = await vaultRole();
    const vaultAws = direct(vault().region, role);
    const now = {
      secret: (await vaultAws.secrets.send(new DescribeSecretCommand({ SecretId: primary.flux.gitCredentialsSecretName }))).ARN!,
      key: (await vaultAws.kms.send(new DescribeKeyCommand({ KeyId: vaultBuckets().keyAlias }))).KeyMetadata!.Arn!,
      backupVault: (await backup(vault().region, role).send(new DescribeBackupVaultCommand({ BackupVaultName: vaultBuckets().backupVault }))).BackupVaultArn!,
    };
    expect(now).toEqual(adopted);
    const keyPolicy = (await vaultAws.kms.send(new GetKeyPolicyCommand({ KeyId: now.key, PolicyName: "default" }))).Policy!;
    const vaultPolicy = (await backup(vault().region, role).send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vaultBuckets().backupVault })))
      .Policy!;
    // The shipped files' account (the one the peacetime deploy named in the vault's policies).
    const before = loadEnvironments(path.join(REPO, "environments")).find((l) => l.environment.region === PRIMARY)!.environment.accountId;
    for (const [what, policy] of [
      ["key policy", keyPolicy],
      ["backup vault policy", vaultPolicy],
    ])
      expect({ what, admits: policy.includes(NEW_ACCOUNT), names: policy.includes(before) }).toEqual({ what, admits: true, names: false });
    drill.report.push(
      `  account: ${Object.keys(vaultAssets).length} assets and ${Object.keys(vaultArchive).length} archive objects back byte for byte; the vault's secret, key and backup vault adopted and admitting ${NEW_ACCOUNT}`,
    );
  });
}
