import { EC2_AUTH_FAILURE_MESSAGE, INVALID_TOKEN_MESSAGE, lostCredentialsAnswer, S3_UNKNOWN_KEY_MESSAGE } from "../../lib/tooling/fault-proxy-refusal";

/**
 * The answers the fault proxy gives a lost access key, one per protocol. That each SDK and the aws
 * CLI read them as AWS's own errors is shown against the emulator in test/e2e/fault-proxy.test.ts.
 */

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("lostCredentialsAnswer", () => {
  it("answers S3 with 403 InvalidAccessKeyId at the root of the XML, echoing the key", () => {
    const answer = lostCredentialsAnswer({ service: "s3", protocol: "rest" }, "AKIDEXAMPLE");
    expect(answer.status).toBe(403);
    expect(answer.headers).toEqual({ "content-type": "text/xml", "x-amz-request-id": expect.stringMatching(REQUEST_ID), "x-amz-id-2": expect.any(String) });
    expect(answer.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidAccessKeyId</Code><Message>${S3_UNKNOWN_KEY_MESSAGE}</Message>` +
        `<AWSAccessKeyId>AKIDEXAMPLE</AWSAccessKeyId><RequestId>${answer.headers["x-amz-request-id"]}</RequestId><HostId>${answer.headers["x-amz-id-2"]}</HostId></Error>`,
    );
  });

  it("answers a REST request without a SigV4 scope (SigV2: only S3 takes it) as S3 does", () => {
    expect(lostCredentialsAnswer({ service: "unknown", protocol: "rest" }, "AKIDEXAMPLE").body).toContain("<Code>InvalidAccessKeyId</Code>");
  });

  it("escapes the echoed key", () => {
    expect(lostCredentialsAnswer({ service: "s3", protocol: "rest" }, "a<b&").body).toContain("<AWSAccessKeyId>a&lt;b&amp;</AWSAccessKeyId>");
  });

  it("answers EC2 with 401 AuthFailure in EC2's own error document", () => {
    const answer = lostCredentialsAnswer({ service: "ec2", protocol: "query" }, "AKIDEXAMPLE");
    expect(answer.status).toBe(401);
    expect(answer.body).toMatch(
      new RegExp(
        `^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<Response><Errors><Error><Code>AuthFailure</Code><Message>${EC2_AUTH_FAILURE_MESSAGE}</Message></Error></Errors><RequestID>[-0-9a-f]{36}</RequestID></Response>$`,
      ),
    );
  });

  it.each([
    ["sts", "query"],
    ["iam", "query"],
    ["rds", "query"],
    ["route53", "rest"],
    ["cloudfront", "rest"],
  ] as const)("answers %s (%s) with 403 InvalidClientTokenId in an ErrorResponse", (service, protocol) => {
    const answer = lostCredentialsAnswer({ service, protocol }, "AKIDEXAMPLE");
    expect(answer.status).toBe(403);
    expect(answer.headers["content-type"]).toBe("text/xml");
    expect(answer.body).toBe(
      `<ErrorResponse>\n  <Error>\n    <Type>Sender</Type>\n    <Code>InvalidClientTokenId</Code>\n    <Message>${INVALID_TOKEN_MESSAGE}</Message>\n  </Error>\n` +
        `  <RequestId>${answer.headers["x-amzn-requestid"]}</RequestId>\n</ErrorResponse>\n`,
    );
  });

  it("answers a JSON protocol with 400 UnrecognizedClientException in __type, in the request's content type", () => {
    const answer = lostCredentialsAnswer({ service: "kms", protocol: "json", contentType: "application/x-amz-json-1.1" }, "AKIDEXAMPLE");
    expect(answer).toEqual({
      status: 400,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": expect.stringMatching(REQUEST_ID) },
      body: JSON.stringify({ __type: "UnrecognizedClientException", message: INVALID_TOKEN_MESSAGE }),
    });
  });

  it("answers REST-JSON (EKS) with 403 and the error type in X-Amzn-ErrorType", () => {
    const answer = lostCredentialsAnswer({ service: "eks", protocol: "rest" }, "AKIDEXAMPLE");
    expect(answer).toEqual({
      status: 403,
      headers: {
        "content-type": "application/json",
        "x-amzn-requestid": expect.stringMatching(REQUEST_ID),
        "x-amzn-errortype": "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/",
      },
      body: JSON.stringify({ message: INVALID_TOKEN_MESSAGE }),
    });
  });

  it("gives each answer its own request id", () => {
    const ids = [1, 2].map(() => lostCredentialsAnswer({ service: "sts", protocol: "query" }, "k").headers["x-amzn-requestid"]);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
