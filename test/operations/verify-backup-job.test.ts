import * as fs from "fs";
import * as path from "path";
import { verifyBackupJob } from "../../lib/operations/verify-backup-job";
import { REPO } from "../support/run";
import { PINNED, REGISTRY_US_EAST_2 } from "../support/images";

const base = {
  namespace: "dr",
  bucket: "acme-hosting-services-us-east-1",
  region: "us-east-2",
  registry: REGISTRY_US_EAST_2,
  serviceAccountName: "verify-backup",
  targetSecretName: "verify-backup-target",
};

const jobOf = (list: ReturnType<typeof verifyBackupJob>) => list.items[1] as any;

describe("verifyBackupJob", () => {
  it("puts the verification scripts, as they are in backup/, into a ConfigMap", () => {
    const [configMap] = verifyBackupJob(base).items as any[];
    expect(configMap).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "verify-backup", namespace: "dr" },
      data: {
        "verify-archive.sh": fs.readFileSync(path.join(REPO, "backup/verify-archive.sh"), "utf8"),
        // What verify-archive.sh sources.
        "script-common.sh": fs.readFileSync(path.join(REPO, "backup/script-common.sh"), "utf8"),
        "table-checksums.sql": fs.readFileSync(path.join(REPO, "backup/table-checksums.sql"), "utf8"),
      },
    });
  });

  it("fetches with the pinned aws CLI and restores with the pinned postgres 16 client (from the recovery region's registry), target URL from a secret", () => {
    const spec = jobOf(verifyBackupJob(base)).spec.template.spec;
    expect(spec.serviceAccountName).toBe("verify-backup");
    expect(spec.restartPolicy).toBe("Never");
    expect(spec.initContainers.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["fetch", PINNED.awsCli(), ["/bin/sh", "/scripts/verify-archive.sh", "fetch"]],
    ]);
    expect(spec.containers.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["restore", PINNED.postgres(), ["/bin/sh", "/scripts/verify-archive.sh", "restore"]],
    ]);
    expect(spec.initContainers[0].env).toEqual([
      { name: "ARCHIVE_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "ARCHIVE_BUCKET", value: "acme-hosting-services-us-east-1" },
      { name: "AWS_REGION", value: "us-east-2" },
    ]);
    expect(spec.containers[0].env).toEqual([
      { name: "ARCHIVE_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "TARGET_URL", valueFrom: { secretKeyRef: { name: "verify-backup-target", key: "url" } } },
    ]);
    expect(spec.volumes).toEqual([
      { name: "scripts", configMap: { name: "verify-backup", defaultMode: 0o555 } },
      { name: "work", emptyDir: { sizeLimit: "20Gi" } },
      { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
    ]);
    expect(jobOf(verifyBackupJob(base)).spec.backoffLimit).toBe(0);
  });

  it("runs every container as a numeric non-root user, read-only, without capabilities, with requests and limits", () => {
    const spec = jobOf(verifyBackupJob(base)).spec.template.spec;
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: "RuntimeDefault" } });
    for (const container of [...spec.initContainers, ...spec.containers]) {
      expect(container.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 999,
        runAsGroup: 999,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(container.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } });
    }
  });

  it("selects one archive by key, or the newest of one database", () => {
    const env = (options: object) => jobOf(verifyBackupJob({ ...base, ...options })).spec.template.spec.initContainers[0].env.slice(4);
    expect(env({ archiveKey: "postgres/app/20261120T030000Z/" })).toEqual([{ name: "ARCHIVE_KEY", value: "postgres/app/20261120T030000Z/" }]);
    expect(env({ database: "app" })).toEqual([{ name: "ARCHIVE_DATABASE", value: "app" }]);
    expect(env({})).toEqual([]);
  });

  it("takes a name, space and resources", () => {
    const resources = { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } };
    const list = verifyBackupJob({ ...base, name: "verify-nightly", archiveSpace: "100Gi", resources });
    expect(list.items.map((item: any) => item.metadata.name)).toEqual(["verify-nightly", "verify-nightly"]);
    const spec = jobOf(list).spec.template.spec;
    expect(spec.volumes[1]).toEqual({ name: "work", emptyDir: { sizeLimit: "100Gi" } });
    expect(spec.containers[0].resources).toEqual(resources);
  });

  it("is printable as JSON without a secret in it", () => {
    const printed = JSON.stringify(verifyBackupJob(base));
    expect(printed).not.toMatch(/postgresql:\/\/[^"]*:[^"]*@/);
    expect(JSON.parse(printed)).toEqual(verifyBackupJob(base));
  });

  describe("validation", () => {
    it.each([["Verify"], ["-x"], ["a".repeat(53)]])("refuses the name %s", (name) => {
      expect(() => verifyBackupJob({ ...base, name })).toThrow(
        `verifyBackupJob: name must be a DNS label of at most 52 characters (got ${JSON.stringify(name)})`,
      );
    });

    it("refuses a key together with a database", () => {
      expect(() => verifyBackupJob({ ...base, archiveKey: "postgres/app/x/", database: "app" })).toThrow(
        "verifyBackupJob: archiveKey and database exclude each other: a key names one archive already",
      );
    });

    it.each(["namespace", "bucket", "region", "serviceAccountName", "targetSecretName"])("refuses an empty %s, listing every problem", (field) => {
      expect(() => verifyBackupJob({ ...base, [field]: "", name: "X" })).toThrow(
        `verifyBackupJob: name must be a DNS label of at most 52 characters (got "X"); ${field} must not be empty`,
      );
    });
  });
});
