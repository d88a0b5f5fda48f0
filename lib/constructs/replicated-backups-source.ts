import { Construct } from "constructs";
import { Token, type TerraformRemoteState } from "cdktf";

export interface ReplicatedBackupsSourceProps {
  /** The primary's application state, where its replicated backups' ARN is an output. */
  readonly primaryState: TerraformRemoteState;
  /** Name of that output. */
  readonly outputName: string;
  /**
   * The replicated backups' ARN, given explicitly (`aws rds describe-db-instance-automated-backups`).
   * @default - read from the primary's state
   */
  readonly automatedBackupsArn?: string;
}

/** An RDS automated-backups ARN (the replica of a primary's backups in another region). */
export const AUTOMATED_BACKUPS_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:auto-backup:ab-[a-z0-9]+$/;

/**
 * Where a recovery's point-in-time restore comes from: an explicit ARN, or the output of the
 * primary's application state (kept in the state bucket, outside both regions). A missing output
 * reads as `null` rather than failing the plan with "Unsupported attribute", so that the
 * database's precondition (`foundCondition`, `missingMessage`) can say what is missing.
 */
export class ReplicatedBackupsSource extends Construct {
  /** The ARN; `null` at plan time when neither the prop nor the state gives one. */
  public readonly automatedBackupsArn: string;
  /** A Terraform condition that holds when an ARN was found. */
  public readonly foundCondition: string;
  /** The error when it was not: what is missing and how to fix it. */
  public readonly missingMessage: string;

  constructor(scope: Construct, id: string, props: ReplicatedBackupsSourceProps) {
    super(scope, id);
    const given = props.automatedBackupsArn;
    if (given !== undefined && !Token.isUnresolved(given) && !AUTOMATED_BACKUPS_ARN.test(given)) {
      throw new Error(
        `ReplicatedBackupsSource: automatedBackupsArn must be an RDS automated backups ARN like arn:aws:rds:us-east-2:123456789012:auto-backup:ab-abc123 (got ${given})`,
      );
    }
    // cdktf renders a null argument as nothing, so the lookup is written as Terraform would.
    const looked = `lookup(data.terraform_remote_state.${props.primaryState.friendlyUniqueId}.outputs, ${JSON.stringify(props.outputName)}, null)`;
    this.automatedBackupsArn = given ?? `\${${looked}}`;
    this.foundCondition = given === undefined ? `\${${looked} != null}` : "true";
    this.missingMessage = `The primary's application state has no output ${props.outputName}: deploy the primary's application stack (with backup replication) first, or set database.restore.automatedBackupsArn in this environment's file.`;
  }
}
