import type { RecoveryEnvironment } from "../../../../lib/environment";
import { CAPACITY_QUOTAS, capacityNeeds, capacityQuotasCheck, isStandardFamily } from "../../../../lib/operations/checks/preflight/capacity-quotas";
import type { QuotaValue } from "../../../../lib/operations/probes/service-quotas";
import { failed, read, recovery } from "../../../support/facts";

const TITLE = "Instance types and service quotas in us-east-2 for what the recovery creates";
const M6I = { type: "m6i.large", offered: true as const, vcpus: 2 };
/** Quotas as Service Quotas answers them, every one ample unless overridden. */
function quotas(overrides: Partial<Record<keyof typeof CAPACITY_QUOTAS, number | undefined>> = {}): QuotaValue[] {
  const values: Record<keyof typeof CAPACITY_QUOTAS, number | undefined> = {
    onDemandStandardVcpus: 640,
    spotStandardVcpus: 640,
    eksClusters: 100,
    eksNodeGroupsPerCluster: 30,
    eksNodesPerNodeGroup: 450,
    rdsInstances: 40,
    rdsStorageGb: 100000,
    ...overrides,
  };
  return (Object.keys(CAPACITY_QUOTAS) as (keyof typeof CAPACITY_QUOTAS)[]).map((key) => ({
    ...CAPACITY_QUOTAS[key],
    name: key,
    value: values[key],
    source: key === "eksClusters" ? "default" : "applied",
  }));
}
const withGroups = (nodeGroups: object[]) => ({ ...recovery, kubernetes: { ...recovery.kubernetes, nodeGroups } }) as RecoveryEnvironment;
const group = (name: string, instanceTypes: string[], maxSize: number, capacityType = "ON_DEMAND") => ({
  name,
  instanceTypes,
  capacityType,
  minSize: 1,
  maxSize,
  desiredSize: 1,
  diskSizeGb: 50,
});

describe("capacityNeeds", () => {
  it("counts node groups at their maxSize with their largest listed type, by capacity type, and one cluster, instance and its storage", () => {
    const env = withGroups([group("general", ["m6i.large", "m6i.xlarge"], 9), group("batch", ["c6i.large"], 4, "SPOT"), group("gpu", ["g5.xlarge"], 2)]);
    const offers = [
      M6I,
      { type: "m6i.xlarge", offered: true as const, vcpus: 4 },
      { type: "c6i.large", offered: true as const, vcpus: 2 },
      { type: "g5.xlarge", offered: true as const, vcpus: 4 },
    ];
    expect(capacityNeeds(env, offers)).toEqual({
      onDemandStandardVcpus: 36,
      spotStandardVcpus: 8,
      eksClusters: 1,
      eksNodeGroupsPerCluster: 3,
      eksNodesPerNodeGroup: 9,
      rdsInstances: 1,
      rdsStorageGb: 50,
    });
  });

  it("tells the standard families (A, C, D, H, I, M, R, T, Z) from those of other quotas", () => {
    expect(["m6i.large", "c7g.xlarge", "r6i.large", "t3.micro", "i4i.large", "im4gn.large", "z1d.large"].map(isStandardFamily)).toEqual(Array(7).fill(true));
    expect(
      ["g5.xlarge", "p4d.24xlarge", "x2idn.16xlarge", "inf2.xlarge", "trn1.2xlarge", "vt1.3xlarge", "f1.2xlarge", "dl1.24xlarge", "hpc7g.4xlarge"].map(
        isStandardFamily,
      ),
    ).toEqual(Array(9).fill(false));
  });
});

describe("capacityQuotasCheck", () => {
  it("passes when every quota holds what the recovery creates, listing each", () => {
    expect(capacityQuotasCheck(recovery, read([M6I]), read(quotas()))).toEqual({
      id: "capacity-quotas",
      title: TITLE,
      status: "pass",
      detail: [
        "onDemandStandardVcpus (ec2 L-1216C47A): needs 8, applied quota 640",
        "eksClusters (eks L-1194D53C): needs 1, default quota 100",
        "eksNodeGroupsPerCluster (eks L-6D54EA21): needs 1, applied quota 30",
        "eksNodesPerNodeGroup (eks L-BD136A63): needs 4, applied quota 450",
        "rdsInstances (rds L-7B6409FD): needs 1, applied quota 40",
        "rdsStorageGb (rds L-7ADDB58A): needs 50, applied quota 100000",
      ].join("\n"),
      fix: "",
    });
  });

  it("fails a quota below the need, and one Service Quotas gives no value for, saying which to raise and how", () => {
    const check = capacityQuotasCheck(recovery, read([M6I]), read(quotas({ onDemandStandardVcpus: 5, rdsInstances: undefined })));
    expect(check.status).toBe("fail");
    expect(check.detail).toContain("onDemandStandardVcpus (ec2 L-1216C47A): needs 8, applied quota 5");
    expect(check.detail).toContain("rdsInstances (rds L-7B6409FD): needs 1, applied quota unknown");
    expect(check.fix).toBe(
      [
        "aws service-quotas request-service-quota-increase --region us-east-2 --service-code ec2 --quota-code L-1216C47A --desired-value 8   # onDemandStandardVcpus; add what else the account runs in us-east-2",
        "aws service-quotas request-service-quota-increase --region us-east-2 --service-code rds --quota-code L-7B6409FD --desired-value 1   # rdsInstances; add what else the account runs in us-east-2",
        "# capacity that must be there on the day, not only allowed: On-Demand Capacity Reservations (docs/capacity.md)",
      ].join("\n"),
    );
  });

  it("fails a node group type the region does not offer, and names the types of another family's quota as not checked", () => {
    const env = withGroups([group("general", ["m6i.large", "m9z.large"], 4), group("gpu", ["g5.xlarge"], 1)]);
    const check = capacityQuotasCheck(env, read([M6I, { type: "m9z.large", offered: false }, { type: "g5.xlarge", offered: true, vcpus: 4 }]), read(quotas()));
    expect(check).toMatchObject({ status: "fail" });
    expect(check.detail.split("\n").slice(-2)).toEqual([
      "not checked: g5.xlarge count against another family's vCPU quota",
      "not offered in us-east-2: m9z.large",
    ]);
    expect(check.fix.split("\n")).toEqual([
      "in environments/us-east-2.ts replace m9z.large in kubernetes.nodeGroups[].instanceTypes by types us-east-2 offers",
      "# capacity that must be there on the day, not only allowed: On-Demand Capacity Reservations (docs/capacity.md)",
    ]);
  });

  it("leaves out quotas the recovery does not draw on (no Spot node group)", () => {
    const check = capacityQuotasCheck(recovery, read([M6I]), read(quotas({ spotStandardVcpus: 0 })));
    expect(check.status).toBe("pass");
    expect(check.detail).not.toContain("spotStandardVcpus");
  });

  it("reports a failed read of either fact as such", () => {
    expect(capacityQuotasCheck(recovery, failed("refused", "EC2 DescribeInstanceTypes of m6i.large", "us-east-2"), read(quotas())).detail).toBe(
      "EC2 DescribeInstanceTypes of m6i.large in us-east-2 failed: AccessDenied (HTTP 403): not authorized",
    );
    expect(capacityQuotasCheck(recovery, read([M6I]), failed("unreachable", "Service Quotas GetServiceQuota", "us-east-2", "TimeoutError: x")).status).toBe(
      "unreachable",
    );
  });
});
