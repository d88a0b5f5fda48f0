import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { deployStackCommand, registryHost, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import { failedRead, type PreflightCheck } from "./check";

/** Every `registry.replicatedPrefixes` entry has a repository in the recovery region's registry. */
export function registryImagesCheck(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, repositories: Reading<readonly string[]>): PreflightCheck {
  const id = "registry-images";
  const title = `Container repositories replicated into ${recovery.region}`;
  if (!repositories.ok) return failedRead(id, title, repositories.failure);
  const byPrefix = recovery.registry.replicatedPrefixes.map((prefix) => ({
    prefix,
    repositories: repositories.value.filter((n) => n.startsWith(prefix)).sort(),
  }));
  const list = (names: string[]) => (names.length <= 5 ? names.join(", ") : `${names.slice(0, 5).join(", ")} and ${names.length - 5} more`);
  const detail = byPrefix
    .map(({ prefix, repositories: names }) => `${prefix}*: ${names.length === 0 ? "none" : `${names.length} (${list(names)})`}`)
    .join("\n");
  const missing = byPrefix.filter((p) => p.repositories.length === 0).map((p) => p.prefix);
  if (missing.length === 0) return { id, title, status: "pass", detail, fix: "" };
  return {
    id,
    title,
    status: "fail",
    detail: `no repository in ${recovery.region} for ${missing.map((p) => `${p}*`).join(", ")}\n${detail}`,
    fix: [
      `${deployStackCommand(stackId("standby", recovery.region))}   # in peacetime: the ECR replication rule in ${primary.region}`,
      `# ECR replicates only images pushed after the rule exists: push each image again, e.g. docker push ${registryHost(recovery.accountId, primary.region)}/<repository>:<tag>`,
      `# with ${primary.region} down: build and push the images to ${registryHost(recovery.accountId, recovery.region)} instead`,
    ].join("\n"),
  };
}
