import { z } from "zod";
import { strictObject, wholeNumber } from "../fields";

/** Fewest and most minutes between two scheduled readiness checks. */
export const READINESS_INTERVAL_MINUTES = { min: 5, max: 1440 } as const;

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/;

/** The region of an SNS topic ARN; undefined when the text is not one. */
export function snsTopicRegion(arn: string): string | undefined {
  return SNS_TOPIC_ARN.exec(arn)?.[1];
}

/**
 * A recovery's standby layer (`standby-<region>`, deployed in peacetime): whether the recovery's
 * day stacks are kept applied, and the scheduled readiness check it runs in the recovery region.
 */
export const standby = strictObject({
  /**
   * Warm standby: the recovery's day stacks (application, kubernetes, ...) are kept applied in
   * peacetime. Preflight then accepts their state; otherwise a day stack with state is a
   * rehearsal's leftover that a recovery would silently reuse, and preflight fails on it.
   * @default false
   */
  warm: z.boolean().default(false),
  /**
   * Minutes between two runs of the scheduled preflight in the recovery region (EventBridge
   * Scheduler and a Lambda function of the standby layer). @default 30
   */
  readinessCheckMinutes: wholeNumber(READINESS_INTERVAL_MINUTES.min, READINESS_INTERVAL_MINUTES.max).default(30),
  /**
   * SNS topic, in the recovery's region, that the readiness alarm notifies when a check fails or
   * the check stops reporting (docs/readiness.md).
   * @default - the alarm notifies nobody (its state is visible in CloudWatch only; the synth warns)
   */
  alarmTopicArn: z.string().regex(SNS_TOPIC_ARN, { error: "must be an SNS topic ARN like arn:aws:sns:us-east-2:123456789012:platform-alerts" }).optional(),
});
