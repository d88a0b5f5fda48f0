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
