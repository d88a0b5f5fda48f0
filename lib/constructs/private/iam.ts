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
