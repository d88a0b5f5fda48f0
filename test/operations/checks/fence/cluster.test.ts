import {
  clusterUnreachable,
  fluxDecision,
  fluxOutcome,
  workloadsDecision,
  workloadsOutcome,
  workloadsToFence,
} from "../../../../lib/operations/checks/fence/cluster";
import { primary } from "../../../support/facts";

const FLUX = "Suspend Flux's root Kustomization flux-system/flux-system";
const WORKLOADS = "Scale every workload outside the system namespaces to zero";
const web = { namespace: "app", kind: "deployment" as const, name: "web", replicas: 3 };

describe("the fence's cluster decisions", () => {
  it("reports both cluster actions not reachable when the cluster does not answer", () => {
    expect(clusterUnreachable(primary, "no such cluster")).toEqual([
      { id: "flux", title: FLUX, status: "not reachable", detail: "cluster acme-us-east-1: no such cluster" },
      { id: "workloads", title: WORKLOADS, status: "not reachable", detail: "cluster acme-us-east-1: no such cluster" },
    ]);
  });

  it("suspends Flux only when it runs and the fence applies", () => {
    expect(fluxDecision({ reachable: true, suspended: true }, true)).toEqual({
      action: { id: "flux", title: FLUX, status: "already done", detail: "spec.suspend is true" },
    });
    expect(fluxDecision({ reachable: true, suspended: false }, false)).toEqual({
      action: {
        id: "flux",
        title: FLUX,
        status: "would do",
        detail: `kubectl -n flux-system patch kustomization flux-system --type merge -p '{"spec":{"suspend":true}}'`,
      },
    });
    expect(fluxDecision({ reachable: true, suspended: false }, true)).toEqual({ act: "suspend" });
    expect(fluxOutcome({ status: 0, stdout: "", stderr: "" })).toEqual({ id: "flux", title: FLUX, status: "done", detail: "spec.suspend set to true" });
    expect(fluxOutcome({ status: 1, stdout: "", stderr: "warning\nError: forbidden\n" })).toEqual({
      id: "flux",
      title: FLUX,
      status: "failed",
      detail: "Error: forbidden",
    });
  });

  it("scales only workloads with replicas outside the system namespaces", () => {
    const all = [
      web,
      { ...web, namespace: "kube-system", name: "coredns" },
      { ...web, namespace: "flux-system", name: "x" },
      { ...web, name: "idle", replicas: 0 },
    ];
    expect(workloadsToFence(all)).toEqual([web]);
    expect(workloadsDecision({ listed: true, workloads: all }, true)).toEqual({ act: [web] });
    expect(workloadsDecision({ listed: true, workloads: all }, false)).toEqual({
      action: { id: "workloads", title: WORKLOADS, status: "would do", detail: "scale to 0: app/deployment/web (3)" },
    });
    expect(workloadsDecision({ listed: true, workloads: [{ ...web, replicas: 0 }] }, true)).toEqual({
      action: { id: "workloads", title: WORKLOADS, status: "already done", detail: "no workload outside the system namespaces has replicas" },
    });
    expect(workloadsDecision({ listed: false, problem: "timeout" }, true)).toEqual({
      action: { id: "workloads", title: WORKLOADS, status: "not reachable", detail: "timeout" },
    });
  });

  it("reports the scaling done, or every workload that was not scaled", () => {
    expect(workloadsOutcome([web], [])).toEqual({ id: "workloads", title: WORKLOADS, status: "done", detail: "scaled to 0: app/deployment/web (3)" });
    expect(workloadsOutcome([web], ["app/deployment/web: forbidden"])).toEqual({
      id: "workloads",
      title: WORKLOADS,
      status: "failed",
      detail: "not scaled: app/deployment/web: forbidden",
    });
  });
});
