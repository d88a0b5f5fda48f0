import { servingClusterName, servingDatabaseIdentifier, type RecoveryEnvironment } from "../../environment";
import { stackId, type Layer } from "../../naming";
import type { PlanStep } from "../plan";

/**
 * The layers a warm standby applies again on its day, after the promotion: they create nothing
 * (everything stands since peacetime). `application-<region>` records the promoted database's new
 * master-user secret in its outputs; `workloads-<region>` hands it to the pods in cluster-vars,
 * lifts WORKLOAD_REPLICAS from "0", and resumes the database archive.
 */
export const WARM_STANDBY_REAPPLIED: readonly Layer[] = ["application", "workloads"];

/** What each layer of a warm standby holds in peacetime (the runbook's preparation list). */
export const WARM_STANDBY_PREPARED: Readonly<Partial<Record<Layer, string>>> = {
  networking: "VPC, NAT gateway, the site's load balancer, the SECONDARY record and its health check",
  application: "the read replica of the primary's database, encrypted with this region's data key; the standing broker",
  kubernetes: "the cluster with one node per node group",
  gitops: "Flux and the load balancer controller",
  workloads: 'cluster-vars with WORKLOAD_REPLICAS "0" while the database is a replica; the database archive suspended until the promotion',
};

/** A day step before its phase is set (plan.ts sets "serve"). */
export type WarmStandbyStep = Omit<PlanStep, "phase">;

/**
 * The regional calls of a warm standby's day, after `after` (the preflight): promote the read
 * replica and give it a master-user secret of its own, and scale every node group from its one
 * standing node to the file's sizes, side by side. Only the recovery region's RDS and EKS APIs:
 * no IAM or Route 53 write, no call to the lost region, nothing created but the secret RDS makes.
 * The figures of each call are WARM_STANDBY_DAY's (docs/rto.md).
 */
export function warmStandbyCalls(environment: RecoveryEnvironment, after: string): WarmStandbyStep[] {
  const region = environment.region;
  const instance = `--region ${region} --db-instance-identifier ${servingDatabaseIdentifier(environment)}`;
  const cluster = servingClusterName(environment);
  const waitAvailable = `aws rds wait db-instance-available ${instance}`;
  return [
    {
      id: "promote-database",
      title: `Promote the read replica ${servingDatabaseIdentifier(environment)} to a standalone instance (writes go to ${region} from now on)`,
      kind: "check",
      commands: [`aws rds promote-read-replica ${instance} --backup-retention-period ${environment.database.backupRetentionDays}`, waitAvailable],
      after: [after],
      note: `Irreversible: the instance stops following ${environment.recoveryOf}; its recovery point is the replica lag the status showed. Resumed after a promotion that went through, the first command says InvalidDBInstanceState: run the wait alone.`,
    },
    {
      id: "database-credentials",
      title: "Give the promoted instance a master-user secret of its own in Secrets Manager (the replica's was the primary's)",
      kind: "check",
      commands: [`aws rds modify-db-instance ${instance} --manage-master-user-password --apply-immediately`, waitAvailable],
      after: ["promote-database"],
      note: "RDS generates the password and keeps it; no person sees it. The workloads read it once cluster-vars name it (the workloads deploy below).",
    },
    {
      id: "scale-node-groups",
      title: `Scale the node groups of ${cluster} from one standing node to the file's sizes`,
      kind: "check",
      commands: environment.kubernetes.nodeGroups.flatMap((group) => [
        `aws eks update-nodegroup-config --region ${region} --cluster-name ${cluster} --nodegroup-name ${group.name} --scaling-config minSize=${group.minSize},maxSize=${group.maxSize},desiredSize=${group.desiredSize}`,
        `aws eks wait nodegroup-active --region ${region} --cluster-name ${cluster} --nodegroup-name ${group.name}`,
      ]),
      after: [after],
      note: "Regional EKS calls on node groups made in peacetime: no node group and no instance profile is created (Terraform ignores the minimum and desired sizes of a warm standby's groups).",
    },
  ];
}

/** What a reapplied stack's deploy says beside its command. */
export function reappliedNote(environment: RecoveryEnvironment, layer: Layer): string | undefined {
  if (layer === "application") {
    return `Creates nothing: ${stackId("application", environment.region)} stands since peacetime; its outputs now name the promoted database's secret.`;
  }
  if (layer === "workloads") {
    return "Creates nothing in AWS: cluster-vars name the promoted database's secret and WORKLOAD_REPLICAS goes from \"0\" to the manifests' own counts; the database archive CronJob resumes.";
  }
  return undefined;
}
