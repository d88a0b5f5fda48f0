import type { RecoveryEnvironment } from "../../../environment";
import { UPSTREAM_REGISTRIES, type Upstream } from "../../../kubernetes/images";
import { deployStackCommand, pullThroughCacheSecretName, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { CacheRule } from "../../probes/registry-cache";
import { failedRead, type PreflightCheck } from "./check";

/**
 * The recovery region's registry has a pull through cache rule for every upstream the platform's
 * images come from, and ECR can authenticate to the upstreams that need credentials.
 */
export function registryCacheCheck(recovery: RecoveryEnvironment, found: Reading<readonly CacheRule[]>): PreflightCheck {
  const id = "registry-cache";
  const title = `Pull through cache rules of the registry in ${recovery.region}`;
  if (!found.ok) return failedRead(id, title, found.failure);
  const problems: string[] = [];
  const fixes: string[] = [];
  const lines = (Object.keys(UPSTREAM_REGISTRIES) as Upstream[]).map((upstream) => {
    const { host, cachePrefix, credentials } = UPSTREAM_REGISTRIES[upstream];
    const rule = found.value.find((r) => r.prefix === cachePrefix);
    if (!rule || rule.upstreamUrl !== host) {
      problems.push(`${cachePrefix}: ${rule ? `caches ${rule.upstreamUrl}, not ${host}` : "no rule"}`);
      return `${cachePrefix} -> ${host}: missing`;
    }
    if (credentials && rule.valid !== true) {
      const secret = pullThroughCacheSecretName(recovery.project, cachePrefix, recovery.region);
      problems.push(`${cachePrefix}: ECR cannot authenticate to ${host}${rule.failure ? ` (${rule.failure})` : ""}`);
      fixes.push(
        `aws secretsmanager put-secret-value --region ${recovery.region} --secret-id ${secret} --secret-string '{"username":"<user of ${host}>","accessToken":"<token that may read packages>"}'`,
      );
      return `${cachePrefix} -> ${host}: credentials not accepted`;
    }
    return `${cachePrefix} -> ${host}${credentials ? " (credentials accepted)" : ""}`;
  });
  if (problems.length === 0) return { id, title, status: "pass", detail: lines.join("\n"), fix: "" };
  const missingRules = problems.some((p) => !p.includes("authenticate"));
  return {
    id,
    title,
    status: "fail",
    detail: problems.join("\n"),
    fix: [
      ...(missingRules ? [`${deployStackCommand(stackId("standby", recovery.region))}   # in peacetime: the region's pull through cache rules`] : []),
      ...fixes,
    ].join("\n"),
  };
}
