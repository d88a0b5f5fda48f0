import * as crypto from "crypto";
// A cycle, read only when a request is answered: fault-proxy.ts owns the name of "no SigV4 scope".
import { UNKNOWN } from "./fault-proxy";

/**
 * How AWS answers a request signed with an access key it no longer knows (the key of a closed
 * account, or one that never existed): an HTTP error whose body names the error in the
 * request's protocol, so every SDK and the aws CLI report the code and message AWS would, and
 * none retries it. The codes and statuses are the ones AWS's own services answer:
 * - S3 (REST-XML, `<Error>` at the root): 403 `InvalidAccessKeyId`, echoing the key.
 * - EC2 (its own query dialect, `<Response><Errors>`): 401 `AuthFailure`.
 * - other query protocols (STS, IAM, RDS, ELB, ...) and the REST-XML services that answer as
 *   they do (Route 53, CloudFront): 403 `InvalidClientTokenId` in an `<ErrorResponse>`.
 * - JSON protocols (`X-Amz-Target`: KMS, Secrets Manager, ECR, DynamoDB, ...): 400
 *   `UnrecognizedClientException` in `__type`.
 * - REST-JSON (EKS, Lambda, Backup, ...): 403 `UnrecognizedClientException` in `X-Amzn-ErrorType`.
 */

/** Where a request's operation name was: `X-Amz-Target` (JSON), `Action` (query), or method and path (REST). */
export type WireProtocol = "json" | "query" | "rest";

/** A whole HTTP answer. */
export interface RefusalAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The message every protocol but S3's and EC2's carries for an unknown access key. */
export const INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid.";

/** S3's message for an access key id it has no record of. */
export const S3_UNKNOWN_KEY_MESSAGE = "The AWS Access Key Id you provided does not exist in our records.";

/** EC2's message for credentials it cannot validate. */
export const EC2_AUTH_FAILURE_MESSAGE = "AWS was not able to validate the provided access credentials";

/** REST services whose errors are XML; every other REST service (EKS, Lambda, Backup, ...) answers in JSON. */
const REST_XML_SERVICES = ["s3", "route53", "cloudfront"];

/** XML-escapes text (an access key id is `\w+`, but the answer must not depend on that). */
function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const XML = { "content-type": "text/xml" };

/**
 * The answer AWS gives a request signed with `accessKeyId` when it does not know that key. S3 is
 * told from the others by the credential scope's service (`s3`: S3 and S3 Control sign so), which
 * is what AWS's own endpoints go by too; a request without a SigV4 scope (SigV2, only S3 still
 * accepts it) counts as S3.
 */
export function lostCredentialsAnswer(
  request: { readonly service: string; readonly protocol: WireProtocol; readonly contentType?: string },
  accessKeyId: string,
): RefusalAnswer {
  const requestId = crypto.randomUUID();
  const { service, protocol } = request;
  if (service === "s3" || (protocol === "rest" && service === UNKNOWN)) {
    const hostId = crypto.randomBytes(48).toString("base64");
    return {
      status: 403,
      headers: { ...XML, "x-amz-request-id": requestId, "x-amz-id-2": hostId },
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidAccessKeyId</Code><Message>${S3_UNKNOWN_KEY_MESSAGE}</Message>` +
        `<AWSAccessKeyId>${xml(accessKeyId)}</AWSAccessKeyId><RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`,
    };
  }
  if (service === "ec2") {
    return {
      status: 401,
      headers: XML,
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>AuthFailure</Code><Message>${EC2_AUTH_FAILURE_MESSAGE}</Message></Error></Errors>` +
        `<RequestID>${requestId}</RequestID></Response>`,
    };
  }
  if (protocol === "query" || REST_XML_SERVICES.includes(service)) {
    return {
      status: 403,
      headers: { ...XML, "x-amzn-requestid": requestId },
      body:
        `<ErrorResponse>\n  <Error>\n    <Type>Sender</Type>\n    <Code>InvalidClientTokenId</Code>\n` +
        `    <Message>${INVALID_TOKEN_MESSAGE}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    };
  }
  if (protocol === "json") {
    return {
      status: 400,
      headers: { "content-type": request.contentType ?? "application/x-amz-json-1.1", "x-amzn-requestid": requestId },
      body: JSON.stringify({ __type: "UnrecognizedClientException", message: INVALID_TOKEN_MESSAGE }),
    };
  }
  return {
    status: 403,
    headers: {
      "content-type": "application/json",
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/",
    },
    body: JSON.stringify({ message: INVALID_TOKEN_MESSAGE }),
  };
}
