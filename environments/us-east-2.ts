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
  dns: { domain: "dr.example.com" },
  tags: { CostCenter: "platform" },
});
