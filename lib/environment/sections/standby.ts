import { z } from "zod";
import { onlyWhen, strictObject, wholeNumber } from "../fields";

/** Fewest and most minutes between two scheduled readiness checks. */
export const READINESS_INTERVAL_MINUTES = { min: 5, max: 1440 } as const;

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/;

/** The region of an SNS topic ARN; undefined when the text is not one. */
export function snsTopicRegion(arn: string): string | undefined {
  return SNS_TOPIC_ARN.exec(arn)?.[1];
}

/**
 * A recovery's standby layer (`standby-<region>`, deployed in peacetime): the scheduled readiness
 * check it runs in the recovery region, and whom its alarm tells.
 */
export const standby = strictObject({
  /** A recovery kept applied in peacetime is now the tier "warm-standby". */
  warm: onlyWhen(
    'has moved: a recovery whose stacks are kept applied in peacetime is the tier "warm-standby" (the top-level field `tier`, docs/tiers.md): replace standby.warm with it',
  ),
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
