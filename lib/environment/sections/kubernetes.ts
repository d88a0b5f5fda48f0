import { z } from "zod";
import { parseCidr } from "../../network/cidr";
import { crossFieldRule, fail, onlyWhen, strictObject, wholeNumber } from "../fields";
import { movedRetentionField } from "./log-retention";

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
  /** Moved to `logRetention.eksControlPlaneDays`: refused with that name. */
  logRetentionDays: onlyWhen(movedRetentionField("kubernetes.logRetentionDays")),
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
  /**
   * The cluster's generation: the one that serves the site (its workloads stack holds the site's
   * TargetGroupBinding). Generation 1 is named `<project>-<region>`, a later one
   * `<project>-<region>-g<n>`, with its own kubernetes, gitops and workloads stacks
   * (`npx dr-platform rebuild-cluster <region>` brings one up beside the old one). @default 1
   */
  generation: wholeNumber(1, 99).default(1),
  /**
   * While a cluster is rebuilt side by side: the generation being replaced. Its stacks stay in the
   * app beside the new generation's, without the site's binding and the library's CronJobs, until
   * `rebuild-cluster` has retired it; then remove this field. @default - one generation stands
   */
  retiringGeneration: wholeNumber(1, 99).optional(),
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

/** A retiring generation is an older one. */
const generations = crossFieldRule(z.object({ generation: z.number(), retiringGeneration: z.number().optional() }), (k, ctx) => {
  if (k.retiringGeneration !== undefined && k.retiringGeneration >= k.generation) {
    fail(
      ctx,
      ["retiringGeneration"],
      `must be lower than generation (${k.generation}): it names the cluster generation being replaced; a rebuild raises generation and sets this to the old one`,
      k.retiringGeneration,
    );
  }
});

/**
 * Every cluster's API must be reachable when the cluster is rebuilt (a new generation, or a
 * recovery): its gitops and workloads stacks and the operators' kubectl talk to it.
 */
const clusterReachable = crossFieldRule(z.object({ publicAccessCidrs: z.array(z.string()), privateAccessCidrs: z.array(z.string()) }), (k, ctx) => {
  if (k.publicAccessCidrs.length === 0 && k.privateAccessCidrs.length === 0) {
    fail(
      ctx,
      ["publicAccessCidrs"],
      "the cluster API must be reachable when the cluster is rebuilt (rebuild-cluster, or a recovery): list break-glass operator networks here, or the networks of an in-VPC or peered runner (the gitops stack is applied from it) in kubernetes.privateAccessCidrs",
      k.publicAccessCidrs,
    );
  }
});

/** EKS. */
export const kubernetes = strictObject(kubernetesShape)
  .superRefine(...nodeGroupSizes)
  .superRefine(...generations)
  .superRefine(...clusterReachable);
