/**
 * How a failed AWS call is seen by every probe: one classification and one line describing it.
 * A probe keeps the failure in its fact; a check decides what it means for its row.
 */

/**
 * - `unreachable`: no usable answer (refused, reset, timed out, no such host) or a server error:
 *   the call proves nothing either way.
 * - `no-credentials`: the SDK found no credentials; nothing was sent.
 * - `refused`: the service answered and denied the caller (401, 403, AccessDenied...).
 * - `not-found`: the service answered that the thing asked about does not exist.
 * - `other`: any other answer of the service (a bad request, a conflict...).
 */
export type AwsFailureKind = "unreachable" | "no-credentials" | "refused" | "not-found" | "other";

export interface AwsFailure {
  readonly kind: AwsFailureKind;
  /** The error's name as the SDK reports it (`NoSuchKey`, `TimeoutError`, ...). */
  readonly name: string;
  /** `Name (HTTP 403): message`: one line, never a secret (AWS errors carry none). */
  readonly description: string;
  /** The call that failed, e.g. `KMS DescribeKey of alias/acme-sops-us-east-1`. */
  readonly call: string;
  /** The region it was sent to. */
  readonly region: string;
}

/** The result of one read: its value, or why there is none. */
export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: AwsFailure };

type SdkError = Error & { $metadata?: { httpStatusCode?: number } };

/** Names the services give a missing thing: `NoSuchKey`, `NotFound`, `DBInstanceNotFoundFault`, `ResourceNotFoundException`... */
const NOT_FOUND_NAME = /^NoSuch|NotFound(Exception|Fault|Error)?$/;
const REFUSED_NAME = /AccessDenied|Unauthorized|NotAuthorized|Forbidden|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|ExpiredToken/;

/** The HTTP status of an SDK error, when an answer came back. */
function httpStatus(error: unknown): number | undefined {
  return (error as SdkError)?.$metadata?.httpStatusCode;
}

/** The kind of a failed call (see AwsFailureKind). */
export function failureKind(error: unknown): AwsFailureKind {
  const name = (error as Error)?.name ?? "";
  if (name === "CredentialsProviderError") return "no-credentials";
  const status = httpStatus(error);
  if (status === undefined || status >= 500) return "unreachable";
  if (status === 404 || NOT_FOUND_NAME.test(name)) return "not-found";
  if (status === 401 || status === 403 || REFUSED_NAME.test(name)) return "refused";
  return "other";
}

/** True when the endpoint gave no usable answer: the call proves nothing either way. */
export function isUnreachable(error: unknown): boolean {
  return failureKind(error) === "unreachable";
}

/** One line naming an error: its name, HTTP status and message. */
export function describeAwsError(error: unknown): string {
  const e = error as SdkError;
  const status = httpStatus(error);
  return `${e?.name ?? "Error"}${status === undefined ? "" : ` (HTTP ${status})`}: ${e?.message ?? String(error)}`;
}

/** The failure of `call` in `region`. */
export function awsFailure(error: unknown, call: string, region: string): AwsFailure {
  return { kind: failureKind(error), name: (error as Error)?.name ?? "Error", description: describeAwsError(error), call, region };
}

/** Runs one read; its error becomes the reading's failure. */
export async function reading<T>(call: string, region: string, read: () => Promise<T>): Promise<Reading<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, failure: awsFailure(error, call, region) };
  }
}
