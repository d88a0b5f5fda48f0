/** Minimal IAM policy document types, so policies are built as data and compared as data in tests. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Record<string, string | string[]>;
  readonly Action: string | string[];
  /** Absent only in trust policies. */
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): string {
  const document: PolicyDocument = { Version: "2012-10-17", Statement: statements };
  return JSON.stringify(document);
}

/** Trust policy for an AWS service, limited to this account (confused-deputy protection). */
export function serviceTrustPolicy(service: string, accountId: string): string {
  return policyDocument({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  });
}

/**
 * The key policy AWS gives a KMS key by default: the account administers the key through IAM.
 * `Resource: "*"` in a key policy means "this key" (key policies are resource policies).
 */
export function accountKeyPolicy(accountId: string): string {
  return policyDocument(accountAdministersStatement(accountId));
}

/** The statement of the default key policy, for key policies that admit a service as well. */
export function accountAdministersStatement(accountId: string): PolicyStatement {
  return {
    Sid: "AccountAdministers",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}
