import { z } from "zod";
import { parseCidr } from "../../network/cidr";
import { crossFieldRule, fail, logRetentionDays, strictObject, wholeNumber } from "../fields";

/** EKS control-plane log types, as EksCluster's CONTROL_PLANE_LOG_TYPES (a test keeps them equal). */
export const CONTROL_PLANE_LOG_TYPE_NAMES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

const nodeGroup = strictObject({
  /** Node group name (unique in the cluster). */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "must be a lowercase name of letters, digits and hyphens, at most 63 characters" }),
  /** EC2 instance types, e.g. ["m6i.large"]. */
  instanceTypes: z
    .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, { error: 'must be an EC2 instance type like "m6i.large"' }))
    .min(1, { error: "must list at least one instance type" }),
  /** @default "ON_DEMAND" */
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
  minSize: wholeNumber(0, 450),
  maxSize: wholeNumber(1, 450),
  desiredSize: wholeNumber(0, 450),
  /** Root volume size in GiB. @default 50 */
  diskSizeGb: wholeNumber(20, 16384).default(50),
});

const kubernetesShape = {
  /**
   * EKS Kubernetes version, e.g. "1.35". The synth refuses a version past EKS extended support
   * and warns within 90 days of the end of standard support (./kubernetes-calendar.ts).
   */
  version: z.string().regex(/^1\.\d{2}$/, { error: 'must be an EKS Kubernetes version like "1.35"' }),
  /**
   * CIDRs allowed to reach the API endpoint from the internet. Empty: private endpoint only.
   * 0.0.0.0/0 is refused. @default []
   */
  publicAccessCidrs: z
    .array(
      z
        .string()
        .refine((c) => parseCidr(c) !== undefined, { error: "must be an IPv4 CIDR block like 203.0.113.0/24" })
        .refine((c) => parseCidr(c)?.prefix !== 0, { error: "must not be 0.0.0.0/0 (or any /0): list the networks of your operators" }),
    )
    .default([]),
  /**
   * Networks that reach the private API endpoint from inside the VPC or through peering/VPN: an
   * in-VPC runner the gitops stack is applied from, or the operators' VPN. Admitted on 443 by the
   * cluster's security group. @default []
   */
  privateAccessCidrs: z.array(z.string().refine((c) => parseCidr(c) !== undefined, { error: "must be an IPv4 CIDR block like 10.30.0.0/24" })).default([]),
  /** IAM roles that get cluster-admin access entries (the on-call engineers' roles). */
  adminRoleArns: z
    .array(
      z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: "must be an IAM role ARN like arn:aws:iam::123456789012:role/platform-admin" }),
    )
    .min(1, { error: "must list at least one role: without one, nobody can log in to a rebuilt cluster" }),
  /** Days to keep control-plane logs. @default 90 */
  logRetentionDays: logRetentionDays.default(90),
  /**
   * Control-plane log types sent to CloudWatch Logs; fewer than all five fails DR-EKS-2 unless
   * suppressed with a reason. @default ["api", "audit", "authenticator", "controllerManager", "scheduler"]
   */
  controlPlaneLogTypes: z
    .array(z.enum(CONTROL_PLANE_LOG_TYPE_NAMES))
    .min(1, { error: "must list at least one log type" })
    .refine((types) => new Set(types).size === types.length, { error: "must not list a log type twice" })
    .default([...CONTROL_PLANE_LOG_TYPE_NAMES]),
  /** Managed node groups. */
  nodeGroups: z.array(nodeGroup).min(1, { error: "must list at least one node group" }),
  /** Pinned versions of the core add-ons, builds of `version` (preflight asks EKS DescribeAddonVersions in the recovery region). */
  addons: strictObject({
    "vpc-cni": z.string().regex(/^v[\w.-]+$/, { error: 'must be an add-on version like "v1.21.1-eksbuild.8"' }),
    coredns: z.string().regex(/^v[\w.-]+$/, { error: 'must be an add-on version like "v1.14.2-eksbuild.4"' }),
    "kube-proxy": z.string().regex(/^v[\w.-]+$/, { error: 'must be an add-on version like "v1.35.3-eksbuild.2"' }),
    /** The EKS Pod Identity Agent: Flux, the workloads and the archive job get AWS credentials through it. */
    "eks-pod-identity-agent": z.string().regex(/^v[\w.-]+$/, { error: 'must be an add-on version like "v1.3.10-eksbuild.3"' }),
  }),
  /** Service account of the workloads that get the assets management policy (IRSA). @default { namespace: "apps", name: "workload" } */
  workloadServiceAccount: strictObject({
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be a Kubernetes namespace name" }),
    name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: "must be a Kubernetes service account name" }),
  }).default({ namespace: "apps", name: "workload" }),
};

/** Sizes in order and node group names unique. */
const nodeGroupSizes = crossFieldRule(z.object({ nodeGroups: z.array(nodeGroup) }), (k, ctx) => {
  const names = k.nodeGroups.map((g) => g.name);
  k.nodeGroups.forEach((group, index) => {
    const path = ["nodeGroups", index];
    if (group.minSize > group.maxSize) fail(ctx, [...path, "minSize"], `must be at most maxSize (${group.maxSize})`, group.minSize);
    else if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
      fail(ctx, [...path, "desiredSize"], `must be from minSize to maxSize (${group.minSize}-${group.maxSize})`, group.desiredSize);
    }
    if (names.indexOf(group.name) !== index) fail(ctx, [...path, "name"], "is used by another node group", group.name);
  });
});

/** EKS. */
export const kubernetes = strictObject(kubernetesShape).superRefine(...nodeGroupSizes);
