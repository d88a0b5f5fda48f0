import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import {
  CLUSTER_VARS,
  FLUX2_CHART_VERSION,
  FLUX2_SYNC_CHART_VERSION,
  FLUX_CHART_REPOSITORY,
  FLUX_NAMESPACE,
  GIT_CREDENTIALS_SECRET,
  HELM_KEEP,
  KUSTOMIZE_CONTROLLER_SERVICE_ACCOUNT,
} from "../../lib/constructs/flux-bootstrap";
import { FLUX_KUSTOMIZE_CONTROLLER } from "../../lib/naming";
import { libraryViolations, podSecurityViolations, podTemplatesOf, restrictedViolations } from "../../lib/kubernetes/pod-security";
import { chartSource, extractHelm, helmRunner, helmTemplate, HELM_VERSION, RenderedObject, templatesRead, undeclaredValueKeys } from "../support/helm";
import { customResourceValidator, kubernetesSchemaProblems } from "../support/kubernetes-schema";
import { shippedEnvironments, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

/**
 * The Flux charts rendered by a real helm with exactly the values the shipped environments'
 * gitops stacks pass. Terraform expressions (cross-stack references) have no value before
 * apply: each becomes a placeholder string, remembered so assertions can name it.
 */

type Values = Record<string, any>;

/** Replaces every string holding a Terraform expression with `terraform-expression-<n>`. */
function withPlaceholders(value: unknown, placeholders: Map<string, string>): any {
  if (Array.isArray(value)) return value.map((v) => withPlaceholders(v, placeholders));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, placeholders)]));
  if (typeof value === "string" && value.includes("${")) {
    if (!placeholders.has(value)) placeholders.set(value, `terraform-expression-${placeholders.size}`);
    return placeholders.get(value);
  }
  return value;
}

interface GitopsStack {
  readonly id: string;
  readonly region: string;
  readonly flux2: Values;
  readonly sync: Values;
  readonly placeholders: Map<string, string>;
}

/**
 * The helm_release values of each shipped region: `flux2` from its gitops stack, `flux2-sync` from
 * its workloads stack, one values document per release.
 */
function shippedGitopsStacks(): GitopsStack[] {
  const outdir = tempDir("dr-platform-charts-");
  synthShipped(outdir);
  return shippedEnvironments()
    .map((loaded) => loaded.environment.region)
    .sort()
    .map((region) => {
      const id = `gitops-${region}`;
      const releasesOf = (stack: string) =>
        Object.values(JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")).resource.helm_release) as Values[];
      const releases = { flux2: releasesOf(id), "flux2-sync": releasesOf(`workloads-${region}`) };
      // The gitops stack also installs the load balancer controller (its chart is not in the mirror:
      // checked as a pod template in its own test); one flux2 and one flux2-sync release.
      expect(Object.values(releases).map((r) => r.filter((x) => x.chart === "flux2" || x.chart === "flux2-sync").length)).toEqual([1, 1]);
      expect(releases.flux2.map((r) => r.chart).sort()).toEqual(["aws-load-balancer-controller", "flux2"]);
      const placeholders = new Map<string, string>();
      const valuesOf = (chart: "flux2" | "flux2-sync", version: string) => {
        const matching = releases[chart].filter((r) => r.chart === chart);
        expect(matching).toHaveLength(1);
        expect(matching[0]).toMatchObject({ repository: FLUX_CHART_REPOSITORY, version });
        expect(matching[0].values).toHaveLength(1);
        return withPlaceholders(JSON.parse(matching[0].values[0]), placeholders);
      };
      return { id, region, flux2: valuesOf("flux2", FLUX2_CHART_VERSION), sync: valuesOf("flux2-sync", FLUX2_SYNC_CHART_VERSION), placeholders };
    });
}

let helm: (args: string[]) => string;
let flux2Chart: string;
let syncChart: string;
const stacks = shippedGitopsStacks();

beforeAll(async () => {
  const binary = await extractHelm();
  helm = helmRunner(binary);
  flux2Chart = chartSource(helm, FLUX_CHART_REPOSITORY, "flux2", FLUX2_CHART_VERSION);
  syncChart = chartSource(helm, FLUX_CHART_REPOSITORY, "flux2-sync", FLUX2_SYNC_CHART_VERSION);
}, 120_000);

const chartDefaults = (chartDir: string) => parseYaml(fs.readFileSync(path.join(chartDir, "values.yaml"), "utf8"));
const named = (objects: RenderedObject[], kind: string, name: string) => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([`${kind}/${name}`]);
  return found[0];
};

/**
 * kustomize-controller gets its AWS role through EKS Pod Identity: the kubernetes stack associates
 * the role with the service account by name, so the rendered account must have exactly that name
 * and no IRSA annotation (a leftover one would make the SDK try web identity first).
 */
function expectKustomizeControllerWiring(objects: RenderedObject[]) {
  const account = named(objects, "ServiceAccount", KUSTOMIZE_CONTROLLER_SERVICE_ACCOUNT);
  expect(KUSTOMIZE_CONTROLLER_SERVICE_ACCOUNT).toBe(FLUX_KUSTOMIZE_CONTROLLER.name);
  expect(account.metadata.annotations?.["eks.amazonaws.com/role-arn"]).toBeUndefined();
  const deployment = named(objects, "Deployment", "kustomize-controller");
  expect(deployment.spec.template.spec.serviceAccountName).toBe(KUSTOMIZE_CONTROLLER_SERVICE_ACCOUNT);
}

describe("the helm the chart tests run", () => {
  it(`is helm ${HELM_VERSION} from the kubectl v1.32 layer`, () => {
    expect(helm(["version", "--short"]).trim()).toMatch(new RegExp(`^${HELM_VERSION.replace(/\./g, "\\.")}\\+g[0-9a-f]+$`));
  });
});

describe("the value-key check", () => {
  const defaults = {
    kustomizeController: { serviceAccount: { annotations: {} }, resources: { limits: {}, requests: { cpu: "100m" } } },
    crds: { annotations: {} },
  };

  it("reports a misspelt key at any depth, and nothing below free-form maps", () => {
    expect(undeclaredValueKeys({ kustomizeControler: {} }, defaults)).toEqual([["kustomizeControler"]]);
    expect(undeclaredValueKeys({ kustomizeController: { serviceAcount: {} } }, defaults)).toEqual([["kustomizeController", "serviceAcount"]]);
    expect(undeclaredValueKeys({ kustomizeController: { resources: { requests: { cpus: "1" } } } }, defaults)).toEqual([
      ["kustomizeController", "resources", "requests", "cpus"],
    ]);
    expect(
      undeclaredValueKeys(
        {
          kustomizeController: { serviceAccount: { annotations: { "any/key": "x" } }, resources: { limits: { cpu: "1" } } },
          crds: { annotations: { a: "b" } },
        },
        defaults,
      ),
    ).toEqual([]);
  });

  it("does not look below a declared scalar (the chart takes the value whole)", () => {
    expect(undeclaredValueKeys({ kustomizeController: { resources: { requests: { cpu: { value: 1 } } } } }, defaults)).toEqual([]);
    expect(undeclaredValueKeys({ a: { b: 1 } }, { a: "" })).toEqual([]);
  });
});

describe("the flux2 chart with its own defaults", () => {
  it("needs its values: the chart's own pods meet restricted, but run with no numeric user and no limits", () => {
    const defaults = helmTemplate(helm, flux2Chart, "flux2", FLUX_NAMESPACE, []);
    const pods = defaults.flatMap((o) =>
      podTemplatesOf(o).map((t) => ({ object: `${o.kind}/${o.metadata.name}`, restricted: restrictedViolations(t), library: libraryViolations(t) })),
    );
    const expected = (object: string, requests: boolean) => ({
      object,
      restricted: [],
      library: [
        `containers[${object.startsWith("Job") ? "flux-cli" : "manager"}].securityContext.runAsUser must be a non-zero integer, here or on the pod (got unset)`,
        `containers[${object.startsWith("Job") ? "flux-cli" : "manager"}].securityContext.runAsGroup must be a non-zero integer, here or on the pod (got unset)`,
        ...(requests ? [] : [`containers[flux-cli].resources.requests.cpu must be set`, `containers[flux-cli].resources.requests.memory must be set`]),
        `containers[${object.startsWith("Job") ? "flux-cli" : "manager"}].resources.limits.cpu must be set`,
        `containers[${object.startsWith("Job") ? "flux-cli" : "manager"}].resources.limits.memory must be set`,
      ],
    });
    expect(pods.sort((a, b) => a.object.localeCompare(b.object))).toEqual([
      expected("Deployment/helm-controller", true),
      expected("Deployment/image-automation-controller", true),
      expected("Deployment/image-reflector-controller", true),
      expected("Deployment/kustomize-controller", true),
      expected("Deployment/notification-controller", true),
      expected("Deployment/source-controller", true),
      expected("Job/flux2-flux-check", false),
    ]);
  });
});

describe.each(stacks.map((stack) => [stack.id, stack] as const))("%s: flux2", (_id, stack) => {
  let objects: RenderedObject[];
  beforeAll(() => {
    objects = helmTemplate(helm, flux2Chart, "flux2", FLUX_NAMESPACE, [stack.flux2]);
  });

  it("passes only keys the chart declares in values.yaml, or that its templates read whole", () => {
    const undeclared = undeclaredValueKeys(stack.flux2, chartDefaults(flux2Chart)).map((p) => p.join("."));
    // The chart reads these without declaring them in values.yaml (`{{- if .Values.x.securityContext }}`).
    expect(undeclared.sort()).toEqual([
      "cli.resources",
      "cli.securityContext",
      "helmController.securityContext",
      "imageAutomationController.securityContext",
      "imageReflectionController.securityContext",
      "kustomizeController.securityContext",
      "notificationController.securityContext",
      "sourceController.securityContext",
    ]);
    for (const key of undeclared) expect({ key, read: templatesRead(flux2Chart, key.split(".")) }).toEqual({ key, read: true });
  });

  it("renders kustomize-controller's service account with the name the pod identity association uses, without an IRSA annotation", () => {
    expectKustomizeControllerWiring(objects);
  });

  it("keeps every Flux CRD when the release is uninstalled or replaced", () => {
    const crds = objects.filter((o) => o.kind === "CustomResourceDefinition");
    expect(crds.map((c) => c.metadata.name).sort()).toEqual([
      "alerts.notification.toolkit.fluxcd.io",
      "buckets.source.toolkit.fluxcd.io",
      "gitrepositories.source.toolkit.fluxcd.io",
      "helmcharts.source.toolkit.fluxcd.io",
      "helmreleases.helm.toolkit.fluxcd.io",
      "helmrepositories.source.toolkit.fluxcd.io",
      "imagepolicies.image.toolkit.fluxcd.io",
      "imagerepositories.image.toolkit.fluxcd.io",
      "imageupdateautomations.image.toolkit.fluxcd.io",
      "kustomizations.kustomize.toolkit.fluxcd.io",
      "ocirepositories.source.toolkit.fluxcd.io",
      "providers.notification.toolkit.fluxcd.io",
      "receivers.notification.toolkit.fluxcd.io",
    ]);
    for (const crd of crds)
      expect({ crd: crd.metadata.name, keep: crd.metadata.annotations?.["helm.sh/resource-policy"] }).toEqual({ crd: crd.metadata.name, keep: "keep" });
  });

  it("runs every pod (controllers and the pre-install flux check) under restricted, with numeric users, limits and read-only roots", () => {
    const pods = objects.flatMap((o) => podTemplatesOf(o).map((t) => ({ object: `${o.kind}/${o.metadata.name}`, violations: podSecurityViolations(t) })));
    expect(pods.map((p) => p.object).sort()).toEqual([
      "Deployment/helm-controller",
      "Deployment/image-automation-controller",
      "Deployment/image-reflector-controller",
      "Deployment/kustomize-controller",
      "Deployment/notification-controller",
      "Deployment/source-controller",
      "Job/flux2-flux-check",
    ]);
    for (const pod of pods) expect(pod).toEqual({ object: pod.object, violations: [] });
  });

  it("renders built-in objects the Kubernetes API schema accepts", () => {
    const builtIn = objects.filter((o) => !o.apiVersion.includes(".toolkit.fluxcd.io"));
    expect(builtIn.length).toBeGreaterThan(20);
    for (const object of builtIn) {
      const name = `${object.apiVersion} ${object.kind}/${object.metadata.name}`;
      expect({ name, problems: kubernetesSchemaProblems(object) }).toEqual({ name, problems: [] });
    }
  });
});

describe.each(stacks.map((stack) => [`workloads-${stack.region}`, stack] as const))("%s: flux2-sync", (_id, stack) => {
  let objects: RenderedObject[];
  let validate: (object: Record<string, any>) => string[];
  const env = () => shippedEnvironments().find((loaded) => loaded.environment.region === stack.region)!.environment;
  beforeAll(() => {
    objects = helmTemplate(helm, syncChart, FLUX_NAMESPACE, FLUX_NAMESPACE, [stack.sync]);
    const crds = helmTemplate(helm, flux2Chart, "flux2", FLUX_NAMESPACE, [stack.flux2]).filter((o) => o.kind === "CustomResourceDefinition");
    validate = customResourceValidator(crds);
  });

  it("passes only keys the chart declares in values.yaml", () => {
    expect(undeclaredValueKeys(stack.sync, chartDefaults(syncChart))).toEqual([]);
  });

  it("renders exactly one GitRepository and one Kustomization, nothing else", () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`).sort()).toEqual([
      "kustomize.toolkit.fluxcd.io/v1 Kustomization/flux-system",
      "source.toolkit.fluxcd.io/v1 GitRepository/flux-system",
    ]);
  });

  it("points the GitRepository at the environment's repository and branch, with the Git secret, kept on uninstall", () => {
    const { flux } = env();
    const repository = named(objects, "GitRepository", FLUX_NAMESPACE);
    expect(repository.metadata.annotations).toEqual(HELM_KEEP);
    expect(repository.spec).toEqual({
      url: flux.repositoryUrl,
      ref: { branch: flux.branch },
      interval: `${flux.intervalMinutes}m`,
      secretRef: { name: GIT_CREDENTIALS_SECRET },
    });
  });

  it("syncs the cluster's path with SOPS decryption and the cluster-vars substitution, kept on uninstall", () => {
    const { flux } = env();
    const kustomization = named(objects, "Kustomization", FLUX_NAMESPACE);
    expect(kustomization.metadata.annotations).toEqual(HELM_KEEP);
    expect(kustomization.spec).toEqual({
      path: `./${flux.path}`,
      prune: flux.prune,
      interval: `${flux.intervalMinutes}m`,
      decryption: { provider: "sops" },
      postBuild: { substituteFrom: [{ kind: "ConfigMap", name: CLUSTER_VARS }] },
      sourceRef: { kind: "GitRepository", name: FLUX_NAMESPACE },
    });
  });

  it("renders objects the flux2 chart's CRD schemas accept", () => {
    for (const object of objects) {
      const name = `${object.kind}/${object.metadata.name}`;
      expect({ name, problems: validate(object) }).toEqual({ name, problems: [] });
    }
  });

  it("the CRD schema check refuses a misspelt or mistyped field", () => {
    const kustomization = named(objects, "Kustomization", FLUX_NAMESPACE);
    expect(validate({ ...kustomization, spec: { ...kustomization.spec, decryption: { provider: "sopss" } } })).toEqual([
      '/spec/decryption/provider must be equal to one of the allowed values {"allowedValues":["sops"]}',
    ]);
    expect(validate({ ...kustomization, spec: { ...kustomization.spec, postbuild: {} } })).toEqual([
      '/spec must NOT have additional properties {"additionalProperty":"postbuild"}',
    ]);
  });
});
