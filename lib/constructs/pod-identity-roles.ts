import type { Construct } from "constructs";
import { bucketArn, type GlobalNames } from "../naming";
import { PodIdentityRole } from "./pod-identity-role";

export interface PodIdentityRolesProps {
  /** The environment's global names (role names, the hosting-services bucket). */
  readonly names: GlobalNames;
  readonly accountId: string;
  /** ARN of the cluster whose pods assume the roles. */
  readonly clusterArn: string;
  /** Key SOPS decrypts with in the cluster's region (the primary's key, or its replica). */
  readonly sopsKeyArn: string;
  /** Policy of the workloads on the assets. */
  readonly assetsPolicyArn: string;
  /** ARN of the database instance whose RDS-managed master secret the archive job reads. */
  readonly databaseArn: string;
  /** Region of the database (the secret's region). */
  readonly databaseRegion: string;
}

/** The pod identity roles of an environment's cluster. */
export interface PodIdentityRoles {
  /** Flux's kustomize-controller: decrypts SOPS secrets. */
  readonly flux: PodIdentityRole;
  /** The workloads: the assets policy. */
  readonly workload: PodIdentityRole;
  /** The database archive job: reads the master secret, lists the archive bucket and puts into it. */
  readonly backupJob: PodIdentityRole;
}

/**
 * Adds the pod identity roles of an environment's cluster to `scope` (the primary's kubernetes
 * stack, or a recovery's standby stack, which makes them in peacetime). Ids are fixed (`flux-role`,
 * `workload-role`, `backup-job-role`) so the roles keep their Terraform addresses.
 */
export function addPodIdentityRoles(scope: Construct, props: PodIdentityRolesProps): PodIdentityRoles {
  const common = { accountId: props.accountId, clusterArn: props.clusterArn };
  const archives = bucketArn(props.names.hostingServicesBucket);
  return {
    flux: new PodIdentityRole(scope, "flux-role", {
      ...common,
      roleName: props.names.fluxRole,
      purpose: "Flux kustomize-controller (SOPS decryption)",
      statements: [{ Sid: "DecryptSopsSecrets", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: props.sopsKeyArn }],
    }),
    workload: new PodIdentityRole(scope, "workload-role", {
      ...common,
      roleName: props.names.workloadRole,
      purpose: "workloads (assets)",
      managedPolicyArns: [props.assetsPolicyArn],
    }),
    backupJob: new PodIdentityRole(scope, "backup-job-role", {
      ...common,
      roleName: props.names.backupJobRole,
      purpose: "database archive job",
      statements: [
        {
          // RDS tags the secret it manages with its instance's ARN: known before either exists.
          Sid: "ReadDatabaseMasterSecret",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: `arn:aws:secretsmanager:${props.databaseRegion}:${props.accountId}:secret:rds!db-*`,
          Condition: { StringEquals: { "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn": props.databaseArn } },
        },
        { Sid: "ListArchives", Effect: "Allow", Action: "s3:ListBucket", Resource: archives },
        { Sid: "PutArchives", Effect: "Allow", Action: "s3:PutObject", Resource: `${archives}/*` },
      ],
    }),
  };
}
