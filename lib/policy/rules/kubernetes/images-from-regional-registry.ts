import { isKubernetesResource, toKubernetesObject } from "../../../kubernetes/from-terraform";
import { parseRegionalReference } from "../../../kubernetes/images";
import { podTemplatesOf } from "../../../kubernetes/pod-security";
import { type PolicyRule, type SynthesizedResource, type SynthesizedStack } from "../../rule";

/** The region of a stack's default AWS provider (the one without an alias): its cluster's region. */
function stackRegion(stack: SynthesizedStack): string | undefined {
  const region = (stack.providers.aws ?? []).find((p) => p.alias === undefined)?.region;
  return typeof region === "string" ? region : undefined;
}

/** Every container image of a Kubernetes resource's pod templates. */
function podImages(resource: SynthesizedResource): unknown[] {
  return podTemplatesOf(toKubernetesObject(resource.type, resource.config)).flatMap((template) =>
    (["containers", "initContainers", "ephemeralContainers"] as const).flatMap((list) =>
      (Array.isArray(template.spec[list]) ? (template.spec[list] as Record<string, unknown>[]) : []).map((c) => c?.image),
    ),
  );
}

/**
 * The images a helm release's values set, as the charts the library installs render them: an
 * object with `image` and `tag` (the flux2 chart: `<image>@<tag>` when the tag is a digest, else
 * `<image>:<tag>`) or with `repository` and `tag` (eks-charts: `<repository>:<tag>`).
 */
export function helmValueImages(values: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== "object") return;
    const object = value as Record<string, unknown>;
    if (typeof object.tag === "string" && typeof object.image === "string") {
      found.push(object.tag.startsWith("sha256:") ? `${object.image}@${object.tag}` : `${object.image}:${object.tag}`);
    } else if (typeof object.tag === "string" && typeof object.repository === "string") {
      found.push(`${object.repository}:${object.tag}`);
    }
    Object.values(object).forEach(visit);
  };
  visit(values);
  return found;
}

function releaseImages(resource: SynthesizedResource): unknown[] {
  return (Array.isArray(resource.config.values) ? resource.config.values : []).flatMap((text: unknown) => {
    if (typeof text !== "string") return [];
    try {
      return helmValueImages(JSON.parse(text));
    } catch {
      return [];
    }
  });
}

/**
 * Every container image a synthesized resource runs: its pod templates' (a Kubernetes resource) or
 * its values' (a helm release); undefined for any other resource. docs/images.md is tested with it.
 */
export function resourceImages(resource: SynthesizedResource): unknown[] | undefined {
  if (resource.type === "helm_release") return releaseImages(resource);
  if (isKubernetesResource(resource.type)) return podImages(resource);
  return undefined;
}

export const ImagesFromRegionalRegistry: PolicyRule = {
  id: "DR-K8S-3",
  description:
    "Every container image the stack runs (pod templates, and the image values of its helm releases) comes from the account's ECR registry in the stack's region and is pinned by digest: a recovery pulls nothing from another region or from a rate-limited public registry, and runs what was tested.",
  fix: "Reference the image as <account>.dkr.ecr.<region>.amazonaws.com/<cache prefix>/<repository>:<tag>@sha256:<digest>: add it to lib/kubernetes/images.ts and take regionalReference() of it (docs/images.md); the region's pull through cache rules serve it.",
  counterparts: { checkov: "CKV_K8S_43 (image by digest)" },
  evaluate(resource, stack) {
    const images = resourceImages(resource);
    if (images === undefined || images.length === 0) return "not-applicable";
    const region = stackRegion(stack);
    const ok = images.every((image) => {
      const parsed = typeof image === "string" ? parseRegionalReference(image) : undefined;
      return parsed !== undefined && parsed.region === region && parsed.digest !== undefined && parsed.tag !== undefined;
    });
    return ok ? "compliant" : "non-compliant";
  },
};
