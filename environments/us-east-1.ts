import { defineEnvironment } from "../lib/environment";

/** Production. Replicas and database archives go to us-east-2, where us-east-2.ts takes over. */
export default defineEnvironment({
  project: "acme",
  region: "us-east-1",
  drRegion: "us-east-2",
  role: "primary",
  accountId: "123456789012",
  state: { bucket: "acme-terraform-state", region: "us-west-2" },
  network: { cidr: "10.10.0.0/16", azCount: 3, natGateways: "per-az", flowLogRetentionDays: 90 },
  database: { engineVersion: "16.4", instanceClass: "db.r6g.large", allocatedStorageGb: 100, maxAllocatedStorageGb: 500 },
  broker: { engineVersion: "3.13", instanceType: "mq.m5.large", users: ["orders", "notifications"] },
  dns: { domain: "example.com" },
  tags: { CostCenter: "platform" },
});
