import * as fs from "fs";
import * as path from "path";
import { SHIPPED_STACK_IDS, synthShipped } from "./support/shipped";
import { ref } from "./support/synth";
import { tempDir } from "./support/temp";

/**
 * Issue 28's proofs over the shipped environments as `cdktf synth` writes them: every application
 * load balancer logs its access and sits behind a web ACL, the archive buckets are on their
 * archive key, every log group keeps a year or more, and nothing is suppressed.
 */
const outdir = tempDir("dr-platform-hardening-");
synthShipped(outdir);
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const stacks = SHIPPED_STACK_IDS.map((id) => ({ id, json: JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) }));

const byType = (json: any, type: string): [string, any][] => Object.entries(json.resource?.[type] ?? {});

describe("the shipped stacks (issue 28)", () => {
  const balancers = stacks.flatMap(({ id, json }) =>
    byType(json, "aws_lb")
      .filter(([, lb]) => lb.load_balancer_type === undefined || lb.load_balancer_type === "application")
      .map(([lbId, lb]) => ({ stack: id, json, lbId, lb })),
  );

  it("have an application load balancer in each region's networking stack, and nowhere else", () => {
    expect(balancers.map((b) => b.stack)).toEqual(["networking-us-east-1", "networking-us-east-2"]);
  });

  it.each(balancers.map((b) => [b.stack, b] as const))(
    "%s: its application load balancer writes access logs into a bucket of its stack",
    (_stack, { json, lb }) => {
      const [[bucketId]] = byType(json, "aws_s3_bucket").filter(([, bucket]) => bucket.bucket.startsWith("acme-site-logs-"));
      expect(lb.access_logs).toEqual({ enabled: true, bucket: ref("aws_s3_bucket", bucketId, "bucket"), prefix: "site-load-balancer" });
    },
  );

  it.each(balancers.map((b) => [b.stack, b] as const))(
    "%s: its application load balancer is associated with a web ACL of its stack",
    (_stack, { json, lbId }) => {
      const [[aclId]] = byType(json, "aws_wafv2_web_acl");
      expect(byType(json, "aws_wafv2_web_acl_association").map(([, a]) => a)).toEqual([
        { "//": expect.anything(), resource_arn: ref("aws_lb", lbId, "arn"), web_acl_arn: ref("aws_wafv2_web_acl", aclId, "arn") },
      ]);
    },
  );

  it("encrypt every archive bucket by default with its environment's archive key (aws:kms, bucket key on)", () => {
    const archives = stacks.flatMap(({ id, json }) =>
      byType(json, "aws_s3_bucket")
        .filter(([, bucket]) => bucket.tags?.DataClass === "database-archives")
        .map(([bucketId]) => ({ id, json, bucketId })),
    );
    expect(archives.map((a) => a.id)).toEqual(["application-us-east-1", "application-us-east-2"]);
    for (const { id, json, bucketId } of archives) {
      const [[, encryption]] = byType(json, "aws_s3_bucket_server_side_encryption_configuration").filter(
        ([, e]) => e.bucket === ref("aws_s3_bucket", bucketId, "id"),
      );
      // The primary makes its key here (in drRegion); the recovery's standby stack made its own, found by alias in drRegion.
      const key =
        id === "application-us-east-1"
          ? ref(
              "aws_kms_key",
              byType(json, "aws_kms_alias")
                .find(([, a]) => a.name === "alias/acme-archives-us-east-1")![1]
                .target_key_id.split(".")[1],
              "arn",
            )
          : "${data.aws_kms_alias.archive-key.target_key_arn}";
      expect([id, encryption.rule]).toEqual([
        id,
        [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key }, bucket_key_enabled: true }],
      ]);
    }
    expect(stacks.find((s) => s.id === "application-us-east-2")!.json.data.aws_kms_alias["archive-key"]).toMatchObject({
      name: "alias/acme-archives-us-east-2",
      provider: "aws.dr",
    });
    expect(
      byType(stacks.find((s) => s.id === "standby-us-east-2")!.json, "aws_kms_alias")
        .map(([, a]) => [a.name, a.provider])
        .filter(([name]) => name.includes("archives")),
    ).toEqual([["alias/acme-archives-us-east-2", "aws.dr"]]);
  });

  it("keep every log group a year (the default of every log type)", () => {
    const groups = stacks.flatMap(({ json }) => byType(json, "aws_cloudwatch_log_group").map(([, g]) => [g.name, g.retention_in_days]));
    expect(groups.sort()).toEqual([
      ["/aws/eks/acme-us-east-1/cluster", 365],
      ["/aws/eks/acme-us-east-2/cluster", 365],
      ["/aws/lambda/acme-readiness-us-east-2", 365],
      ["/aws/rds/instance/acme-us-east-1/postgresql", 365],
      ["/aws/rds/instance/acme-us-east-1/upgrade", 365],
      ["/aws/rds/instance/acme-us-east-2/postgresql", 365],
      ["/aws/rds/instance/acme-us-east-2/upgrade", 365],
      ["/aws/route53/example.com", 365],
      ["/aws/vpc/acme-us-east-1/flow-logs", 365],
      ["/aws/vpc/acme-us-east-2/flow-logs", 365],
      ["aws-waf-logs-acme-us-east-1", 365],
      ["aws-waf-logs-acme-us-east-2", 365],
    ]);
  });

  it("pass the policy pack with zero suppressions, except DR-K8S-3 for the images whose digest is still pending (issue 24)", () => {
    // The pending digests are lib/kubernetes/images.ts's (docs/images.md): each is a stated suppression
    // until someone with registry access pins it. Nothing else is suppressed, nothing else annotated
    // (Flux's Git credentials, DR-SM-2's last exception, are copied into the cluster by a job).
    for (const id of SHIPPED_STACK_IDS) {
      const annotations = manifest.stacks[id].annotations as { constructPath: string; level: string; message: string }[];
      const pending = annotations.filter(
        (a) =>
          a.level === "@cdktf/info" &&
          a.message.startsWith("[DR-K8S-3] suppressed: ") &&
          / runs by tag from the regional registry until its digest is pinned /.test(a.message),
      );
      expect([id, annotations.filter((a) => !pending.includes(a))]).toEqual([id, []]);
      expect([id, pending.map((a) => a.constructPath)]).toEqual([id, id.startsWith("gitops-") ? [`${id}/flux/flux2`, `${id}/lb-controller/release`] : []]);
    }
  });
});
