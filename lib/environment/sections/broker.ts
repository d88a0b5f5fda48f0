import { z } from "zod";
import { crossFieldRule, fail, strictObject, wholeNumber } from "../fields";

const rabbitUser = z
  .string()
  .regex(/^[A-Za-z0-9_.~-]{2,100}$/, { error: "must be 2-100 characters: letters, digits, and - . _ ~" })
  .refine((name) => name !== "guest", { error: "must not be guest" });

const brokerShape = {
  /** RabbitMQ engine version, e.g. "3.13". */
  engineVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, { error: 'must be a RabbitMQ version like "3.13"' }),
  /** Amazon MQ instance type, e.g. "mq.m5.large". */
  instanceType: z.string().regex(/^mq\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an Amazon MQ instance type like "mq.m5.large"' }),
  /** `CLUSTER_MULTI_AZ` (three nodes) or `SINGLE_INSTANCE`. @default "CLUSTER_MULTI_AZ" */
  deploymentMode: z.enum(["SINGLE_INSTANCE", "CLUSTER_MULTI_AZ"]).default("CLUSTER_MULTI_AZ"),
  /** Administrator created with the broker; password generated into Secrets Manager. @default "admin" */
  adminUsername: rabbitUser.default("admin"),
  /** Application users: each gets a generated password in Secrets Manager. @default [] */
  users: z.array(rabbitUser).default([]),
  /**
   * When the application users' passwords are rotated in the cluster (BrokerPasswordRotation):
   * five cron fields (UTC on EKS) or a macro such as `@monthly`; `false` turns rotation off, an
   * explicit choice that the policy rule DR-MQ-3 then refuses unless suppressed with a reason.
   * @default "0 3 1 * *" (monthly, 03:00 UTC on the 1st)
   */
  passwordRotationSchedule: z
    .union(
      [
        z.literal(false),
        z
          .string()
          .refine(
            (value) => /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(value) || /^[\d*,\-/A-Za-z?]+( [\d*,\-/A-Za-z?]+){4}$/.test(value),
            {
              error: 'must be five cron fields separated by single spaces, like "0 3 1 * *", a macro such as "@monthly", or false',
            },
          ),
      ],
      { error: 'must be five cron fields separated by single spaces, like "0 3 1 * *", a macro such as "@monthly", or false' },
    )
    .default("0 3 1 * *"),
  /**
   * A primary rebuilt in a new account (docs/vault.md, "Rebuilding in a new account") imports, once,
   * the newest broker definitions export of its hosting-services bucket (copied there from the vault
   * by `from-vault <region> archive`) before its users and workloads start: vhosts, exchanges,
   * queues, bindings, policies and users (messages are never in an export). Primary environments
   * only: a recovery always imports its primary's newest export.
   * @default false
   */
  importDefinitions: z.boolean({ error: "must be true or false" }).optional(),
  /**
   * Minutes Terraform waits for the broker to be created (a three-node cluster takes 20-30 minutes;
   * the provider's own wait is 30).
   * @default { createMinutes: 60 }
   */
  timeouts: strictObject({ createMinutes: wholeNumber(10, 1440).default(60) }).prefault({}),
};

/** Application users are neither the administrator nor listed twice. */
const distinctUsers = crossFieldRule(z.object({ adminUsername: brokerShape.adminUsername, users: brokerShape.users }), (b, ctx) => {
  b.users.forEach((user, index) => {
    if (user === b.adminUsername) fail(ctx, ["users", index], "is the adminUsername; list application users only", user);
    else if (b.users.indexOf(user) !== index) fail(ctx, ["users", index], "is listed twice", user);
  });
});

/** Amazon MQ for RabbitMQ. */
export const broker = strictObject(brokerShape).superRefine(...distinctUsers);

/** A recovery imports its primary's newest export whatever the field says: it is a primary's choice. */
export const importDefinitionsOnPrimary = crossFieldRule(z.object({ broker: z.object({ importDefinitions: z.boolean().optional() }) }), (env, ctx) => {
  if (env.broker.importDefinitions !== undefined) {
    fail(
      ctx,
      ["broker", "importDefinitions"],
      'is only allowed when role is "primary": a recovery always imports its primary\'s newest definitions export (remove it from this file)',
      env.broker.importDefinitions,
    );
  }
});
