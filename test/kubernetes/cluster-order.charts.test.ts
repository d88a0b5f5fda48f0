import { parseAllDocuments } from "yaml";
import { FLUX2_CHART_VERSION, FLUX2_SYNC_CHART_VERSION, FLUX_CHART_REPOSITORY } from "../../lib/constructs/flux-bootstrap";
import { LB_CONTROLLER_CHART } from "../../lib/constructs/load-balancer-controller";
import { apiGroup, CHART_CRD_GROUPS, CHART_RESOURCE_GROUPS, isBuiltInGroup } from "../../lib/kubernetes/cluster-order";
import { chartSource, extractHelm, helmRunner } from "../support/helm";

/**
 * The cluster-order check's chart tables are facts about the pinned charts: each is compared with
 * what a real helm renders from the chart mirror (CRDs included).
 */
let helm: (args: string[]) => string;

beforeAll(async () => {
  helm = helmRunner(await extractHelm());
}, 120_000);

function rendered(repository: string, chart: string, version: string, ...args: string[]): Record<string, any>[] {
  const dir = chartSource(helm, repository, chart, version);
  return parseAllDocuments(helm(["template", "release", dir, "--namespace", "flux-system", "--include-crds", ...args]))
    .map((d) => d.toJS())
    .filter((o) => o && typeof o === "object");
}

const crdGroups = (objects: Record<string, any>[]) =>
  [...new Set(objects.filter((o) => o.kind === "CustomResourceDefinition").map((o) => o.spec.group))].sort();
const customGroups = (objects: Record<string, any>[]) =>
  [...new Set(objects.filter((o) => o.kind !== "CustomResourceDefinition").map((o) => apiGroup(o.apiVersion)))].filter((g) => !isBuiltInGroup(g)).sort();

describe("the charts' CRDs and custom resources", () => {
  it(`flux2 ${FLUX2_CHART_VERSION} installs exactly the CRD groups of the table`, () => {
    expect(crdGroups(rendered(FLUX_CHART_REPOSITORY, "flux2", FLUX2_CHART_VERSION))).toEqual(CHART_CRD_GROUPS.flux2);
  });

  it(`aws-load-balancer-controller ${LB_CONTROLLER_CHART.version} installs exactly the CRD groups of the table`, () => {
    // The chart refuses to render without a cluster name.
    const objects = rendered(LB_CONTROLLER_CHART.repository, LB_CONTROLLER_CHART.chart, LB_CONTROLLER_CHART.version, "--set", "clusterName=example");
    expect(crdGroups(objects)).toEqual(CHART_CRD_GROUPS["aws-load-balancer-controller"]);
  });

  it(`flux2-sync ${FLUX2_SYNC_CHART_VERSION} creates custom resources of exactly the table's groups, and no CRD`, () => {
    const objects = rendered(FLUX_CHART_REPOSITORY, "flux2-sync", FLUX2_SYNC_CHART_VERSION);
    expect(crdGroups(objects)).toEqual([]);
    expect(customGroups(objects)).toEqual(CHART_RESOURCE_GROUPS["flux2-sync"]);
  });

  it("flux2 and the controller create no custom resource of their own (nothing the table leaves out)", () => {
    expect(Object.keys(CHART_RESOURCE_GROUPS)).toEqual(["flux2-sync"]);
    expect(customGroups(rendered(FLUX_CHART_REPOSITORY, "flux2", FLUX2_CHART_VERSION))).toEqual([]);
    const controller = rendered(LB_CONTROLLER_CHART.repository, LB_CONTROLLER_CHART.chart, LB_CONTROLLER_CHART.version, "--set", "clusterName=example");
    expect(customGroups(controller)).toEqual([]);
  });
});
