import type { Reading } from "../../../../lib/operations/aws/errors";
import { replicaFollows } from "../../../../lib/operations/checks/git-credentials/replica-follows";
import type { GitCredentials } from "../../../../lib/operations/probes/git-credentials";

const NAME = "acme/flux/platform-k8s-git";
const found = (fields: Partial<GitCredentials> = {}): Reading<GitCredentials> => ({
  ok: true,
  value: { name: NAME, region: "us-east-2", exists: true, primaryRegion: "us-east-1", shape: { kind: "https" }, versionId: "v2", ...fields },
});

describe("replicaFollows", () => {
  it("passes when the replica's AWSCURRENT is the new version and the primary reports it InSync", () => {
    expect(replicaFollows("v2", found(), { region: "us-east-2", status: "InSync" }, NAME)).toEqual({
      region: "us-east-2",
      status: "pass",
      detail: "the replica in us-east-2 is AWSCURRENT version v2 (InSync)",
      fix: "",
    });
  });

  it("is pending while the replica still has the old version, or is not InSync yet", () => {
    expect(replicaFollows("v2", found({ versionId: "v1" }), { region: "us-east-2", status: "InSync" }, NAME)).toEqual({
      region: "us-east-2",
      status: "pending",
      detail: "the replica in us-east-2 is at version v1, replication InSync (waiting for v2)",
      fix: "npx dr-platform preflight us-east-2",
    });
    expect(replicaFollows("v2", found(), { region: "us-east-2", status: "InProgress" }, NAME).status).toBe("pending");
    expect(replicaFollows("v2", found({ exists: false }), { region: "us-east-2", status: "InProgress" }, NAME)).toMatchObject({
      status: "pending",
      detail: `no ${NAME} readable in us-east-2 yet (replication InProgress)`,
    });
  });

  it("is pending when the replica cannot be read (the call proves nothing)", () => {
    const unreachable: Reading<GitCredentials> = {
      ok: false,
      failure: {
        kind: "unreachable",
        name: "TimeoutError",
        description: "TimeoutError: timed out",
        call: `Secrets Manager GetSecretValue of ${NAME}`,
        region: "us-east-2",
      },
    };
    expect(replicaFollows("v2", unreachable, { region: "us-east-2", status: "InSync" }, NAME)).toEqual({
      region: "us-east-2",
      status: "pending",
      detail: `Secrets Manager GetSecretValue of ${NAME}: TimeoutError: timed out`,
      fix: "npx dr-platform preflight us-east-2",
    });
  });

  it("fails when the primary reports the replication Failed, with its message", () => {
    expect(replicaFollows("v2", found({ versionId: "v1" }), { region: "us-east-2", status: "Failed", message: "KMS key disabled" }, NAME)).toEqual({
      region: "us-east-2",
      status: "fail",
      detail: "replication to us-east-2 failed: KMS key disabled",
      fix: "npx dr-platform preflight us-east-2   # after fixing the cause",
    });
  });

  it("fails when the secret has no replica in the region, naming the standby stack that makes it", () => {
    expect(replicaFollows("v2", found(), undefined, NAME)).toEqual({
      region: "us-east-2",
      status: "fail",
      detail: `${NAME} has no replica in us-east-2: the new value does not reach it`,
      fix: "npx cdktf deploy standby-us-east-2 --ignore-missing-stack-dependencies   # makes the replica; then run this command again",
    });
  });
});
