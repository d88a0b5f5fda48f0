import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { gitCredentialsPlan, rotateGitCredentials } from "../../lib/operations/rotate-git-credentials";
import { resolvePairs, type Environment, type PrimarySide } from "../../lib/environment";
import { environment, primaryInput, recoveryInput } from "../support/environments";

const NAME = "acme/flux/git";
const VALUE = JSON.stringify({ username: "flux-bot", password: "new-token-0123456789" });
const client = (region: string) => new SecretsManagerClient({ region, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const PRIMARY = environment(primaryInput());
const RECOVERY = environment(recoveryInput());
/** The primary's side of the pair made of `environments` (as the CLI resolves it). */
const home = (...environments: Environment[]): PrimarySide => resolvePairs(environments)[0] as PrimarySide;
const PLAN = gitCredentialsPlan(NAME, home(PRIMARY, RECOVERY));

describe("gitCredentialsPlan", () => {
  it("writes in the primary's region, follows the replica of each recovery using the same secret, and names every reader", () => {
    expect(PLAN).toEqual({
      name: NAME,
      homeRegion: "us-east-1",
      replicaRegions: ["us-east-2"],
      readers: [
        { region: "us-east-1", clusterName: "acme-us-east-1" },
        { region: "us-east-2", clusterName: "acme-us-east-2" },
      ],
    });
  });

  it("a recovery with a secret of its own: the primary does not read it, and the primary's has no replica", () => {
    const own = environment(recoveryInput({ flux: { repositoryUrl: "https://github.com/acme/platform-k8s", gitCredentialsSecretName: "acme/flux/dr-git" } }));
    expect(gitCredentialsPlan("acme/flux/dr-git", home(PRIMARY, own))).toEqual({
      name: "acme/flux/dr-git",
      homeRegion: "us-east-1",
      replicaRegions: ["us-east-2"],
      readers: [{ region: "us-east-2", clusterName: "acme-us-east-2" }],
    });
    expect(gitCredentialsPlan(NAME, home(PRIMARY, own))).toEqual({
      name: NAME,
      homeRegion: "us-east-1",
      replicaRegions: [],
      readers: [{ region: "us-east-1", clusterName: "acme-us-east-1" }],
    });
  });

  it("a primary without a recovery: no replica", () => {
    expect(gitCredentialsPlan(NAME, home(PRIMARY))).toEqual({
      name: NAME,
      homeRegion: "us-east-1",
      replicaRegions: [],
      readers: [{ region: "us-east-1", clusterName: "acme-us-east-1" }],
    });
  });
});

describe("rotateGitCredentials", () => {
  /** The primary's secret (with its replica), the put, and the replica answering `replicaVersions` in turn. */
  function clients(options: { replicaVersions?: string[]; status?: string[]; replicated?: boolean; exists?: boolean; isReplica?: boolean } = {}) {
    const home = client("us-east-1");
    const replica = client("us-east-2");
    const statuses = [...(options.status ?? ["InSync"])];
    const homeMock = mockClient(home);
    homeMock.on(DescribeSecretCommand).callsFake(() => {
      if (options.exists === false) throw Object.assign(new Error("no"), { name: "ResourceNotFoundException", $metadata: { httpStatusCode: 400 } });
      const status = statuses.length > 1 ? statuses.shift() : statuses[0];
      return {
        PrimaryRegion: options.isReplica ? "eu-west-1" : undefined,
        ReplicationStatus:
          options.replicated === false ? [] : [{ Region: "us-east-2", Status: status, StatusMessage: status === "Failed" ? "KMS key disabled" : undefined }],
      };
    });
    homeMock.on(GetSecretValueCommand).resolves({ SecretString: VALUE, VersionId: "v2" });
    homeMock.on(PutSecretValueCommand).resolves({ VersionId: "v2" });
    const versions = [...(options.replicaVersions ?? ["v2"])];
    const replicaMock = mockClient(replica);
    replicaMock.on(DescribeSecretCommand).resolves({ PrimaryRegion: "us-east-1" });
    replicaMock.on(GetSecretValueCommand).callsFake(() => ({ SecretString: VALUE, VersionId: versions.length > 1 ? versions.shift() : versions[0] }));
    return { clients: { home, replicas: { "us-east-2": replica } }, homeMock, replicaMock };
  }
  const instant = { waitSeconds: 60, intervalMs: 1, sleep: async () => undefined };
  const NEXT = [
    "next, in this order:",
    // The job of each cluster, run now; its name carries the version put (v2).
    "  aws eks update-kubeconfig --region us-east-1 --name acme-us-east-1 && kubectl -n flux-system create job --from=cronjob/flux-git-credentials flux-git-credentials-v2 && kubectl -n flux-system wait --for=condition=complete --timeout=300s job/flux-git-credentials-v2   # Flux in us-east-1 gets the new value now (the hourly job would within the hour; a recovery's only where its cluster runs)",
    "  aws eks update-kubeconfig --region us-east-2 --name acme-us-east-2 && kubectl -n flux-system create job --from=cronjob/flux-git-credentials flux-git-credentials-v2 && kubectl -n flux-system wait --for=condition=complete --timeout=300s job/flux-git-credentials-v2   # Flux in us-east-2 gets the new value now (the hourly job would within the hour; a recovery's only where its cluster runs)",
    "  then revoke the old credential at the Git host (AWSPREVIOUS keeps it until the next rotation)",
  ];

  it("puts the value in the primary's region and waits until the replica carries it, never printing it", async () => {
    const { clients: c, homeMock, replicaMock } = clients({ replicaVersions: ["v1", "v1", "v2"], status: ["InSync", "InProgress", "InProgress", "InSync"] });
    const result = await rotateGitCredentials(PLAN, VALUE, c, instant);
    expect(result.exitCode).toBe(0);
    expect(result.lines).toEqual([
      `put a new value into ${NAME} in us-east-1: version v2 is AWSCURRENT (the previous one is AWSPREVIOUS)`,
      "us-east-2: follows: the replica in us-east-2 is AWSCURRENT version v2 (InSync)",
      ...NEXT,
    ]);
    expect(homeMock.commandCalls(PutSecretValueCommand).map((call) => [call.args[0].input.SecretId, call.args[0].input.SecretString])).toEqual([[NAME, VALUE]]);
    expect(replicaMock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(replicaMock.commandCalls(GetSecretValueCommand)).toHaveLength(3);
    expect(JSON.stringify(result)).not.toContain("new-token");
  });

  it("exits 3 when the replica does not follow in time (the value is written)", async () => {
    let clock = 0;
    const { clients: c, homeMock } = clients({ replicaVersions: ["v1"], status: ["InSync"] });
    const result = await rotateGitCredentials(PLAN, VALUE, c, { waitSeconds: 10, sleep: async (ms) => void (clock += ms), now: () => clock });
    expect(result.exitCode).toBe(3);
    expect(result.lines[1]).toBe("us-east-2: did not follow within 10s: the replica in us-east-2 is at version v1, replication InSync (waiting for v2)");
    expect(result.lines[2]).toBe("  fix: npx dr-platform preflight us-east-2");
    expect(homeMock.commandCalls(PutSecretValueCommand)).toHaveLength(1);
  });

  it("exits 1 when the primary reports the replication Failed", async () => {
    const { clients: c } = clients({ replicaVersions: ["v1"], status: ["InSync", "Failed"] });
    const result = await rotateGitCredentials(PLAN, VALUE, c, instant);
    expect(result.exitCode).toBe(1);
    expect(result.lines[1]).toBe("us-east-2: FAILED: replication to us-east-2 failed: KMS key disabled");
  });

  it.each([
    ["a value Flux cannot use", {}, "not json", "the new value is not one Flux can use: the value is not JSON"],
    [
      "credentials without a password",
      {},
      JSON.stringify({ username: "flux-bot" }),
      'the new value is not one Flux can use: the JSON has neither non-empty "username" and "password" (HTTPS) nor "identity" (SSH); its keys: "username"',
    ],
    ["no secret", { exists: false }, VALUE, `no ${NAME} in us-east-1: npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies makes it`],
    ["a replica named as the home", { isReplica: true }, VALUE, `${NAME} in us-east-1 is a replica of eu-west-1: put the value there`],
    [
      "no replica in a recovery region",
      { replicated: false },
      VALUE,
      `${NAME} has no replica in us-east-2: the new value would not reach it; npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies first (it replicates the secret into its drRegion)`,
    ],
  ] as const)("writes nothing for %s", async (_what, setup, value, line) => {
    const { clients: c, homeMock } = clients(setup);
    const result = await rotateGitCredentials(PLAN, value, c, instant);
    expect(result).toEqual({ exitCode: 1, lines: [line, "nothing was written"], replicas: [] });
    expect(homeMock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it("writes nothing through a client bound to another region", async () => {
    const { clients: c, homeMock } = clients();
    const result = await rotateGitCredentials(PLAN, VALUE, { ...c, home: client("us-east-2") }, instant);
    expect(result.lines[0]).toBe("rotate-git-credentials: the Secrets Manager client for us-east-1 is missing or bound to another region");
    expect(homeMock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it("reports a refused put, and that nothing was written", async () => {
    const { clients: c, homeMock } = clients();
    homeMock.on(PutSecretValueCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } }));
    const result = await rotateGitCredentials(PLAN, VALUE, c, instant);
    expect(result.exitCode).toBe(1);
    expect(result.lines).toEqual([`Secrets Manager PutSecretValue of ${NAME} in us-east-1: AccessDeniedException (HTTP 400): denied`, "nothing was written"]);
  });
});
