import {
  libraryViolations,
  namespaceLabelViolations,
  podSecurityViolations,
  podTemplatesOf,
  RESTRICTED_NAMESPACE_LABELS,
  restrictedViolations,
} from "../../lib/kubernetes/pod-security";

type Obj = Record<string, any>;

const GOOD_CONTAINER: Obj = {
  name: "app",
  image: "example/app:1@sha256:" + "a".repeat(64),
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 100,
    runAsGroup: 101,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  },
  resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
};

/** A pod template from a good one, with a change to the spec or to its container's securityContext. */
function pod(spec: Obj = {}, security: Obj = {}, container: Obj = {}): { metadata?: Obj; spec: Obj } {
  const securityContext = { ...GOOD_CONTAINER.securityContext, ...security };
  for (const [key, value] of Object.entries(securityContext)) if (value === undefined) delete securityContext[key];
  return { spec: { containers: [{ ...GOOD_CONTAINER, securityContext, ...container }], ...spec } };
}

describe("podTemplatesOf", () => {
  const spec = { containers: [GOOD_CONTAINER] };
  it("finds the pod of a Pod, Job, CronJob, Deployment, StatefulSet and DaemonSet, with the template's metadata", () => {
    const metadata = { labels: { app: "x" } };
    expect(podTemplatesOf({ kind: "Pod", metadata, spec })).toEqual([{ metadata, spec }]);
    expect(podTemplatesOf({ kind: "Job", spec: { template: { metadata, spec } } })).toEqual([{ metadata, spec }]);
    expect(podTemplatesOf({ kind: "CronJob", spec: { jobTemplate: { spec: { template: { metadata, spec } } } } })).toEqual([{ metadata, spec }]);
    for (const kind of ["Deployment", "StatefulSet", "DaemonSet"])
      expect(podTemplatesOf({ kind, spec: { template: { spec } } })).toEqual([{ metadata: undefined, spec }]);
  });

  it("finds none in objects without pods", () => {
    expect(podTemplatesOf({ kind: "ConfigMap", data: { containers: "x" } })).toEqual([]);
    expect(podTemplatesOf({ kind: "Namespace", metadata: { name: "a" } })).toEqual([]);
    expect(podTemplatesOf(undefined)).toEqual([]);
  });
});

describe("restrictedViolations", () => {
  it("accepts a container meeting restricted, and NET_BIND_SERVICE added after drop ALL", () => {
    expect(restrictedViolations(pod())).toEqual([]);
    expect(restrictedViolations(pod({}, { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }))).toEqual([]);
    expect(restrictedViolations(pod({}, { seccompProfile: { type: "Localhost", localhostProfile: "p.json" } }))).toEqual([]);
  });

  it.each([
    ["host network", pod({ hostNetwork: true }), "hostNetwork must be false or unset (got true)"],
    ["host PID", pod({ hostPID: true }), "hostPID must be false or unset (got true)"],
    ["host IPC", pod({ hostIPC: true }), "hostIPC must be false or unset (got true)"],
    [
      "a Windows host process",
      pod({ securityContext: { windowsOptions: { hostProcess: true } } }),
      "securityContext.windowsOptions.hostProcess must not be true",
    ],
    ["a hostPath volume", pod({ volumes: [{ name: "root", hostPath: { path: "/" } }] }), "volumes[root] uses hostPath, which restricted does not allow"],
    ["an NFS volume", pod({ volumes: [{ name: "share", nfs: { server: "nfs", path: "/" } }] }), "volumes[share] uses nfs, which restricted does not allow"],
    [
      "an unsafe sysctl",
      pod({ securityContext: { sysctls: [{ name: "kernel.msgmax", value: "1" }] } }),
      'securityContext.sysctls: "kernel.msgmax" is not a safe sysctl',
    ],
    [
      "an SELinux user",
      pod({ securityContext: { seLinuxOptions: { user: "system_u" } } }),
      'securityContext.seLinuxOptions.user must be unset (got "system_u")',
    ],
    ["an SELinux type", pod({}, { seLinuxOptions: { type: "spc_t" } }), 'containers[app].securityContext.seLinuxOptions.type "spc_t" is not allowed'],
    [
      "an unconfined AppArmor profile",
      pod({}, { appArmorProfile: { type: "Unconfined" } }),
      'containers[app].securityContext.appArmorProfile.type must be RuntimeDefault or Localhost (got "Unconfined")',
    ],
    ["root on the pod", pod({ securityContext: { runAsUser: 0 } }), "securityContext.runAsUser must not be 0"],
    [
      "an unconfined seccomp profile on the pod",
      pod({ securityContext: { seccompProfile: { type: "Unconfined" } } }),
      'securityContext.seccompProfile.type must be RuntimeDefault or Localhost (got "Unconfined")',
    ],
    ["a privileged container", pod({}, { privileged: true }), "containers[app].securityContext.privileged must be false or unset (got true)"],
    ["an unmasked /proc", pod({}, { procMount: "Unmasked" }), 'containers[app].securityContext.procMount must be Default or unset (got "Unmasked")'],
    ["a host port", pod({}, {}, { ports: [{ containerPort: 80, hostPort: 8080 }] }), "containers[app].ports: hostPort must be unset or 0 (got 8080)"],
    [
      "privilege escalation left unset",
      pod({}, { allowPrivilegeEscalation: undefined }),
      "containers[app].securityContext.allowPrivilegeEscalation must be false (got unset)",
    ],
    ["runAsNonRoot false", pod({}, { runAsNonRoot: false }), "containers[app].securityContext.runAsNonRoot must be true, here or on the pod (got false)"],
    ["root in the container", pod({}, { runAsUser: 0 }), "containers[app].securityContext.runAsUser must not be 0"],
    [
      "no seccomp profile",
      pod({}, { seccompProfile: undefined }),
      "containers[app].securityContext.seccompProfile.type must be RuntimeDefault or Localhost, here or on the pod (got unset)",
    ],
    [
      "capabilities not dropped",
      pod({}, { capabilities: { drop: ["NET_RAW"] } }),
      'containers[app].securityContext.capabilities.drop must include ALL (got ["NET_RAW"])',
    ],
    [
      "a capability added",
      pod({}, { capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } }),
      'containers[app].securityContext.capabilities.add may hold only NET_BIND_SERVICE (got "SYS_ADMIN")',
    ],
  ])("refuses %s", (_what, template, problem) => {
    expect(restrictedViolations(template)).toEqual([problem]);
  });

  it("refuses an AppArmor annotation other than runtime/default or localhost/*", () => {
    const template = { ...pod(), metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } } };
    expect(restrictedViolations(template)).toEqual([
      'annotation container.apparmor.security.beta.kubernetes.io/app must be runtime/default or localhost/* (got "unconfined")',
    ]);
    expect(restrictedViolations({ ...pod(), metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "localhost/p" } } })).toEqual([]);
  });

  it("accepts runAsNonRoot and seccomp from the pod, and judges init and ephemeral containers too", () => {
    const fromPod = pod(
      { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } },
      { runAsNonRoot: undefined, seccompProfile: undefined },
    );
    expect(restrictedViolations(fromPod)).toEqual([]);
    const init = pod({ initContainers: [{ name: "init", securityContext: { ...GOOD_CONTAINER.securityContext, allowPrivilegeEscalation: true } }] });
    expect(restrictedViolations(init)).toEqual(["initContainers[init].securityContext.allowPrivilegeEscalation must be false (got true)"]);
    const debug = pod({ ephemeralContainers: [{ name: "debug" }] });
    expect(restrictedViolations(debug)).toEqual([
      "ephemeralContainers[debug].securityContext.allowPrivilegeEscalation must be false (got unset)",
      "ephemeralContainers[debug].securityContext.runAsNonRoot must be true, here or on the pod (got unset)",
      "ephemeralContainers[debug].securityContext.seccompProfile.type must be RuntimeDefault or Localhost, here or on the pod (got unset)",
      "ephemeralContainers[debug].securityContext.capabilities.drop must include ALL (got unset)",
    ]);
  });
});

describe("libraryViolations", () => {
  it("accepts numeric ids (on the container or the pod), a read-only root and CPU and memory requests and limits", () => {
    expect(libraryViolations(pod())).toEqual([]);
    expect(libraryViolations(pod({ securityContext: { runAsUser: 100, runAsGroup: 101 } }, { runAsUser: undefined, runAsGroup: undefined }))).toEqual([]);
  });

  it("refuses a missing or non-numeric user and group (an image's USER name cannot be proven non-root)", () => {
    expect(libraryViolations(pod({}, { runAsUser: undefined, runAsGroup: "101" }))).toEqual([
      "containers[app].securityContext.runAsUser must be a non-zero integer, here or on the pod (got unset)",
      'containers[app].securityContext.runAsGroup must be a non-zero integer, here or on the pod (got "101")',
    ]);
  });

  it("refuses a writable root file system", () => {
    expect(libraryViolations(pod({}, { readOnlyRootFilesystem: false }))).toEqual([
      "containers[app].securityContext.readOnlyRootFilesystem must be true (got false)",
    ]);
  });

  it("refuses missing requests or limits, naming each", () => {
    expect(libraryViolations(pod({}, {}, { resources: { requests: { cpu: "10m" }, limits: { memory: "" } } }))).toEqual([
      "containers[app].resources.requests.memory must be set",
      "containers[app].resources.limits.cpu must be set",
      "containers[app].resources.limits.memory must be set",
    ]);
  });
});

describe("podSecurityViolations", () => {
  it("is restricted's violations, then the library's", () => {
    expect(podSecurityViolations(pod({ hostPID: true }, { runAsUser: undefined }))).toEqual([
      "hostPID must be false or unset (got true)",
      "containers[app].securityContext.runAsUser must be a non-zero integer, here or on the pod (got unset)",
    ]);
  });
});

describe("namespaceLabelViolations", () => {
  it("wants enforce, audit and warn on restricted", () => {
    expect(RESTRICTED_NAMESPACE_LABELS).toEqual({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
    expect(namespaceLabelViolations({ ...RESTRICTED_NAMESPACE_LABELS, other: "x" })).toEqual([]);
    expect(namespaceLabelViolations(undefined)).toEqual([
      "label pod-security.kubernetes.io/enforce must be restricted (got unset)",
      "label pod-security.kubernetes.io/audit must be restricted (got unset)",
      "label pod-security.kubernetes.io/warn must be restricted (got unset)",
    ]);
    expect(namespaceLabelViolations({ ...RESTRICTED_NAMESPACE_LABELS, "pod-security.kubernetes.io/warn": "baseline" })).toEqual([
      'label pod-security.kubernetes.io/warn must be restricted (got "baseline")',
    ]);
  });
});
