import { defineEnvironment } from "../lib/environment";

/**
 * Recovery of us-east-1: brought up when us-east-1 is lost or for a DR rehearsal. Its own
 * replicas and archives go to us-west-2, away from both.
 */
export default defineEnvironment({
  project: "acme",
  region: "us-east-2",
  drRegion: "us-west-2",
  role: "recovery",
  recoveryOf: "us-east-1",
  accountId: "123456789012",
  state: { bucket: "acme-terraform-state", region: "us-west-2" },
  network: { cidr: "10.20.0.0/16", azCount: 3, natGateways: "single" },
  // Restores the latest state of us-east-1's database from its backups replicated into us-east-2.
  database: { engineVersion: "16", instanceClass: "db.r6g.large", allocatedStorageGb: 100, maxAllocatedStorageGb: 500 },
  broker: { engineVersion: "3.13", instanceType: "mq.m5.large", users: ["orders", "notifications"] },
  kubernetes: {
    version: "1.35",
    // Break-glass: the operators' network reaches the rebuilt cluster's API (documentation range here).
    publicAccessCidrs: ["203.0.113.0/24"],
    adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
    // Three types of the same size: on the day of a recovery the zones may lack one of them (EKS tries them in order).
    nodeGroups: [{ name: "general", instanceTypes: ["m6i.large", "m7i.large", "m5.large"], minSize: 3, maxSize: 9, desiredSize: 3 }],
    // Builds of 1.35 (docs/versions.md names each source; preflight asks EKS in the recovery region).
    addons: {
      "vpc-cni": "v1.21.1-eksbuild.8",
      coredns: "v1.14.2-eksbuild.4",
      "kube-proxy": "v1.35.3-eksbuild.2",
      "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    },
  },
  flux: {
    repositoryUrl: "https://github.com/acme/platform-k8s",
    gitCredentialsSecretName: "acme/flux/platform-k8s-git",
  },
  // Peacetime: the preflight runs here every 30 minutes; a failed check alarms the on-call's topic.
  standby: { alarmTopicArn: "arn:aws:sns:us-east-2:123456789012:acme-platform-alerts" },
  // From the declared outage to the site serving here (npx dr-platform recover measures every run against it).
  recoveryObjectives: { rtoMinutes: 120 },
  // The primary's zone and site: the failover records move example.com here (pilot light by default).
  dns: { domain: "example.com" },
  tags: { CostCenter: "platform" },
});
