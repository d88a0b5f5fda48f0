import { gitCredentialsCheck } from "../../../../lib/operations/checks/preflight/git-credentials";
import type { GitCredentials } from "../../../../lib/operations/probes/git-credentials";
import { failed, primary, read, recovery } from "../../../support/facts";

const TITLE = "Flux Git credentials secret acme/flux/git in us-east-2";
const PUT_VALUE = [
  "aws secretsmanager put-secret-value --region us-east-1 --secret-id acme/flux/git --secret-string file://git-credentials.json",
  '# git-credentials.json: {"username": "...", "password": "<token>"} (HTTPS) or {"identity": "<private key>", "identity.pub": "...", "known_hosts": "..."} (SSH)',
  "# with us-east-1 down: aws secretsmanager stop-replication-to-replica --region us-east-2 --secret-id acme/flux/git, then the same put-secret-value with --region us-east-2",
].join("\n");
const secret = (fields: Partial<GitCredentials>) => read<GitCredentials>({ name: "acme/flux/git", region: "us-east-2", exists: true, ...fields });
const check = (fields: Partial<GitCredentials>) => gitCredentialsCheck(recovery, primary, secret(fields));

describe("gitCredentialsCheck", () => {
  it("passes a replica with HTTPS or SSH credentials, saying which (never the value)", () => {
    expect(check({ primaryRegion: "us-east-1", shape: { kind: "https" } })).toEqual({
      id: "git-credentials",
      title: TITLE,
      status: "pass",
      detail: "replica of us-east-1; the value has username and password (HTTPS)",
      fix: "",
    });
    expect(check({ primaryRegion: "us-east-1", shape: { kind: "ssh" } }).detail).toBe("replica of us-east-1; the value has identity (SSH)");
    expect(check({ shape: { kind: "ssh" } }).detail).toBe("a standalone secret (not a replica); the value has identity (SSH)");
  });

  it("fails without a secret, with the primary's application deploy and the value to put", () => {
    expect(check({ exists: false })).toEqual({
      id: "git-credentials",
      title: TITLE,
      status: "fail",
      detail: "no secret acme/flux/git in us-east-2: its replica was never created",
      fix: `npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: creates acme/flux/git in us-east-1 with a replica in us-east-2\n${PUT_VALUE}`,
    });
  });

  it("fails without a value", () => {
    expect(check({ primaryRegion: "us-east-1" })).toEqual({
      id: "git-credentials",
      title: TITLE,
      status: "fail",
      detail: "acme/flux/git in us-east-2 (replica of us-east-1) has no value: nobody has put the credentials",
      fix: PUT_VALUE,
    });
  });

  it.each([
    [{ kind: "binary" } as const, "the value is binary (SecretBinary), not a JSON string"],
    [{ kind: "not-json" } as const, "the value is not JSON"],
    [{ kind: "not-object" } as const, "the value is JSON but not an object"],
    [
      { kind: "incomplete", keys: ["password", "username"] } as const,
      'the JSON has neither non-empty "username" and "password" (HTTPS) nor "identity" (SSH); its keys: "password", "username"',
    ],
    [{ kind: "incomplete", keys: [] } as const, 'the JSON has neither non-empty "username" and "password" (HTTPS) nor "identity" (SSH); its keys: none'],
  ])("fails a value Flux cannot use: %j", (shape, problem) => {
    expect(check({ primaryRegion: "us-east-1", shape })).toEqual({
      id: "git-credentials",
      title: TITLE,
      status: "fail",
      detail: `acme/flux/git in us-east-2 (replica of us-east-1): ${problem}`,
      fix: PUT_VALUE,
    });
  });

  it("reports a failed read as such", () => {
    expect(gitCredentialsCheck(recovery, primary, failed("unreachable", "Secrets Manager DescribeSecret of acme/flux/git", "us-east-2")).status).toBe(
      "unreachable",
    );
  });
});
