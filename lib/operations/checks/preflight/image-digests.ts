import type { RecoveryEnvironment } from "../../../environment";
import { cachedRepository, IMAGE_CATALOGUE, regionalReference, type PinnedImage } from "../../../kubernetes/images";
import type { Reading } from "../../aws/errors";
import type { ImagePresence } from "../../probes/image-digests";
import { failedRead, type PreflightCheck } from "./check";

/** The images the platform runs, as the recovery region's registry must hold them (lib/kubernetes/images.ts). */
export function expectedImages(images: readonly PinnedImage[] = IMAGE_CATALOGUE) {
  return images.map((image) => ({ repository: cachedRepository(image), tag: image.tag, digest: image.digest }));
}

/**
 * Every image the platform references is in the recovery region's registry, by digest: pulled
 * through its cache in peacetime, so that the recovery pulls nothing from upstream.
 */
export function imageDigestsCheck(
  recovery: RecoveryEnvironment,
  found: Reading<readonly ImagePresence[]>,
  images: readonly PinnedImage[] = IMAGE_CATALOGUE,
): PreflightCheck {
  const id = "image-digests";
  const title = `Image digests the platform references in the registry of ${recovery.region}`;
  if (!found.ok) return failedRead(id, title, found.failure);
  const registry = { accountId: recovery.accountId, region: recovery.region };
  const missing = found.value.filter((image) => image.state !== "present");
  const byTag = found.value.filter((image) => image.state === "present" && image.digest === undefined);
  const name = (image: ImagePresence) => `${image.repository}${image.digest ? `@${image.digest}` : `:${image.tag} (digest pending)`}`;
  const summary = `${found.value.length - missing.length} of ${found.value.length} present${byTag.length > 0 ? `; by tag: ${byTag.map((i) => i.repository).join(", ")}` : ""}`;
  if (missing.length === 0) return { id, title, status: "pass", detail: summary, fix: "" };
  const references = missing.map((m) => images.find((i) => cachedRepository(i) === m.repository)).filter((i): i is PinnedImage => i !== undefined);
  return {
    id,
    title,
    status: "fail",
    detail: `${summary}\n${missing.map((m) => `  ${name(m)}: ${m.state === "no-repository" ? "no repository (never pulled through the cache here)" : "not in the repository"}`).join("\n")}`,
    fix: [
      `# in peacetime, pull each through the cache of ${recovery.region} once (any machine logged in to that registry: aws ecr get-login-password --region ${recovery.region} | docker login ...):`,
      ...references.map((image) => `docker pull ${regionalReference(image, registry)}`),
      "# a repository of the github prefix stays empty until its credentials are set (see registry-cache)",
    ].join("\n"),
  };
}
