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
  database: { engineVersion: "16.4", instanceClass: "db.r6g.large", allocatedStorageGb: 100, maxAllocatedStorageGb: 500 },
  broker: { engineVersion: "3.13", instanceType: "mq.m5.large", users: ["orders", "notifications"] },
  kubernetes: {
    version: "1.31",
    // Break-glass: the operators' network reaches the rebuilt cluster's API (documentation range here).
    publicAccessCidrs: ["203.0.113.0/24"],
    adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
    nodeGroups: [{ name: "general", instanceTypes: ["m6i.large"], minSize: 3, maxSize: 9, desiredSize: 3 }],
    addons: {
      "vpc-cni": "v1.19.2-eksbuild.1",
      coredns: "v1.11.4-eksbuild.2",
      "kube-proxy": "v1.31.3-eksbuild.2",
      "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
    },
  },
  flux: {
    repositoryUrl: "https://github.com/acme/platform-k8s",
    gitCredentialsSecretName: "acme/flux/platform-k8s-git",
  },
  // From the declared outage to the site serving here (npx dr-platform recover measures every run against it).
  recoveryObjectives: { rtoMinutes: 120 },
  // The primary's zone and site: the failover records move example.com here (pilot light by default).
  dns: { domain: "example.com" },
  tags: { CostCenter: "platform" },
});
