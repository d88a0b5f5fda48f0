import { PodSecurityRestricted } from "../../../../lib/policy/rules/kubernetes/pod-security-restricted";
import { describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = PodSecurityRestricted;

/** A container block as RabbitMqUsers synthesizes it (snake_case, ids as strings). */
function container(overrides: Record<string, unknown> = {}, securityOverrides: Record<string, unknown> = {}) {
  const security_context: Record<string, unknown> = {
    run_as_non_root: true,
    run_as_user: "100",
    run_as_group: "101",
    read_only_root_filesystem: true,
    allow_privilege_escalation: false,
    capabilities: { drop: ["ALL"] },
    seccomp_profile: { type: "RuntimeDefault" },
    ...securityOverrides,
  };
  for (const [key, value] of Object.entries(security_context)) if (value === undefined) delete security_context[key];
  return {
    name: "create-users",
    image: "curlimages/curl:8.11.1@sha256:" + "c".repeat(64),
    security_context,
    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
    ...overrides,
  };
}

const podSpec = (c: Record<string, unknown> = container(), extra: Record<string, unknown> = {}) => ({ restart_policy: "Never", container: [c], ...extra });
const job = (spec = podSpec()) =>
  resource("kubernetes_job_v1", "rabbitmq-users_job_1A2B3C4D", {
    metadata: { name: "rabbitmq-users", namespace: "flux-system" },
    wait_for_completion: true,
    spec: { backoff_limit: 4, template: { metadata: {}, spec } },
  });

describe("DR-K8S-1 pod security restricted", () => {
  describeRuleBasics(rule, "DR-K8S-1");

  describe("compliant", () => {
    it("the RabbitMqUsers job", () => {
      expect(judge(rule, job())).toBe("compliant");
    });

    it("a CronJob, a Deployment and a Pod carrying the same pod (found by shape)", () => {
      const spec = podSpec();
      expect(
        judge(
          rule,
          resource("kubernetes_cron_job_v1", "backup", {
            metadata: { name: "backup" },
            spec: { schedule: "0 * * * *", job_template: { metadata: {}, spec: { template: { metadata: {}, spec } } } },
          }),
        ),
      ).toBe("compliant");
      expect(
        judge(
          rule,
          resource("kubernetes_deployment_v1", "web", {
            metadata: { name: "web" },
            spec: { selector: { match_labels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec } },
          }),
        ),
      ).toBe("compliant");
      expect(judge(rule, resource("kubernetes_pod_v1", "probe", { metadata: { name: "probe" }, spec }))).toBe("compliant");
    });

    it("user, group, non-root and seccomp set on the pod instead of the container", () => {
      const c = container({}, { run_as_user: undefined, run_as_group: undefined, run_as_non_root: undefined, seccomp_profile: undefined });
      const pod = podSpec(c, {
        security_context: { run_as_user: "100", run_as_group: "101", run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } },
      });
      expect(judge(rule, job(pod))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no run_as_user (the curl image's user is a name: the kubelet never starts it)", () => {
      expect(judge(rule, job(podSpec(container({}, { run_as_user: undefined }))))).toBe("non-compliant");
    });

    it("run_as_user from a Terraform expression (not a number the rule can check)", () => {
      expect(judge(rule, job(podSpec(container({}, { run_as_user: "${var.uid}" }))))).toBe("non-compliant");
    });

    it("capabilities not dropped, or a capability added beyond NET_BIND_SERVICE", () => {
      expect(judge(rule, job(podSpec(container({}, { capabilities: undefined }))))).toBe("non-compliant");
      expect(judge(rule, job(podSpec(container({}, { capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } }))))).toBe("non-compliant");
    });

    it("no seccomp profile", () => {
      expect(judge(rule, job(podSpec(container({}, { seccomp_profile: undefined }))))).toBe("non-compliant");
    });

    it("no resources", () => {
      expect(judge(rule, job(podSpec(container({ resources: undefined }))))).toBe("non-compliant");
    });

    it("a hostPath volume, or the host network", () => {
      expect(judge(rule, job(podSpec(container(), { volume: [{ name: "host", host_path: { path: "/" } }] })))).toBe("non-compliant");
      expect(judge(rule, job(podSpec(container(), { host_network: true })))).toBe("non-compliant");
    });

    it("one bad container among good ones (init containers too)", () => {
      const pod = podSpec(container(), { init_container: [container({ name: "init" }, { allow_privilege_escalation: true })] });
      expect(judge(rule, job(pod))).toBe("non-compliant");
    });
  });

  it("non-compliant: a pod carrier the converter does not map (it cannot be vouched for)", () => {
    expect(
      judge(
        rule,
        resource("kubernetes_cron_job", "legacy", { metadata: { name: "legacy" }, spec: { job_template: { spec: { template: { spec: podSpec() } } } } }),
      ),
    ).toBe("non-compliant");
  });

  it("compliant: a replication controller carrying a good pod", () => {
    expect(
      judge(
        rule,
        resource("kubernetes_replication_controller_v1", "rc", {
          metadata: { name: "rc" },
          spec: { selector: { app: "rc" }, template: { metadata: {}, spec: podSpec() } },
        }),
      ),
    ).toBe("compliant");
  });

  it("not applicable: Kubernetes objects without pods, and other resources", () => {
    expect(judge(rule, resource("kubernetes_config_map_v1", "vars", { metadata: { name: "cluster-vars" }, data: { A: "b" } }))).toBe("not-applicable");
    expect(judge(rule, resource("kubernetes_namespace_v1", "ns", { metadata: { name: "flux-system" } }))).toBe("not-applicable");
    expect(judge(rule, resource("helm_release", "flux2", { chart: "flux2" }))).toBe("not-applicable");
    expect(judge(rule, resource("kubernetes_service_v1", "svc", { metadata: { name: "svc" }, spec: { port: [{ port: 80 }] } }))).toBe("not-applicable");
  });
});
