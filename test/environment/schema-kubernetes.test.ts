import { environment, primaryInput, recoveryInput } from "../support/environments";
import { AGE_KEYS } from "../support/sops-fixtures";
import { schemaProblems } from "../support/schema";

const FILE = "environments/us-east-1.ts";

/** The problem lines the loader would print for this input. */
/** The problem lines the loader would print for this input (named as us-east-1's file). */
const problems = (input: unknown): string[] => schemaProblems(input, FILE);

const KUBERNETES = primaryInput().kubernetes;
const GENERAL = KUBERNETES.nodeGroups[0];
const FLUX = primaryInput().flux;

function withKubernetes(fields: Record<string, unknown>) {
  return primaryInput({ kubernetes: { ...KUBERNETES, ...fields } as any });
}

function withNodeGroup(fields: Record<string, unknown>) {
  return withKubernetes({ nodeGroups: [{ ...GENERAL, ...fields }] });
}

function withAddons(fields: Record<string, unknown>) {
  return withKubernetes({ addons: { ...KUBERNETES.addons, ...fields } });
}

function withFlux(fields: Record<string, unknown>) {
  return primaryInput({ flux: { ...FLUX, ...fields } as any });
}

describe("EnvironmentSchema: kubernetes", () => {
  it("applies the defaults", () => {
    const { publicAccessCidrs: _reachable, ...given } = KUBERNETES as Record<string, unknown>;
    const { kubernetes } = environment(primaryInput({ kubernetes: { ...given, privateAccessCidrs: ["10.30.0.0/24"] } }));
    expect(kubernetes.publicAccessCidrs).toEqual([]);
    expect(environment(primaryInput()).kubernetes.privateAccessCidrs).toEqual([]);
    expect(kubernetes.logRetentionDays).toBeUndefined();
    expect(kubernetes.controlPlaneLogTypes).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(kubernetes.workloadServiceAccount).toEqual({ namespace: "apps", name: "workload" });
    expect(kubernetes.nodeGroups).toEqual([
      { name: "general", instanceTypes: ["m6i.large"], capacityType: "ON_DEMAND", minSize: 2, maxSize: 4, desiredSize: 2, diskSizeGb: 50 },
    ]);
  });

  it("is required", () => {
    const { kubernetes: _omitted, ...rest } = primaryInput();
    expect(problems(rest)).toEqual([`${FILE}: kubernetes: is required (an object) (got nothing)`]);
  });

  it("refuses unknown fields, listing the allowed ones", () => {
    expect(problems(withKubernetes({ nodegroups: [] }))).toEqual([
      `${FILE}: kubernetes.nodegroups: unknown field; allowed fields: version, publicAccessCidrs, privateAccessCidrs, adminRoleArns, logRetentionDays, controlPlaneLogTypes, nodeGroups, addons, generation, retiringGeneration, workloadServiceAccount (got [])`,
    ]);
  });

  describe("version", () => {
    it("must look like 1.<minor>", () => {
      expect(problems(withKubernetes({ version: "1.3" }))).toEqual([`${FILE}: kubernetes.version: must be an EKS Kubernetes version like "1.35" (got "1.3")`]);
      expect(problems(withKubernetes({ version: "v1.31" }))).toEqual([
        `${FILE}: kubernetes.version: must be an EKS Kubernetes version like "1.35" (got "v1.31")`,
      ]);
      expect(problems(withKubernetes({ version: "1.30" }))).toEqual([]);
    });
    it("must be a string", () => {
      expect(problems(withKubernetes({ version: 1.31 }))).toEqual([`${FILE}: kubernetes.version: must be a string (got 1.31)`]);
    });
  });

  describe("publicAccessCidrs", () => {
    it("takes IPv4 CIDR blocks", () => {
      expect(problems(withKubernetes({ publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"] }))).toEqual([]);
      expect(problems(withKubernetes({ publicAccessCidrs: ["203.0.113.0"] }))).toEqual([
        `${FILE}: kubernetes.publicAccessCidrs[0]: must be an IPv4 CIDR block like 203.0.113.0/24 (got "203.0.113.0")`,
      ]);
    });
    it("refuses 0.0.0.0/0", () => {
      expect(problems(withKubernetes({ publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] }))).toEqual([
        `${FILE}: kubernetes.publicAccessCidrs[1]: must not be 0.0.0.0/0 (or any /0): list the networks of your operators (got "0.0.0.0/0")`,
      ]);
    });
    it("refuses text shaped like a CIDR that is not one", () => {
      expect(problems(withKubernetes({ publicAccessCidrs: ["999.1.1.1/99"] }))).toEqual([
        `${FILE}: kubernetes.publicAccessCidrs[0]: must be an IPv4 CIDR block like 203.0.113.0/24 (got "999.1.1.1/99")`,
      ]);
    });
  });

  describe("privateAccessCidrs", () => {
    it("takes IPv4 CIDR blocks", () => {
      expect(environment(withKubernetes({ privateAccessCidrs: ["10.30.0.0/24", "192.168.4.0/22"] }) as any).kubernetes.privateAccessCidrs).toEqual([
        "10.30.0.0/24",
        "192.168.4.0/22",
      ]);
      expect(problems(withKubernetes({ privateAccessCidrs: ["10.30.0.0/24", "10.30.0.0"] }))).toEqual([
        `${FILE}: kubernetes.privateAccessCidrs[1]: must be an IPv4 CIDR block like 10.30.0.0/24 (got "10.30.0.0")`,
      ]);
    });
  });

  describe("every cluster's API must be reachable (a primary's as a recovery's)", () => {
    const RECOVERY_KUBERNETES = recoveryInput().kubernetes as Record<string, unknown>;
    const recoveryWith = (fields: Record<string, unknown>) => recoveryInput({ kubernetes: { ...RECOVERY_KUBERNETES, ...fields } });
    const unreachable = (file = FILE) => [
      `${file}: kubernetes.publicAccessCidrs: the cluster API must be reachable when the cluster is rebuilt (rebuild-cluster, or a recovery): list break-glass operator networks here, or the networks of an in-VPC or peered runner (the gitops stack is applied from it) in kubernetes.privateAccessCidrs (got [])`,
    ];

    it("refuses a primary with neither publicAccessCidrs nor privateAccessCidrs", () => {
      expect(problems(withKubernetes({ publicAccessCidrs: [], privateAccessCidrs: [] }))).toEqual(unreachable());
      // Both omitted: the defaults ([]) are checked the same way.
      const { publicAccessCidrs: _omitted, ...rest } = KUBERNETES as Record<string, unknown>;
      expect(problems(primaryInput({ kubernetes: rest }))).toEqual(unreachable());
    });

    it("refuses a recovery with neither", () => {
      expect(problems(recoveryWith({ publicAccessCidrs: [], privateAccessCidrs: [] }))).toEqual(unreachable());
      const { publicAccessCidrs: _omitted, ...rest } = RECOVERY_KUBERNETES;
      expect(problems(recoveryInput({ kubernetes: rest }))).toEqual(unreachable());
    });

    it("takes either role reachable only through privateAccessCidrs, or only through publicAccessCidrs", () => {
      expect(problems(recoveryWith({ publicAccessCidrs: [], privateAccessCidrs: ["10.30.0.0/24"] }))).toEqual([]);
      expect(problems(recoveryWith({ publicAccessCidrs: ["203.0.113.0/24"], privateAccessCidrs: [] }))).toEqual([]);
      expect(problems(withKubernetes({ publicAccessCidrs: [], privateAccessCidrs: ["10.30.0.0/24"] }))).toEqual([]);
      expect(problems(withKubernetes({ publicAccessCidrs: ["203.0.113.0/24"], privateAccessCidrs: [] }))).toEqual([]);
    });
  });

  describe("generation and retiringGeneration", () => {
    it("default to generation 1 and no retiring generation", () => {
      const { kubernetes } = environment(primaryInput());
      expect([kubernetes.generation, kubernetes.retiringGeneration]).toEqual([1, undefined]);
    });

    it("take a rebuild side by side: a higher generation beside the one it replaces", () => {
      const { kubernetes } = environment(withKubernetes({ generation: 2, retiringGeneration: 1 }) as any);
      expect([kubernetes.generation, kubernetes.retiringGeneration]).toEqual([2, 1]);
      expect(problems(withKubernetes({ generation: 5, retiringGeneration: 3 }))).toEqual([]);
    });

    it("refuse a retiring generation that is not older than the serving one", () => {
      for (const retiring of [2, 3])
        expect(problems(withKubernetes({ generation: 2, retiringGeneration: retiring }))).toEqual([
          `${FILE}: kubernetes.retiringGeneration: must be lower than generation (2): it names the cluster generation being replaced; a rebuild raises generation and sets this to the old one (got ${retiring})`,
        ]);
    });

    it("refuse anything but a whole number from 1 to 99", () => {
      for (const bad of [0, 1.5, 100, "2"])
        expect(problems(withKubernetes({ generation: bad }))).toEqual([
          `${FILE}: kubernetes.generation: ${typeof bad === "string" ? "must be a number" : "must be a whole number from 1 to 99"} (got ${JSON.stringify(bad)})`,
        ]);
      expect(problems(withKubernetes({ generation: 3, retiringGeneration: 0 }))).toEqual([
        `${FILE}: kubernetes.retiringGeneration: must be a whole number from 1 to 99 (got 0)`,
      ]);
    });

    it("leave room in every global name for the generation a rebuild would bring up next", () => {
      const project = "a".repeat(36);
      expect(problems(primaryInput({ project, kubernetes: { ...KUBERNETES, generation: 98 } as any }))).toEqual([]);
      expect(problems(primaryInput({ project, kubernetes: { ...KUBERNETES, generation: 99 } as any }))).toEqual([
        `${FILE}: project: too long: "${project}-lb-controller-us-east-1-g100" would be 65 characters and IAM names allow at most 64 (got "${project}")`,
      ]);
    });
  });

  describe("adminRoleArns", () => {
    it("takes IAM role ARNs only", () => {
      expect(problems(withKubernetes({ adminRoleArns: ["arn:aws:iam::123456789012:user/bob"] }))).toEqual([
        `${FILE}: kubernetes.adminRoleArns[0]: must be an IAM role ARN like arn:aws:iam::123456789012:role/platform-admin (got "arn:aws:iam::123456789012:user/bob")`,
      ]);
      expect(problems(withKubernetes({ adminRoleArns: ["arn:aws:iam::123456789012:role/teams/on-call"] }))).toEqual([]);
    });
    it("must not be empty", () => {
      expect(problems(withKubernetes({ adminRoleArns: [] }))).toEqual([
        `${FILE}: kubernetes.adminRoleArns: must list at least one role: without one, nobody can log in to a rebuilt cluster (got [])`,
      ]);
    });
  });

  it("controlPlaneLogTypes: a subset of the five, none twice, at least one", () => {
    expect(environment(withKubernetes({ controlPlaneLogTypes: ["api", "audit"] })).kubernetes.controlPlaneLogTypes).toEqual(["api", "audit"]);
    expect(problems(withKubernetes({ controlPlaneLogTypes: ["api", "Scheduler"] as any }))).toEqual([
      `${FILE}: kubernetes.controlPlaneLogTypes[1]: must be one of "api", "audit", "authenticator", "controllerManager", "scheduler" (got "Scheduler")`,
    ]);
    expect(problems(withKubernetes({ controlPlaneLogTypes: ["api", "api"] }))).toEqual([
      `${FILE}: kubernetes.controlPlaneLogTypes: must not list a log type twice (got ["api","api"])`,
    ]);
    expect(problems(withKubernetes({ controlPlaneLogTypes: [] }))).toEqual([
      `${FILE}: kubernetes.controlPlaneLogTypes: must list at least one log type (got [])`,
    ]);
  });

  it("logRetentionDays has moved to logRetention.eksControlPlaneDays: any value is refused with the new field's name", () => {
    expect(problems(withKubernetes({ logRetentionDays: 90 }))).toEqual([
      `${FILE}: kubernetes.logRetentionDays: has moved to logRetention.eksControlPlaneDays (days, default 365: log retention is a decision per log type); remove kubernetes.logRetentionDays (got 90)`,
    ]);
  });

  describe("nodeGroups", () => {
    it("must list at least one group", () => {
      expect(problems(withKubernetes({ nodeGroups: [] }))).toEqual([`${FILE}: kubernetes.nodeGroups: must list at least one node group (got [])`]);
    });
    it("name must be a lowercase name", () => {
      expect(problems(withNodeGroup({ name: "General" }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].name: must be a lowercase name of letters, digits and hyphens, at most 63 characters (got "General")`,
      ]);
      const long = `g${"x".repeat(63)}`;
      expect(problems(withNodeGroup({ name: long }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].name: must be a lowercase name of letters, digits and hyphens, at most 63 characters (got "${long}")`,
      ]);
      expect(problems(withNodeGroup({ name: `g${"x".repeat(62)}` }))).toEqual([]);
    });
    it("names must be unique", () => {
      expect(problems(withKubernetes({ nodeGroups: [GENERAL, { ...GENERAL }] }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[1].name: is used by another node group (got "general")`,
      ]);
    });
    it("instanceTypes must list EC2 instance types", () => {
      expect(problems(withNodeGroup({ instanceTypes: [] }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].instanceTypes: must list at least one instance type (got [])`,
      ]);
      expect(problems(withNodeGroup({ instanceTypes: ["m6i.large", "large"] }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].instanceTypes[1]: must be an EC2 instance type like "m6i.large" (got "large")`,
      ]);
    });
    it("capacityType is ON_DEMAND or SPOT", () => {
      expect(problems(withNodeGroup({ capacityType: "RESERVED" }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].capacityType: must be one of "ON_DEMAND", "SPOT" (got "RESERVED")`,
      ]);
      expect(environment(withNodeGroup({ capacityType: "SPOT" }) as any).kubernetes.nodeGroups[0].capacityType).toBe("SPOT");
    });
    it("sizes are whole numbers in EKS's ranges", () => {
      expect(problems(withNodeGroup({ minSize: -1 }))).toEqual([`${FILE}: kubernetes.nodeGroups[0].minSize: must be a whole number from 0 to 450 (got -1)`]);
      expect(problems(withNodeGroup({ minSize: 0, maxSize: 0, desiredSize: 0 }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].maxSize: must be a whole number from 1 to 450 (got 0)`,
      ]);
      expect(problems(withNodeGroup({ maxSize: 451 }))).toEqual([`${FILE}: kubernetes.nodeGroups[0].maxSize: must be a whole number from 1 to 450 (got 451)`]);
      expect(problems(withNodeGroup({ desiredSize: 2.5 }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].desiredSize: must be a whole number from 0 to 450 (got 2.5)`,
      ]);
      expect(problems(withNodeGroup({ minSize: 0, maxSize: 450, desiredSize: 450 }))).toEqual([]);
    });
    it("diskSizeGb is from 20 to 16384", () => {
      expect(problems(withNodeGroup({ diskSizeGb: 10 }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].diskSizeGb: must be a whole number from 20 to 16384 (got 10)`,
      ]);
      expect(problems(withNodeGroup({ diskSizeGb: 16385 }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].diskSizeGb: must be a whole number from 20 to 16384 (got 16385)`,
      ]);
    });
    it("minSize must not exceed maxSize", () => {
      expect(problems(withNodeGroup({ minSize: 5, maxSize: 4, desiredSize: 4 }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].minSize: must be at most maxSize (4) (got 5)`,
      ]);
    });
    it("desiredSize must lie from minSize to maxSize", () => {
      expect(problems(withNodeGroup({ desiredSize: 1 }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].desiredSize: must be from minSize to maxSize (2-4) (got 1)`,
      ]);
      expect(problems(withNodeGroup({ desiredSize: 5 }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].desiredSize: must be from minSize to maxSize (2-4) (got 5)`,
      ]);
      expect(problems(withNodeGroup({ desiredSize: 4 }))).toEqual([]);
    });
    it("refuses unknown fields", () => {
      expect(problems(withNodeGroup({ spot: true }))).toEqual([
        `${FILE}: kubernetes.nodeGroups[0].spot: unknown field; allowed fields: name, instanceTypes, capacityType, minSize, maxSize, desiredSize, diskSizeGb (got true)`,
      ]);
    });
  });

  describe("addons", () => {
    it("takes only vpc-cni, coredns, kube-proxy and eks-pod-identity-agent", () => {
      expect(problems(withAddons({ "aws-ebs-csi-driver": "v1.37.0-eksbuild.1" }))).toEqual([
        `${FILE}: kubernetes.addons.aws-ebs-csi-driver: unknown field; allowed fields: vpc-cni, coredns, kube-proxy, eks-pod-identity-agent (got "v1.37.0-eksbuild.1")`,
      ]);
    });
    it("requires each of them", () => {
      const { "vpc-cni": _omitted, ...rest } = KUBERNETES.addons;
      expect(problems(withKubernetes({ addons: rest }))).toEqual([`${FILE}: kubernetes.addons.vpc-cni: is required (a string) (got nothing)`]);
    });
    it("requires the EKS Pod Identity Agent, through which Flux, the workloads and the archive job get AWS credentials", () => {
      const { "eks-pod-identity-agent": _omitted, ...rest } = KUBERNETES.addons;
      expect(problems(withKubernetes({ addons: rest }))).toEqual([`${FILE}: kubernetes.addons.eks-pod-identity-agent: is required (a string) (got nothing)`]);
      expect(problems(withAddons({ "eks-pod-identity-agent": "1.3.4" }))).toEqual([
        `${FILE}: kubernetes.addons.eks-pod-identity-agent: must be an add-on version like "v1.3.10-eksbuild.3" (got "1.3.4")`,
      ]);
    });
    it("versions must look like add-on versions", () => {
      expect(problems(withAddons({ "vpc-cni": "latest" }))).toEqual([
        `${FILE}: kubernetes.addons.vpc-cni: must be an add-on version like "v1.21.1-eksbuild.8" (got "latest")`,
      ]);
      expect(problems(withAddons({ coredns: "1.11.4" }))).toEqual([
        `${FILE}: kubernetes.addons.coredns: must be an add-on version like "v1.14.2-eksbuild.4" (got "1.11.4")`,
      ]);
      expect(problems(withAddons({ "kube-proxy": "" }))).toEqual([
        `${FILE}: kubernetes.addons.kube-proxy: must be an add-on version like "v1.35.3-eksbuild.2" (got "")`,
      ]);
    });
  });

  describe("workloadServiceAccount", () => {
    it("takes a namespace and a service account name", () => {
      expect(
        environment(withKubernetes({ workloadServiceAccount: { namespace: "shop", name: "storefront.api" } }) as any).kubernetes.workloadServiceAccount,
      ).toEqual({
        namespace: "shop",
        name: "storefront.api",
      });
    });
    it("namespace must be a Kubernetes namespace name", () => {
      expect(problems(withKubernetes({ workloadServiceAccount: { namespace: "Apps", name: "workload" } }))).toEqual([
        `${FILE}: kubernetes.workloadServiceAccount.namespace: must be a Kubernetes namespace name (got "Apps")`,
      ]);
    });
    it("name must be a Kubernetes service account name", () => {
      expect(problems(withKubernetes({ workloadServiceAccount: { namespace: "apps", name: "-workload" } }))).toEqual([
        `${FILE}: kubernetes.workloadServiceAccount.name: must be a Kubernetes service account name (got "-workload")`,
      ]);
    });
    it("refuses unknown fields", () => {
      expect(problems(withKubernetes({ workloadServiceAccount: { namespace: "apps", name: "workload", role: "x" } }))).toEqual([
        `${FILE}: kubernetes.workloadServiceAccount.role: unknown field; allowed fields: namespace, name (got "x")`,
      ]);
    });
  });
});

describe("EnvironmentSchema: flux", () => {
  it("applies the defaults: branch main, every 5 minutes, prune, path clusters/<region>", () => {
    expect(environment(primaryInput()).flux).toEqual({
      repositoryUrl: "https://github.com/acme/platform-k8s",
      branch: "main",
      path: "clusters/us-east-1",
      intervalMinutes: 5,
      prune: true,
      gitCredentialsSecretName: "acme/flux/git",
      breakGlassAgeRecipients: [],
    });
    expect(environment(recoveryInput()).flux.path).toBe("clusters/us-east-2");
    expect("breakGlassAgeRecipients" in environment(recoveryInput()).flux).toBe(false);
  });

  it("breakGlassAgeRecipients: age public keys, each once, in a primary's file only", () => {
    expect(environment(withFlux({ breakGlassAgeRecipients: [...AGE_KEYS] }) as any).flux).toMatchObject({ breakGlassAgeRecipients: [...AGE_KEYS] });
    const age = "must be an age public key: age1 and 58 letters and digits of the bech32 alphabet (age-keygen -y prints it)";
    expect(problems(withFlux({ breakGlassAgeRecipients: ["age1short", AGE_KEYS[0].replace("r39", "b39"), AGE_KEYS[0].toUpperCase()] }))).toEqual([
      `${FILE}: flux.breakGlassAgeRecipients[0]: ${age} (got "age1short")`,
      `${FILE}: flux.breakGlassAgeRecipients[1]: ${age} (got ${JSON.stringify(AGE_KEYS[0].replace("r39", "b39"))})`,
      `${FILE}: flux.breakGlassAgeRecipients[2]: ${age} (got ${JSON.stringify(AGE_KEYS[0].toUpperCase())})`,
    ]);
    expect(problems(withFlux({ breakGlassAgeRecipients: [AGE_KEYS[0], AGE_KEYS[0]] }))).toEqual([
      // The value is shortened in the message (a long list).
      expect.stringMatching(
        /^environments\/us-east-1\.ts: flux\.breakGlassAgeRecipients: must not list a key twice \(got \["age1r39ah5u9h8xhqs4kry20m379lyq9xxy80s60390f5k2mmutm0xrs0dq4qz","age1r39ah5/,
      ),
    ]);
    expect(problems(withFlux({ breakGlassAgeRecipients: AGE_KEYS[0] }))).toEqual([
      `${FILE}: flux.breakGlassAgeRecipients: must be a list (got ${JSON.stringify(AGE_KEYS[0])})`,
    ]);
    const recovery = recoveryInput({ flux: { ...FLUX, breakGlassAgeRecipients: [AGE_KEYS[0]] } as any });
    expect(problems(recovery)).toEqual([
      `${FILE}: flux.breakGlassAgeRecipients: is only allowed when role is "primary" (the platform-k8s repository's SOPS files are the primary's: set it in the primary's file) (got ${JSON.stringify([AGE_KEYS[0]])})`,
    ]);
  });

  it("keeps a given path", () => {
    expect(environment(withFlux({ path: "k8s/prod" }) as any).flux.path).toBe("k8s/prod");
  });

  it("is required, and so is each of its required fields", () => {
    const { flux: _omitted, ...rest } = primaryInput();
    expect(problems(rest)).toEqual([`${FILE}: flux: is required (an object) (got nothing)`]);
    expect(problems(primaryInput({ flux: { repositoryUrl: FLUX.repositoryUrl } as any }))).toEqual([
      `${FILE}: flux.gitCredentialsSecretName: is required (a string) (got nothing)`,
    ]);
  });

  it("repositoryUrl must be an https:// or ssh:// URL", () => {
    expect(problems(withFlux({ repositoryUrl: "git@github.com:acme/platform-k8s.git" }))).toEqual([
      `${FILE}: flux.repositoryUrl: must be an https:// or ssh:// Git URL (got "git@github.com:acme/platform-k8s.git")`,
    ]);
    expect(problems(withFlux({ repositoryUrl: "http://github.com/acme/platform-k8s" }))).toEqual([
      `${FILE}: flux.repositoryUrl: must be an https:// or ssh:// Git URL (got "http://github.com/acme/platform-k8s")`,
    ]);
    expect(problems(withFlux({ repositoryUrl: "ssh://git@github.com/acme/platform-k8s.git" }))).toEqual([]);
  });

  it("branch must be a Git branch name", () => {
    expect(problems(withFlux({ branch: "main branch" }))).toEqual([`${FILE}: flux.branch: must be a Git branch name (got "main branch")`]);
    expect(problems(withFlux({ branch: "release/2026.1" }))).toEqual([]);
  });

  it("path must be a path in the repository", () => {
    expect(problems(withFlux({ path: "clusters/us east 1" }))).toEqual([
      `${FILE}: flux.path: must be a relative path in the repository (got "clusters/us east 1")`,
    ]);
    expect(problems(withFlux({ path: "" }))).toEqual([`${FILE}: flux.path: must be a relative path in the repository (got "")`]);
    for (const path of ["/clusters/x", "../x", "clusters/../../x"]) {
      expect(problems(withFlux({ path }))).toEqual([
        `${FILE}: flux.path: must be a relative path that stays inside the repository (no leading / and no ..) (got ${JSON.stringify(path)})`,
      ]);
    }
  });

  it("intervalMinutes is a whole number from 1 to 1440", () => {
    expect(problems(withFlux({ intervalMinutes: 0 }))).toEqual([`${FILE}: flux.intervalMinutes: must be a whole number from 1 to 1440 (got 0)`]);
    expect(problems(withFlux({ intervalMinutes: 1441 }))).toEqual([`${FILE}: flux.intervalMinutes: must be a whole number from 1 to 1440 (got 1441)`]);
    expect(problems(withFlux({ intervalMinutes: 1.5 }))).toEqual([`${FILE}: flux.intervalMinutes: must be a whole number from 1 to 1440 (got 1.5)`]);
    expect(problems(withFlux({ intervalMinutes: 1440 }))).toEqual([]);
  });

  it("prune is true or false", () => {
    expect(problems(withFlux({ prune: "yes" }))).toEqual([`${FILE}: flux.prune: must be true or false (got "yes")`]);
  });

  it("gitCredentialsSecretName must be a Secrets Manager secret name", () => {
    expect(problems(withFlux({ gitCredentialsSecretName: "acme flux" }))).toEqual([
      `${FILE}: flux.gitCredentialsSecretName: must be a Secrets Manager secret name (got "acme flux")`,
    ]);
    const tooLong = "a".repeat(513);
    expect(problems(withFlux({ gitCredentialsSecretName: tooLong }))).toEqual([
      `${FILE}: flux.gitCredentialsSecretName: must be a Secrets Manager secret name (got "${"a".repeat(76)}...)`,
    ]);
    expect(problems(withFlux({ gitCredentialsSecretName: "a".repeat(512) }))).toEqual([]);
  });

  it("refuses unknown fields such as a literal token", () => {
    expect(problems(withFlux({ token: "ghp_example" }))).toEqual([
      `${FILE}: flux.token: unknown field; allowed fields: repositoryUrl, branch, path, intervalMinutes, prune, gitCredentialsSecretName (got "ghp_example")`,
    ]);
  });
});
