import { advisoryOnTheDay, notReadOnTheDay, route53IsLost } from "../../../../lib/operations/checks/preflight/outage";
import { unlessNotServed } from "../../../../lib/operations/checks/preflight/not-served";
import type { PreflightCheck } from "../../../../lib/operations/checks/preflight/check";
import { EMULATOR_GAPS } from "../../../../lib/targets/emulator-target";

const failing = (id: PreflightCheck["id"], status: PreflightCheck["status"] = "fail"): PreflightCheck => ({
  id,
  title: `${id} title`,
  status,
  detail: "what was found",
  fix: "the fix",
});
const EMULATOR = {
  shortName: "the emulator",
  description: "local emulator",
  gaps: [
    { id: "kms-replica-key", resourceTypes: ["aws_kms_replica_key", "aws_kms_alias (of the replica)"], reason: "moto has no enabled replica" },
    { id: "ecr-replication", resourceTypes: ["aws_ecr_replication_configuration (its image copies)"], reason: "moto copies no image" },
  ],
};

describe("outage: Route 53 on the day", () => {
  it("is lost with us-east-1 only (its control plane's region)", () => {
    expect(route53IsLost("us-east-1")).toBe(true);
    expect(route53IsLost("eu-west-1")).toBe(false);
  });

  it("its rows are not read and say why, advisory with no fix", () => {
    expect(notReadOnTheDay("us-east-1")).toEqual([
      {
        id: "health-checks",
        title: "Route 53 health checks of the site",
        status: "advisory",
        detail:
          "not read: Route 53's API is served from us-east-1, the lost region us-east-1; the failover records move by the health checks made in peacetime, without a call from here",
        fix: "",
      },
      expect.objectContaining({ id: "site-region", status: "advisory", fix: "" }),
    ]);
  });

  it("a row that read and did not pass only advises, keeping what it found and its fix; a passing row is unchanged", () => {
    expect(advisoryOnTheDay(failing("health-checks", "unreachable"))).toEqual({
      id: "health-checks",
      title: "health-checks title",
      status: "advisory",
      detail: "what was found\n(advisory during the outage: was unreachable)",
      fix: "the fix",
    });
    const pass = { ...failing("site-region"), status: "pass" as const };
    expect(advisoryOnTheDay(pass)).toBe(pass);
  });
});

describe("not served by the deployment target", () => {
  it("a failed row that a gap of the target explains is not served, with the gap's reason and nothing to fix", () => {
    expect(unlessNotServed(failing("sops-key"), EMULATOR)).toEqual({
      id: "sops-key",
      title: "sops-key title",
      status: "not served",
      detail: "what was found\nmoto has no enabled replica",
      fix: "nothing to fix in the emulator; a real account serves it",
    });
    expect(unlessNotServed(failing("registry-images"), EMULATOR).status).toBe("not served");
  });

  it("the emulator target's own gaps explain the rows moto cannot serve (and an unreachable row, which is what an unimplemented call gives)", () => {
    const emulator = { shortName: "the emulator", description: "emulator", gaps: EMULATOR_GAPS };
    const served = (id: PreflightCheck["id"], status: PreflightCheck["status"] = "fail") => unlessNotServed(failing(id, status), emulator).status;
    expect(
      (
        [
          "sops-key",
          "database-backups",
          "registry-images",
          "kubernetes-version",
          "kubernetes-addons",
          "database-engine",
          "broker-engine",
          "capacity-quotas",
          "registry-cache",
          "image-digests",
        ] as const
      ).map((id) => `${id} ${served(id)} ${served(id, "unreachable")}`),
    ).toEqual([
      "sops-key not served not served",
      "database-backups not served not served",
      "registry-images not served not served",
      "kubernetes-version not served not served",
      "kubernetes-addons not served not served",
      "database-engine not served not served",
      "broker-engine not served not served",
      "capacity-quotas not served not served",
      "registry-cache not served not served",
      "image-digests not served not served",
    ]);
    expect((["standby-stack", "day-stacks", "git-credentials", "cluster-access", "sops-order"] as const).map((id) => served(id))).toEqual(
      Array(5).fill("fail"),
    );
    expect(unlessNotServed(failing("capacity-quotas"), emulator).detail).toBe(
      "what was found\nmoto's Service Quotas knows the VPC quotas only: the recovery region's EC2, EKS and RDS quotas cannot be compared with what the recovery creates",
    );
  });

  it("leaves a passing row, a row no gap explains, and every row of a real account as they are", () => {
    expect(unlessNotServed(failing("database-backups"), EMULATOR).status).toBe("fail");
    expect(unlessNotServed(failing("standby-stack"), EMULATOR).status).toBe("fail");
    expect(unlessNotServed(failing("sops-key"), { description: "AWS account", gaps: [] }).status).toBe("fail");
    expect(unlessNotServed({ ...failing("sops-key"), status: "pass" }, EMULATOR).status).toBe("pass");
  });
});
