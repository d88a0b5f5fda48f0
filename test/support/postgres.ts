import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { tempDir } from "./temp";

/**
 * A throwaway PostgreSQL server for tests: its own data folder under the temp folder, listening on
 * 127.0.0.1 on a free port with password authentication, stopped (and its folder removed) by the
 * test file that started it. The binaries come from Debian's `postgresql` package, which .ci/run
 * installs; PG_BINDIR points elsewhere when set.
 */
export interface PostgresServer {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** Superuser created by initdb. */
  readonly user: string;
  readonly password: string;
  /** Folder holding initdb, postgres, pg_dump, pg_restore and psql of one major version. */
  readonly binDir: string;
  /** Major version of the server, e.g. 15. */
  readonly major: number;
  /** `postgresql://user:password@127.0.0.1:port/database` */
  url(database?: string): string;
  /** libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) with binDir first on PATH. */
  env(database?: string): NodeJS.ProcessEnv;
  /** Runs SQL with psql (unaligned, tuples only) and returns its output; throws with psql's message on error. */
  psql(sql: string, database?: string): string;
  createDatabase(name: string): void;
  /**
   * A base backup of the whole server (pg_basebackup) into a new folder, returned: the start of a
   * point-in-time restore. Only for a server started with `walArchive`.
   */
  baseBackup(): string;
  /**
   * Ends the current WAL segment and waits until the archive holds it: every commit so far can be
   * replayed. Only for a server started with `walArchive`.
   */
  archiveWal(): Promise<void>;
  /**
   * A new server from `baseBackup`'s folder, with the archived WAL replayed up to `time` (ISO 8601)
   * and promoted: RDS's point-in-time restore, done by the engine RDS runs. Commits after `time` are
   * not in it. Only for a server started with `walArchive`.
   */
  restoreToTime(base: string, time: string): Promise<PostgresServer>;
  /**
   * A hot standby of this server fed by streaming replication (pg_basebackup -R, then the
   * walreceiver): what an RDS read replica runs (wal_level is replica unless set otherwise, a
   * promoted replica's included: a replica of a replica's promotion is a failback's reverse
   * replication). Its `replayedUpTo` waits until it has replayed every commit of this server
   * so far; `promote` ends its recovery, as RDS's PromoteReadReplica does.
   */
  streamingReplica(): Promise<PostgresReplica>;
  stop(): Promise<void>;
}

/** A streaming replica of a PostgresServer (`streamingReplica`). */
export interface PostgresReplica extends PostgresServer {
  /** Waits until the replica has replayed the source's WAL up to `lsn` (the source's pg_current_wal_lsn()). */
  replayedUpTo(lsn: string): Promise<void>;
  /** pg_promote(): the replica stops following and takes writes. */
  promote(): Promise<void>;
}

export interface PostgresOptions {
  readonly startTimeoutMs?: number;
  /**
   * Archive every WAL segment (wal_level replica, archive_mode on) into the server's folder, so that
   * `baseBackup` and `restoreToTime` can make a point-in-time copy.
   * @default false
   */
  readonly walArchive?: boolean;
}

/** Where the server binaries are: PG_BINDIR, else the newest /usr/lib/postgresql/<major>/bin (Debian's layout). */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  const debian = "/usr/lib/postgresql";
  if (fs.existsSync(debian)) {
    const majors = fs
      .readdirSync(debian)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...majors.map((major) => path.join(debian, major, "bin")));
  }
  const found = candidates.find((dir) => ["initdb", "postgres", "pg_dump", "pg_restore", "psql"].every((bin) => fs.existsSync(path.join(dir, bin))));
  if (!found) {
    throw new Error(
      `PostgreSQL binaries (initdb, postgres, pg_dump, pg_restore, psql) not found in ${candidates.join(", ") || debian}: ` +
        "install them with `apt-get install -y postgresql` (.ci/run does) or set PG_BINDIR",
    );
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root; as root, the server runs as the `postgres` user the Debian package creates. */
function serverIdentity(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const uid = id("-u");
  const gid = id("-g");
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error("running as root and there is no `postgres` user to run the server as (apt-get install -y postgresql creates it)");
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const binDir = postgresBinDir();
  const identity = serverIdentity();
  const root = tempDir("postgres-");
  const dataDir = path.join(root, "data");
  const passwordFile = path.join(root, "password");
  const user = "dr";
  const password = crypto.randomBytes(18).toString("base64url");
  fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  if (identity.uid !== undefined) {
    fs.chownSync(root, identity.uid, identity.gid!);
    fs.chownSync(passwordFile, identity.uid, identity.gid!);
  }

  const initdb = spawnSync(
    path.join(binDir, "initdb"),
    ["-D", dataDir, "-U", user, `--pwfile=${passwordFile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
    { encoding: "utf8", ...identity },
  );
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr || initdb.error?.message}`);
  fs.rmSync(passwordFile);
  let walArchive: string | undefined;
  if (options.walArchive) {
    walArchive = path.join(root, "wal-archive");
    fs.mkdirSync(walArchive);
    if (identity.uid !== undefined) fs.chownSync(walArchive, identity.uid, identity.gid!);
  }
  return launch({ binDir, identity, root, dataDir, user, password, walArchive, startTimeoutMs: options.startTimeoutMs });
}

/** An ISO 8601 time as recovery_target_time takes it. */
function pgTime(time: string): string {
  const parsed = new Date(time);
  if (Number.isNaN(parsed.getTime())) throw new Error(`restoreToTime: not a time: ${time}`);
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d+)?)Z$/.exec(time);
  if (!match) throw new Error(`restoreToTime: give the time in UTC as 2026-12-02T03:00:00(.fraction)Z (got ${time})`);
  return `${match[1]} ${match[2]}+00`;
}

interface Launch {
  readonly binDir: string;
  readonly identity: { uid?: number; gid?: number };
  /** The server's folder: its socket, its log, its WAL archive and base backups. */
  readonly root: string;
  readonly dataDir: string;
  readonly user: string;
  readonly password: string;
  readonly walArchive?: string;
  readonly startTimeoutMs?: number;
  /** Settings of a point-in-time copy (restore_command, recovery target). */
  readonly settings?: readonly string[];
  /** A hot standby: ready once it accepts connections, still in recovery. */
  readonly standby?: boolean;
}

/** Starts the server of `dataDir` on a free port and waits until it accepts connections (a copy: until its recovery ended). */
async function launch(launched: Launch): Promise<PostgresServer> {
  const { binDir, identity, root, dataDir, user, password, walArchive } = launched;
  const logFile = path.join(root, `server-${path.basename(dataDir)}.log`);
  const port = await freePort();
  const log = fs.openSync(logFile, "a");
  if (identity.uid !== undefined) fs.fchownSync(log, identity.uid, identity.gid!);
  let child: ChildProcess;
  try {
    // Durability is irrelevant for a throwaway server; fsync off keeps the tests fast.
    const args = ["-D", dataDir, "-p", String(port), "-k", root, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off"];
    if (walArchive) {
      // full_page_writes must be on for a base backup taken while the server runs.
      args.splice(args.indexOf("full_page_writes=off"), 1, "full_page_writes=on");
      args.push("-c", "wal_level=replica", "-c", "archive_mode=on", "-c", `archive_command=cp %p ${walArchive}/%f`);
    }
    for (const setting of launched.settings ?? []) args.push("-c", setting);
    child = spawn(path.join(binDir, "postgres"), args, { stdio: ["ignore", log, log], ...identity });
  } finally {
    fs.closeSync(log);
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const url = (database = "postgres") => `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const env = (database = "postgres"): NodeJS.ProcessEnv => ({
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PGHOST: "127.0.0.1",
    PGPORT: String(port),
    PGUSER: user,
    PGPASSWORD: password,
    PGDATABASE: database,
    PGCONNECT_TIMEOUT: "5",
  });
  const psql = (sql: string, database?: string) => {
    const result = spawnSync(path.join(binDir, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", sql], { env: env(database), encoding: "utf8" });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr.trim() || result.error?.message}`);
    return result.stdout.replace(/\n$/, "");
  };
  const poll = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + (launched.startTimeoutMs ?? 30_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}; its log: ${fs.readFileSync(logFile, "utf8")}`);
      if (done()) return;
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`postgres on 127.0.0.1:${port}: ${what}; its log: ${fs.readFileSync(logFile, "utf8")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await poll("did not accept connections", () => spawnSync(path.join(binDir, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-q"]).status === 0);
  // A point-in-time copy accepts connections (hot standby) while it replays: it is the copy once promoted.
  if (!launched.standby) await poll("did not end its recovery", () => psql("SELECT pg_is_in_recovery()") === "f");
  const major = Number(psql("SHOW server_version_num")) / 10000;
  const needArchive = (what: string): string => {
    if (!walArchive) throw new Error(`${what}: the server was started without walArchive`);
    return walArchive;
  };
  let copies = 0;

  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    binDir,
    major: Math.floor(major),
    url,
    env,
    psql,
    createDatabase: (name) => void psql(`CREATE DATABASE "${name.replace(/"/g, '""')}"`),
    baseBackup: () => {
      needArchive("baseBackup");
      copies += 1;
      const base = path.join(root, `base-${copies}`);
      const result = spawnSync(path.join(binDir, "pg_basebackup"), ["-D", base, "-X", "none", "-c", "fast", "--no-sync"], {
        env: env(),
        encoding: "utf8",
        ...identity,
      });
      if (result.status !== 0) throw new Error(`pg_basebackup failed: ${result.stderr.trim() || result.error?.message}`);
      return base;
    },
    archiveWal: async () => {
      needArchive("archiveWal");
      const segment = psql("SELECT pg_walfile_name(pg_switch_wal())");
      await poll(`did not archive ${segment}`, () => psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver") >= segment);
    },
    restoreToTime: async (base, time) => {
      const archive = needArchive("restoreToTime");
      copies += 1;
      const copy = path.join(root, `copy-${copies}`);
      fs.cpSync(base, copy, { recursive: true });
      fs.writeFileSync(path.join(copy, "recovery.signal"), "");
      if (identity.uid !== undefined) spawnSync("chown", ["-R", `${identity.uid}:${identity.gid}`, copy]);
      fs.chmodSync(copy, 0o700);
      return launch({
        ...launched,
        dataDir: copy,
        walArchive: undefined,
        // The setting's parser wants PostgreSQL's own form of the time ("2026-12-02 03:00:00.5+00").
        settings: [`restore_command=cp ${archive}/%f %p`, `recovery_target_time=${pgTime(time)}`, "recovery_target_action=promote"],
      });
    },
    streamingReplica: async () => {
      copies += 1;
      const copy = path.join(root, `replica-of-${port}-${copies}`); // a replica of a replica shares this folder: named by its source
      // -R writes standby.signal and primary_conninfo (this server's address and login); -X stream copies the WAL the backup needs.
      const result = spawnSync(path.join(binDir, "pg_basebackup"), ["-D", copy, "-R", "-X", "stream", "-c", "fast", "--no-sync"], {
        env: env(),
        encoding: "utf8",
        ...identity,
      });
      if (result.status !== 0) throw new Error(`pg_basebackup -R failed: ${result.stderr.trim() || result.error?.message}`);
      fs.chmodSync(copy, 0o700);
      const replica = await launch({ ...launched, dataDir: copy, walArchive: undefined, standby: true, settings: ["hot_standby=on"] });
      const replicaPoll = async (what: string, done: () => boolean) => {
        const deadline = Date.now() + 30_000;
        while (!done()) {
          if (Date.now() > deadline) throw new Error(`replica on 127.0.0.1:${replica.port}: ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      return {
        ...replica,
        replayedUpTo: (lsn) => replicaPoll(`did not replay up to ${lsn}`, () => replica.psql(`SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`) === "t"),
        promote: async () => {
          replica.psql("SELECT pg_promote(true, 30)");
          await replicaPoll("did not end its recovery", () => replica.psql("SELECT pg_is_in_recovery()") === "f");
        },
      };
    },
    stop: async () => {
      if (child.exitCode === null) {
        // SIGINT: fast shutdown (disconnect clients, no checkpoint wait beyond what is needed).
        child.kill("SIGINT");
        await exited;
      }
    },
  };
}
