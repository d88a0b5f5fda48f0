import { defineEnvironment } from "../lib/environment";

/** Production. Replicas and database archives go to us-east-2, where us-east-2.ts takes over. */
export default defineEnvironment({
  project: "acme",
  region: "us-east-1",
  drRegion: "us-east-2",
  role: "primary",
  accountId: "123456789012",
  state: { bucket: "acme-terraform-state", region: "us-west-2" },
  network: { cidr: "10.10.0.0/16", azCount: 3, natGateways: "per-az" },
  database: { engineVersion: "16", instanceClass: "db.r6g.large", allocatedStorageGb: 100, maxAllocatedStorageGb: 500 },
  // The RDS backups restored monthly into a temporary instance and checked (docs/backups.md): about $0.10 a run.
  backups: { restoreTest: { pointInTime: { instanceClass: "db.t4g.medium" } } },
  broker: { engineVersion: "3.13", instanceType: "mq.m5.large", users: ["orders", "notifications"] },
  kubernetes: {
    version: "1.35",
    // Break-glass: the operators' network reaches the API when the cluster is rebuilt (documentation range here).
    publicAccessCidrs: ["203.0.113.0/24"],
    adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
    nodeGroups: [{ name: "general", instanceTypes: ["m6i.large"], minSize: 3, maxSize: 9, desiredSize: 3 }],
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
  dns: { domain: "example.com" },
  // The vault account keeps Object Lock copies of the state, archives, assets, images and Git
  // credentials that a rebuild in a new account needs (docs/vault.md says how it is bootstrapped).
  vault: { accountId: "210987654321", region: "us-west-2" },
  tags: { CostCenter: "platform" },
});
