import type { RecoveryEnvironment } from "../../../environment";
import type { Reading } from "../../aws/errors";
import type { InstanceTypeOffer } from "../../probes/instance-types";
import type { QuotaId, QuotaValue } from "../../probes/service-quotas";
import { failedRead, type PreflightCheck } from "./check";

/**
 * The Service Quotas quotas a recovery draws on, by code (the quota's name is read from AWS):
 * On-Demand and Spot vCPUs of the standard instance families (A, C, D, H, I, M, R, T, Z), EKS
 * clusters, managed node groups per cluster and nodes per node group, RDS instances and storage.
 * Amazon MQ's brokers per region (200) has no Service Quotas code; a broker is one of them.
 */
export const CAPACITY_QUOTAS = {
  onDemandStandardVcpus: { serviceCode: "ec2", quotaCode: "L-1216C47A" },
  spotStandardVcpus: { serviceCode: "ec2", quotaCode: "L-34B43A08" },
  eksClusters: { serviceCode: "eks", quotaCode: "L-1194D53C" },
  eksNodeGroupsPerCluster: { serviceCode: "eks", quotaCode: "L-6D54EA21" },
  eksNodesPerNodeGroup: { serviceCode: "eks", quotaCode: "L-BD136A63" },
  rdsInstances: { serviceCode: "rds", quotaCode: "L-7B6409FD" },
  rdsStorageGb: { serviceCode: "rds", quotaCode: "L-7ADDB58A" },
} as const satisfies Record<string, QuotaId>;

export type CapacityQuota = keyof typeof CAPACITY_QUOTAS;

/** Families outside the standard vCPU quota (G and VT, P, X, F, Inf, Trn, DL, HPC, high memory, Mac): other quotas, not checked here. */
const OTHER_FAMILIES = /^(g|vt|p|x|f|inf|trn|dl|hpc|u|mac)\d/;

/** Instance types of the node groups that count against the standard vCPU quotas. */
export function isStandardFamily(instanceType: string): boolean {
  return !OTHER_FAMILIES.test(instanceType);
}

/** What the recovery creates, per quota: node groups at their maxSize, with their largest listed type. */
export function capacityNeeds(recovery: RecoveryEnvironment, offers: readonly InstanceTypeOffer[]): Record<CapacityQuota, number> {
  const vcpus = (type: string) => {
    const offer = offers.find((o) => o.type === type);
    return offer?.offered ? offer.vcpus : 0;
  };
  const groupVcpus = (capacity: "ON_DEMAND" | "SPOT") =>
    recovery.kubernetes.nodeGroups
      .filter((g) => g.capacityType === capacity)
      .reduce((sum, g) => sum + g.maxSize * Math.max(0, ...g.instanceTypes.filter(isStandardFamily).map(vcpus)), 0);
  return {
    onDemandStandardVcpus: groupVcpus("ON_DEMAND"),
    spotStandardVcpus: groupVcpus("SPOT"),
    eksClusters: 1,
    eksNodeGroupsPerCluster: recovery.kubernetes.nodeGroups.length,
    eksNodesPerNodeGroup: Math.max(...recovery.kubernetes.nodeGroups.map((g) => g.maxSize)),
    rdsInstances: 1,
    rdsStorageGb: recovery.database.allocatedStorageGb,
  };
}

/**
 * The recovery region's applied quotas hold what the recovery creates (on top of what else the
 * account runs there, which this check cannot see), and every node group instance type is offered
 * there. Says which quota to raise, and how.
 */
export function capacityQuotasCheck(
  recovery: RecoveryEnvironment,
  types: Reading<readonly InstanceTypeOffer[]>,
  quotas: Reading<readonly QuotaValue[]>,
): PreflightCheck {
  const id = "capacity-quotas";
  const title = `Instance types and service quotas in ${recovery.region} for what the recovery creates`;
  if (!types.ok) return failedRead(id, title, types.failure);
  if (!quotas.ok) return failedRead(id, title, quotas.failure);
  const r = recovery.region;
  const notOffered = types.value.filter((t) => !t.offered).map((t) => t.type);
  const needs = capacityNeeds(recovery, types.value);
  const rows = (Object.keys(CAPACITY_QUOTAS) as CapacityQuota[])
    .filter((key) => needs[key] > 0)
    .map((key) => {
      const { serviceCode, quotaCode } = CAPACITY_QUOTAS[key];
      const quota = quotas.value.find((q) => q.serviceCode === serviceCode && q.quotaCode === quotaCode);
      return { key, serviceCode, quotaCode, need: needs[key], value: quota?.value, name: quota?.name ?? `${serviceCode} ${quotaCode}`, source: quota?.source };
    });
  const short = rows.filter((row) => row.value === undefined || row.value < row.need);
  const others = [...new Set(recovery.kubernetes.nodeGroups.flatMap((g) => g.instanceTypes).filter((t) => !isStandardFamily(t)))];
  const detail = [
    ...rows.map((row) => `${row.name} (${row.serviceCode} ${row.quotaCode}): needs ${row.need}, ${row.source ?? "no"} quota ${row.value ?? "unknown"}`),
    ...(others.length > 0 ? [`not checked: ${others.join(", ")} count against another family's vCPU quota`] : []),
    ...(notOffered.length > 0 ? [`not offered in ${r}: ${notOffered.join(", ")}`] : []),
  ].join("\n");
  if (short.length === 0 && notOffered.length === 0) return { id, title, status: "pass", detail, fix: "" };
  return {
    id,
    title,
    status: "fail",
    detail,
    fix: [
      ...short.map(
        (row) =>
          `aws service-quotas request-service-quota-increase --region ${r} --service-code ${row.serviceCode} --quota-code ${row.quotaCode} --desired-value ${row.need}   # ${row.name}; add what else the account runs in ${r}`,
      ),
      ...(notOffered.length > 0
        ? [`in environments/${r}.ts replace ${notOffered.join(", ")} in kubernetes.nodeGroups[].instanceTypes by types ${r} offers`]
        : []),
      "# capacity that must be there on the day, not only allowed: On-Demand Capacity Reservations (docs/capacity.md)",
    ].join("\n"),
  };
}
