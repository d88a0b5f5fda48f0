/**
 * Expected values shared by several tests, written out by hand (never derived from the code
 * under test).
 */

/** The statement every bucket policy starts with: deny any request that does not use TLS. */
export function denyInsecureTransport(bucketArn: string) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** An archive key ARN for construct tests (in us-east-2, where their archive bucket is). */
export const ARCHIVE_KEY = "arn:aws:kms:us-east-2:123456789012:key/11111111-2222-3333-4444-555555555555";

/** The pod security context of the library's job pods (uid and gid 999), as the kubernetes provider's JSON has it. */
export const JOB_POD_SECURITY_CONTEXT = {
  run_as_non_root: true,
  run_as_user: "999",
  run_as_group: "999",
  fs_group: "999",
  seccomp_profile: { type: "RuntimeDefault" },
} as const;

/** Every container of those pods: Pod Security `restricted`, a read-only root, as the provider's JSON has it. */
export const JOB_CONTAINER_SECURITY_CONTEXT = {
  run_as_non_root: true,
  run_as_user: "999",
  run_as_group: "999",
  read_only_root_filesystem: true,
  allow_privilege_escalation: false,
  capabilities: { drop: ["ALL"] },
  seccomp_profile: { type: "RuntimeDefault" },
} as const;
