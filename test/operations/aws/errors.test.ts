import { awsFailure, describeAwsError, failureKind, isUnreachable, reading } from "../../../lib/operations/aws/errors";

/** An SDK error as a service answers it. */
const awsError = (name: string, httpStatusCode: number | undefined, message = name) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });

describe("isUnreachable", () => {
  it.each([
    ["no HTTP answer (socket hang up)", Object.assign(new Error("socket hang up"), { code: "ECONNRESET", $metadata: {} }), true],
    ["a timeout", Object.assign(new Error("timed out"), { name: "TimeoutError" }), true],
    ["503", awsError("ServiceUnavailable", 503), true],
    ["404", awsError("NotFound", 404), false],
    ["403", awsError("AccessDenied", 403), false],
    ["missing credentials", Object.assign(new Error("none"), { name: "CredentialsProviderError" }), false],
  ])("%s: %s", (_case, error, expected) => {
    expect(isUnreachable(error)).toBe(expected);
  });
});

describe("failureKind", () => {
  it.each([
    ["a refused connection (no answer)", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), "unreachable"],
    ["a request timeout", Object.assign(new Error("exceeded the configured 500 ms requestTimeout"), { name: "TimeoutError", $metadata: {} }), "unreachable"],
    ["a server error", awsError("InternalError", 500), "unreachable"],
    ["no credentials (nothing was sent)", Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" }), "no-credentials"],
    ["403", awsError("AccessDenied", 403), "refused"],
    ["401", awsError("Unauthorized", 401), "refused"],
    ["KMS's access denial (HTTP 400)", awsError("AccessDeniedException", 400), "refused"],
    ["a HEAD's 404", awsError("NotFound", 404), "not-found"],
    ["S3's NoSuchKey", awsError("NoSuchKey", 404), "not-found"],
    ["KMS's NotFoundException (HTTP 400)", awsError("NotFoundException", 400), "not-found"],
    ["Secrets Manager's ResourceNotFoundException (HTTP 400)", awsError("ResourceNotFoundException", 400), "not-found"],
    ["RDS's DBInstanceNotFoundFault", awsError("DBInstanceNotFoundFault", 404), "not-found"],
    ["S3's ReplicationConfigurationNotFoundError", awsError("ReplicationConfigurationNotFoundError", 404), "not-found"],
    ["a bad request", awsError("ValidationException", 400), "other"],
  ])("%s: %s", (_case, error, kind) => {
    expect(failureKind(error)).toBe(kind);
  });
});

describe("describeAwsError and awsFailure", () => {
  it("names the error, its HTTP status when an answer came, and its message, on one line", () => {
    expect(describeAwsError(awsError("AccessDenied", 403, "not authorized"))).toBe("AccessDenied (HTTP 403): not authorized");
    expect(describeAwsError(Object.assign(new Error("socket hang up"), { $metadata: {} }))).toBe("Error: socket hang up");
  });

  it("keeps the call and the region it was sent to", () => {
    expect(awsFailure(awsError("AccessDenied", 403, "no"), "KMS DescribeKey of alias/x", "us-east-2")).toEqual({
      kind: "refused",
      name: "AccessDenied",
      description: "AccessDenied (HTTP 403): no",
      call: "KMS DescribeKey of alias/x",
      region: "us-east-2",
    });
  });
});

describe("reading", () => {
  it("is the value of a read that answered", async () => {
    expect(await reading("S3 HeadObject of s3://b/k", "us-west-2", async () => 42)).toEqual({ ok: true, value: 42 });
  });

  it("is the failure of a read that threw, never a throw", async () => {
    expect(
      await reading("S3 HeadObject of s3://b/k", "us-west-2", async () => {
        throw awsError("NotFound", 404, "UnknownError");
      }),
    ).toEqual({
      ok: false,
      failure: {
        kind: "not-found",
        name: "NotFound",
        description: "NotFound (HTTP 404): UnknownError",
        call: "S3 HeadObject of s3://b/k",
        region: "us-west-2",
      },
    });
  });
});
