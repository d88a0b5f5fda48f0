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
