import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { addEnvironments, type EnvironmentStacks } from "../../app/assemble";
import { apiGroup, clusterOrderProblems, isBuiltInGroup, type OrderStack } from "../../lib/kubernetes/cluster-order";
import { shippedEnvironments } from "../support/shipped";
import { tempDir } from "../support/temp";

const NS = { "pod-security.kubernetes.io/enforce": "restricted" };
const controller = { chart: "aws-load-balancer-controller", namespace: "kube-system" };
const binding = (namespace: string, extra: Record<string, unknown> = {}) => ({
  manifest: { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: "site", namespace } },
  ...extra,
});
const stack = (id: string, dependencies: string[], resources: OrderStack["resources"]): OrderStack => ({ id, dependencies, resources });

describe("clusterOrderProblems: custom resources", () => {
  it("accepts a custom resource whose CRD a chart installs in a stack it depends on, directly or not", () => {
    const gitops = stack("gitops", [], { helm_release: { lb: controller } });
    const middle = stack("middle", ["gitops"], {});
    const workloads = stack("workloads", ["middle"], { kubernetes_manifest: { tgb: binding("kube-system") } });
    expect(clusterOrderProblems([gitops, middle, workloads])).toEqual([]);
  });

  it("refuses one beside the chart that installs its CRD (planned against the live API)", () => {
    const gitops = stack("gitops", [], {
      helm_release: { lb: controller },
      kubernetes_manifest: { tgb: binding("kube-system", { depends_on: ["helm_release.lb"] }) },
    });
    expect(clusterOrderProblems([gitops])).toEqual([
      "gitops: kubernetes_manifest.tgb (elbv2.k8s.aws/v1beta1 TargetGroupBinding) needs the CRD of elbv2.k8s.aws, which helm_release.lb in gitops installs in the same stack: a kubernetes_manifest is planned against the live API, so on a new cluster the plan fails before the chart exists (terraform-provider-kubernetes#1367); move it to a stack deployed after gitops",
    ]);
  });

  it("refuses one whose CRD comes from a stack it does not depend on, or from nowhere", () => {
    const gitops = stack("gitops", [], { helm_release: { lb: controller } });
    const other = stack("other", [], { kubernetes_manifest: { tgb: binding("kube-system") } });
    expect(clusterOrderProblems([gitops, other])).toEqual([
      "other: kubernetes_manifest.tgb (elbv2.k8s.aws/v1beta1 TargetGroupBinding) needs the CRD of elbv2.k8s.aws, which only helm_release.lb in gitops installs, in a stack other does not depend on",
    ]);
    expect(clusterOrderProblems([other])).toEqual([
      "other: kubernetes_manifest.tgb (elbv2.k8s.aws/v1beta1 TargetGroupBinding) needs the CRD of elbv2.k8s.aws, which no stack installs",
    ]);
  });

  it("accepts a CRD made by a kubernetes_manifest of an earlier stack, and built-in kinds without any", () => {
    const crds = stack("crds", [], {
      kubernetes_manifest: { crd: { manifest: { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", spec: { group: "example.com" } } } },
    });
    const user = stack("user", ["crds"], {
      kubernetes_manifest: {
        widget: { manifest: { apiVersion: "example.com/v1", kind: "Widget", metadata: { namespace: "default" } } },
        policy: { manifest: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { namespace: "default" } } },
      },
    });
    expect(clusterOrderProblems([crds, user])).toEqual([]);
  });

  it("requires the CRDs of a chart's custom resources (flux2-sync) from an earlier stack, or a release it waits for", () => {
    const sync = { chart: "flux2-sync", namespace: "kube-system" };
    expect(clusterOrderProblems([stack("w", [], { helm_release: { sync } })])).toEqual([
      "w: helm_release.sync (chart flux2-sync) creates kustomize.toolkit.fluxcd.io resources, but no earlier stack installs that CRD",
      "w: helm_release.sync (chart flux2-sync) creates source.toolkit.fluxcd.io resources, but no earlier stack installs that CRD",
    ]);
    const flux = { chart: "flux2", namespace: "kube-system" };
    expect(clusterOrderProblems([stack("g", [], { helm_release: { flux } }), stack("w", ["g"], { helm_release: { sync } })])).toEqual([]);
    expect(clusterOrderProblems([stack("w", [], { helm_release: { flux, sync: { ...sync, depends_on: ["helm_release.flux"] } } })])).toEqual([]);
  });
});

describe("clusterOrderProblems: namespaces", () => {
  const namespace = { metadata: { name: "site", labels: NS } };
  const secret = (ns: string, extra: Record<string, unknown> = {}) => ({ metadata: { name: "s", namespace: ns }, ...extra });

  it("accepts a system namespace, a referenced namespace of the same stack, and one made by an earlier stack", () => {
    expect(clusterOrderProblems([stack("a", [], { kubernetes_secret_v1: { s: secret("kube-system") } })])).toEqual([]);
    expect(
      clusterOrderProblems([
        stack("a", [], { kubernetes_namespace_v1: { ns: namespace }, kubernetes_secret_v1: { s: secret("${kubernetes_namespace_v1.ns.metadata[0].name}") } }),
      ]),
    ).toEqual([]);
    expect(
      clusterOrderProblems([
        stack("a", [], { kubernetes_namespace_v1: { ns: namespace } }),
        stack("b", ["a"], { kubernetes_secret_v1: { s: secret("site") } }),
      ]),
    ).toEqual([]);
  });

  it("accepts a literal namespace of the same stack when the object depends on it, and refuses it otherwise", () => {
    const waits = stack("a", [], {
      kubernetes_namespace_v1: { ns: namespace },
      kubernetes_secret_v1: { s: secret("site", { depends_on: ["kubernetes_namespace_v1.ns"] }) },
    });
    expect(clusterOrderProblems([waits])).toEqual([]);
    const races = stack("a", [], { kubernetes_namespace_v1: { ns: namespace }, kubernetes_secret_v1: { s: secret("site") } });
    expect(clusterOrderProblems([races])).toEqual([
      'a: kubernetes_secret_v1.s is put in namespace "site", which kubernetes_namespace_v1.ns in a creates without kubernetes_secret_v1.s waiting for it: reference its name (metadata[0].name) or depend on it',
    ]);
  });

  it("refuses a namespace from a stack it does not depend on, from nowhere, or a reference to something else", () => {
    const maker = stack("a", [], { kubernetes_namespace_v1: { ns: namespace } });
    const user = stack("b", [], { kubernetes_manifest: { m: { manifest: { apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "site" } } } } });
    expect(clusterOrderProblems([maker, user])).toEqual([
      'b: kubernetes_manifest.m is put in namespace "site", which only kubernetes_namespace_v1.ns in a creates, in a stack b does not depend on',
    ]);
    expect(clusterOrderProblems([user])).toEqual([
      'b: kubernetes_manifest.m is put in namespace "site", which no stack creates: create it (kubernetes_namespace_v1) before anything is put in it',
    ]);
    const odd = stack("c", [], {
      kubernetes_config_map_v1: { cm: { metadata: { name: "x" } } },
      kubernetes_secret_v1: { s: secret("${kubernetes_config_map_v1.cm.metadata[0].name}") },
    });
    expect(clusterOrderProblems([odd])).toEqual(["c: kubernetes_secret_v1.s takes its namespace from kubernetes_config_map_v1.cm, which is not a namespace"]);
  });

  it("counts a release's created namespace, and a release without create_namespace needs its namespace", () => {
    const creates = stack("a", [], { helm_release: { r: { chart: "x", namespace: "tools", create_namespace: true } } });
    expect(clusterOrderProblems([creates, stack("b", ["a"], { kubernetes_secret_v1: { s: secret("tools") } })])).toEqual([]);
    expect(clusterOrderProblems([stack("a", [], { helm_release: { r: { chart: "x", namespace: "tools" } } })])).toEqual([
      'a: helm_release.r is put in namespace "tools", which no stack creates: create it (kubernetes_namespace_v1) before anything is put in it',
    ]);
  });
});

describe("API groups", () => {
  it.each([
    ["v1", ""],
    ["apps/v1", "apps"],
    ["elbv2.k8s.aws/v1beta1", "elbv2.k8s.aws"],
    ["networking.k8s.io/v1", "networking.k8s.io"],
  ])("apiGroup(%s) is %j", (apiVersion, group) => expect(apiGroup(apiVersion)).toBe(group));

  it("tells built-in groups from custom ones", () => {
    expect(["", "apps", "batch", "networking.k8s.io", "rbac.authorization.k8s.io"].map(isBuiltInGroup)).toEqual([true, true, true, true, true]);
    expect(["elbv2.k8s.aws", "source.toolkit.fluxcd.io", "example.com"].map(isBuiltInGroup)).toEqual([false, false, false]);
  });
});

describe("the shipped environments build a new cluster", () => {
  /** Every stack of an app written out, as synthesize() reads them for the check. */
  function orderStacks(app: App): OrderStack[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, "manifest.json"), "utf8"));
    return Object.entries(manifest.stacks).map(([id, s]: [string, any]) => ({
      id,
      dependencies: s.dependencies,
      resources: JSON.parse(fs.readFileSync(path.join(app.outdir, s.synthesizedStackPath), "utf8")).resource ?? {},
    }));
  }

  function shippedApp(change: (stacks: Map<string, EnvironmentStacks>) => void = () => undefined): App {
    const app = new App({ outdir: tempDir("dr-platform-cluster-order-") });
    change(addEnvironments(app, shippedEnvironments()));
    app.synth();
    return app;
  }

  it("every shipped environment passes: custom resources after their CRDs' stack, namespaces before their objects", () => {
    const stacks = orderStacks(shippedApp());
    // Not vacuous: the TargetGroupBinding and the namespaced jobs are there to be checked.
    const manifests = stacks.flatMap((s) => Object.keys(s.resources.kubernetes_manifest ?? {}).map((id) => `${s.id} ${id}`));
    expect(manifests).toEqual([expect.stringMatching(/^workloads-us-east-1 site_resource_/), expect.stringMatching(/^workloads-us-east-2 site_resource_/)]);
    expect(clusterOrderProblems(stacks)).toEqual([]);
  });

  it("fails when the TargetGroupBinding is put back beside the chart that installs its CRD", () => {
    const stacks = orderStacks(
      shippedApp((made) => {
        const gitops = made.get("us-east-2")!.gitops;
        const release = gitops.node.findAll().find((c) => c instanceof Release) as Release;
        new Manifest(gitops, "tgb", {
          dependsOn: [release],
          manifest: { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: "site", namespace: "kube-system" } },
        });
      }),
    );
    expect(clusterOrderProblems(stacks)).toEqual([
      expect.stringMatching(
        /^gitops-us-east-2: kubernetes_manifest\.tgb \(elbv2\.k8s\.aws\/v1beta1 TargetGroupBinding\) needs the CRD of elbv2\.k8s\.aws, which helm_release\.lb-controller_release_[0-9A-F]+ in gitops-us-east-2 installs in the same stack/,
      ),
    ]);
  });
});
