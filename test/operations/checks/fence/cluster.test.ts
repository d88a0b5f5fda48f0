import {
  clusterUnreachable,
  cronJobsDecision,
  cronJobsOutcome,
  fluxDecision,
  fluxToSuspend,
  fluxOutcome,
  workloadsDecision,
  workloadsOutcome,
  workloadsToFence,
} from "../../../../lib/operations/checks/fence/cluster";
import { primary } from "../../../support/facts";

const FLUX = "Suspend every Flux Kustomization and HelmRelease (the root first)";
const CRONJOBS = "Suspend the library's CronJobs in dr-backups";
const WORKLOADS = "Scale every workload outside the system namespaces to zero";
const web = { namespace: "app", kind: "deployment" as const, name: "web", replicas: 3 };

describe("the fence's cluster decisions", () => {
  it("reports every cluster action not reachable when the cluster does not answer", () => {
    expect(clusterUnreachable(primary, "no such cluster")).toEqual([
      { id: "flux", title: FLUX, status: "not reachable", detail: "cluster acme-us-east-1: no such cluster" },
      { id: "workloads", title: WORKLOADS, status: "not reachable", detail: "cluster acme-us-east-1: no such cluster" },
      { id: "cronjobs", title: CRONJOBS, status: "not reachable", detail: "cluster acme-us-east-1: no such cluster" },
    ]);
  });

  it("suspends every running Kustomization and HelmRelease, the root first, only when the fence applies", () => {
    const objects = [
      { kind: "helmrelease" as const, namespace: "apps", name: "site", suspended: false },
      { kind: "kustomization" as const, namespace: "flux-system", name: "apps", suspended: false },
      { kind: "kustomization" as const, namespace: "flux-system", name: "flux-system", suspended: false },
      { kind: "kustomization" as const, namespace: "flux-system", name: "infra", suspended: true },
    ];
    const [site, apps, root] = objects;
    expect(fluxToSuspend(objects)).toEqual([root, apps, site]);
    expect(fluxDecision({ reachable: true, objects }, true)).toEqual({ act: [root, apps, site] });
    expect(fluxDecision({ reachable: true, objects }, false)).toEqual({
      action: {
        id: "flux",
        title: FLUX,
        status: "would do",
        detail: "suspend: kustomization/flux-system/flux-system, kustomization/flux-system/apps, helmrelease/apps/site",
      },
    });
    expect(fluxDecision({ reachable: true, objects: [objects[3]] }, true)).toEqual({
      action: { id: "flux", title: FLUX, status: "already done", detail: "suspended: kustomization/flux-system/infra" },
    });
    expect(fluxDecision({ reachable: true, objects: [] }, true)).toEqual({
      action: { id: "flux", title: FLUX, status: "already done", detail: "suspended: no Kustomization or HelmRelease found" },
    });
    expect(fluxOutcome([root, site], [])).toEqual({
      id: "flux",
      title: FLUX,
      status: "done",
      detail: "suspended: kustomization/flux-system/flux-system, helmrelease/apps/site",
    });
    expect(fluxOutcome([root, site], ["helmrelease/apps/site: Error: forbidden"])).toEqual({
      id: "flux",
      title: FLUX,
      status: "failed",
      detail: "not suspended: helmrelease/apps/site: Error: forbidden",
    });
  });

  it("suspends the library's running CronJobs, reporting done, already done or not reachable", () => {
    const archive = { namespace: "dr-backups", name: "database-archive", suspended: false };
    const rotation = { namespace: "dr-backups", name: "broker-password-rotation", suspended: true };
    expect(cronJobsDecision({ listed: true, cronJobs: [archive, rotation] }, true)).toEqual({ act: [archive] });
    expect(cronJobsDecision({ listed: true, cronJobs: [archive, rotation] }, false)).toEqual({
      action: { id: "cronjobs", title: CRONJOBS, status: "would do", detail: "suspend: dr-backups/database-archive" },
    });
    expect(cronJobsDecision({ listed: true, cronJobs: [rotation] }, true)).toEqual({
      action: { id: "cronjobs", title: CRONJOBS, status: "already done", detail: "suspended: dr-backups/broker-password-rotation" },
    });
    expect(cronJobsDecision({ listed: false, problem: "timeout" }, true)).toEqual({
      action: { id: "cronjobs", title: CRONJOBS, status: "not reachable", detail: "timeout" },
    });
    expect(cronJobsOutcome([archive], [])).toEqual({ id: "cronjobs", title: CRONJOBS, status: "done", detail: "suspended: dr-backups/database-archive" });
    expect(cronJobsOutcome([archive], ["dr-backups/database-archive: forbidden"])).toEqual({
      id: "cronjobs",
      title: CRONJOBS,
      status: "failed",
      detail: "not suspended: dr-backups/database-archive: forbidden",
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
