import { CREATION_TIMES, type CreationTimeTable } from "../../lib/operations/creation-times";
import {
  formatRto,
  modelRegionRto,
  modelRto,
  readStackResources,
  readSynthesizedApp,
  stacksOfRegion,
  stacksToServe,
  type RtoInput,
  type RtoResult,
  type SynthesizedResource,
} from "../../lib/operations/rto";
import type { Manifest } from "../../lib/operations/stack-graph";
import { shippedEnvironments, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

/** A fixed table, so that every expected number below can be worked out by hand. */
const FIXED: CreationTimeTable = {
  resources: {
    aws_vpc: { minutes: 1, source: "test", estimate: false },
    aws_subnet: { minutes: 2, source: "test", estimate: false },
    aws_eks_cluster: { minutes: 15, source: "test", estimate: false },
    aws_eks_node_group: { minutes: 5, source: "test", estimate: false },
    aws_db_instance: { minutes: 10, source: "test", estimate: false },
    aws_mq_broker: { minutes: 25, source: "test", estimate: false },
    helm_release: { minutes: 2, source: "test", estimate: false },
  },
  unknownResource: { minutes: 3, source: "test", estimate: true },
  dataSource: { minutes: 0, source: "test", estimate: true },
  databaseRestore: { baseMinutes: 20, minutesPerGib: 0.5, source: "test", estimate: true },
  stackOverhead: { minutes: 1, source: "test", estimate: true },
};

function resource(address: string, dependsOn: string[] = [], extra: Partial<SynthesizedResource> = {}): SynthesizedResource {
  return { address, type: address.split(".")[0], dataSource: false, instances: 1, dependsOn, restore: false, ...extra };
}

function manifest(dependencies: Record<string, string[]>): Manifest {
  return { stacks: Object.fromEntries(Object.entries(dependencies).map(([id, deps]) => [id, { dependencies: deps }])) };
}

/**
 * network: vpc (1) then subnet (2)             -> 1 + 3 = 4 min
 * data: broker (25) beside a new database (10)  -> 1 + 25 = 26 min
 * cluster: cluster (15) then node group (5)     -> 1 + 20 = 21 min
 * gitops: one helm release (2)                  -> 1 + 2 = 3 min
 */
const RESOURCES: Record<string, SynthesizedResource[]> = {
  network: [resource("aws_vpc.vpc"), resource("aws_subnet.a", ["aws_vpc.vpc"])],
  data: [resource("aws_mq_broker.broker"), resource("aws_db_instance.db")],
  cluster: [resource("aws_eks_cluster.cluster"), resource("aws_eks_node_group.nodes", ["aws_eks_cluster.cluster"])],
  gitops: [resource("helm_release.flux")],
};

function input(dependencies: Record<string, string[]>, overrides: Partial<RtoInput> = {}): RtoInput {
  return {
    manifest: manifest(dependencies),
    resources: RESOURCES,
    stacks: Object.keys(dependencies),
    databaseAllocatedStorageGib: 100,
    creationTimes: FIXED,
    ...overrides,
  };
}

// cluster needs only the network, as data does: they run side by side.
const INDEPENDENT = { network: [], data: ["network"], cluster: ["network"], gitops: ["data", "cluster"] };
// cluster waits for data: one chain.
const CHAIN = { network: [], data: ["network"], cluster: ["data"], gitops: ["cluster"] };

describe("readStackResources", () => {
  const json = {
    provider: {
      aws: [{ region: "us-east-1" }, { alias: "dr", region: "us-west-2", assume_role: [{ role_arn: "${data.terraform_remote_state.net.outputs.role}" }] }],
      kubernetes: [{ host: "${aws_eks_cluster.cluster.endpoint}" }],
    },
    resource: {
      aws_eks_cluster: {
        cluster: {
          "//": { metadata: { path: "${aws_kms_key.key-1.arn}" } },
          role_arn: "${aws_iam_role.role.arn}",
          vpc_config: [{ subnet_ids: ["${element(data.terraform_remote_state.net.outputs.subnets, 0)}"] }],
        },
      },
      aws_iam_role: { role: { name: "r", depends_on: ["aws_kms_key.key-1"] } },
      aws_kms_key: { "key-1": { provider: "aws.dr", description: "mentions aws_iam_role.role outside an interpolation" } },
      kubernetes_namespace_v1: { ns: { metadata: [{ name: "flux" }] } },
      aws_db_instance: {
        restored: { restore_to_point_in_time: { use_latest_restorable_time: true } },
        copy: { snapshot_identifier: "snap" },
        fresh: { allocated_storage: 100 },
      },
      aws_subnet: { many: { count: 3, vpc_id: "${aws_vpc.elsewhere.id}" } },
    },
    data: { terraform_remote_state: { net: { backend: "s3" } } },
  };

  it("reads references, depends_on, provider references, counts and restores, by address", () => {
    expect(readStackResources(json)).toEqual([
      { address: "aws_db_instance.copy", type: "aws_db_instance", dataSource: false, instances: 1, dependsOn: [], restore: true },
      { address: "aws_db_instance.fresh", type: "aws_db_instance", dataSource: false, instances: 1, dependsOn: [], restore: false },
      { address: "aws_db_instance.restored", type: "aws_db_instance", dataSource: false, instances: 1, dependsOn: [], restore: true },
      // The reference in "//" (cdktf metadata) is not a dependency.
      {
        address: "aws_eks_cluster.cluster",
        type: "aws_eks_cluster",
        dataSource: false,
        instances: 1,
        dependsOn: ["aws_iam_role.role", "data.terraform_remote_state.net"],
        restore: false,
      },
      { address: "aws_iam_role.role", type: "aws_iam_role", dataSource: false, instances: 1, dependsOn: ["aws_kms_key.key-1"], restore: false },
      // From its provider aws.dr; the plain text naming the role is not a reference.
      { address: "aws_kms_key.key-1", type: "aws_kms_key", dataSource: false, instances: 1, dependsOn: ["data.terraform_remote_state.net"], restore: false },
      // aws_vpc.elsewhere is not in this stack.
      { address: "aws_subnet.many", type: "aws_subnet", dataSource: false, instances: 3, dependsOn: [], restore: false },
      { address: "data.terraform_remote_state.net", type: "terraform_remote_state", dataSource: true, instances: 1, dependsOn: [], restore: false },
      // From the kubernetes provider, configured with the cluster's endpoint.
      {
        address: "kubernetes_namespace_v1.ns",
        type: "kubernetes_namespace_v1",
        dataSource: false,
        instances: 1,
        dependsOn: ["aws_eks_cluster.cluster"],
        restore: false,
      },
    ]);
  });

  it("reads an empty stack as no resources", () => {
    expect(readStackResources({})).toEqual([]);
  });
});

describe("stacksOfRegion", () => {
  it("selects the region's stacks a recovery deploys: not the peacetime standby layer, not another region's, not the state bootstrap", () => {
    const ids = ["networking-us-east-2", "standby-us-east-2", "gitops-us-east-2", "networking-us-east-1", "state-acme-us-east-2"];
    expect(ids.filter(stacksOfRegion("us-east-2"))).toEqual(["networking-us-east-2", "gitops-us-east-2"]);
  });
});

describe("stacksToServe", () => {
  it("selects the stacks of stacksOfRegion but those deployed after the region serves (its replication stack)", () => {
    const ids = ["networking-us-east-2", "replication-us-east-2", "standby-us-east-2", "workloads-us-east-2", "replication-us-east-1", "state-acme-us-east-2"];
    expect(ids.filter(stacksOfRegion("us-east-2"))).toEqual(["networking-us-east-2", "replication-us-east-2", "workloads-us-east-2"]);
    expect(ids.filter(stacksToServe("us-east-2"))).toEqual(["networking-us-east-2", "workloads-us-east-2"]);
  });
});

describe("modelRto", () => {
  it("puts independent stacks side by side: the critical path is shorter than the serial sum", () => {
    const result = modelRto(input(INDEPENDENT));
    // network 0-4; data 4-30 and cluster 4-25 together; gitops after both: 30-33.
    expect(result.stacks.map((s) => [s.stackId, s.minutes, s.startMinute, s.finishMinute, s.critical])).toEqual([
      ["network", 4, 0, 4, true],
      ["cluster", 21, 4, 25, false],
      ["data", 26, 4, 30, true],
      ["gitops", 3, 30, 33, true],
    ]);
    expect(result.criticalPath).toEqual(["network", "data", "gitops"]);
    expect(result.criticalPathMinutes).toBe(33);
    expect(result.serialMinutes).toBe(4 + 26 + 21 + 3);
  });

  it("equals the serial sum when the stacks form a chain", () => {
    const result = modelRto(input(CHAIN));
    expect(result.stacks.map((s) => [s.stackId, s.startMinute, s.finishMinute])).toEqual([
      ["network", 0, 4],
      ["data", 4, 30],
      ["cluster", 30, 51],
      ["gitops", 51, 54],
    ]);
    expect(result.criticalPath).toEqual(["network", "data", "cluster", "gitops"]);
    expect(result.criticalPathMinutes).toBe(54);
    expect(result.serialMinutes).toBe(54);
  });

  it("takes a stack's longest dependency chain, not the sum of its resources", () => {
    const result = modelRto(input(INDEPENDENT));
    const cluster = result.stacks.find((s) => s.stackId === "cluster")!;
    expect(cluster.longestChain).toEqual([
      { address: "aws_eks_cluster.cluster", type: "aws_eks_cluster", minutes: 15 },
      { address: "aws_eks_node_group.nodes", type: "aws_eks_node_group", minutes: 5 },
    ]);
    const data = result.stacks.find((s) => s.stackId === "data")!;
    expect(data.longestChain).toEqual([{ address: "aws_mq_broker.broker", type: "aws_mq_broker", minutes: 25 }]);
    expect(data.minutes).toBe(1 + 25); // not 1 + 25 + 10
  });

  it("takes stacks outside the selection as deployed", () => {
    const result = modelRto(input(INDEPENDENT, { stacks: (id) => id !== "network" }));
    expect(result.stacks.map((s) => [s.stackId, s.startMinute, s.finishMinute])).toEqual([
      ["cluster", 0, 21],
      ["data", 0, 26],
      ["gitops", 26, 29],
    ]);
    expect(result.criticalPath).toEqual(["data", "gitops"]);
  });

  it("scales a database restore with the allocated storage: base + minutes per GiB", () => {
    const resources = { data: [resource("aws_db_instance.db", [], { restore: true })] };
    const at = (gib: number) => modelRto(input({ data: [] }, { resources, databaseAllocatedStorageGib: gib }));
    expect(at(100).criticalPathMinutes).toBe(1 + 20 + 0.5 * 100); // 71
    expect(at(300).criticalPathMinutes).toBe(1 + 20 + 0.5 * 300); // 171
    expect(at(100).restores).toEqual([{ stackId: "data", address: "aws_db_instance.db", storageGib: 100, minutes: 70 }]);
  });

  it("does not scale a new (not restored) database", () => {
    const result = modelRto(input({ data: [] }, { resources: { data: [resource("aws_db_instance.db")] }, databaseAllocatedStorageGib: 300 }));
    expect(result.criticalPathMinutes).toBe(1 + 10);
    expect(result.restores).toEqual([]);
  });

  it("gives a type without a figure the table's default and names it", () => {
    const resources = { jobs: [resource("aws_glue_job.nightly"), resource("aws_vpc.vpc")] };
    const result = modelRto(input({ jobs: [] }, { resources }));
    expect(result.criticalPathMinutes).toBe(1 + 3);
    expect(result.defaultedTypes).toEqual(["aws_glue_job"]);
    expect(formatRto(result, "text").split("\n")).toContain("No figure for aws_glue_job: 3.0 min each (default)");
  });

  it("counts a data source at the table's data-source figure, not the default", () => {
    const resources = { reads: [resource("data.aws_eks_cluster.cluster", [], { type: "aws_eks_cluster", dataSource: true })] };
    const result = modelRto(input({ reads: [] }, { resources }));
    expect(result.criticalPathMinutes).toBe(1 + 0);
    expect(result.defaultedTypes).toEqual([]);
  });

  it("runs at most `parallelism` resources of a stack at once", () => {
    const resources = { subnets: [resource("aws_subnet.a"), resource("aws_subnet.b"), resource("aws_subnet.c")] };
    const result = modelRto(input({ subnets: [] }, { resources, parallelism: 2 }));
    // a and b in 0-2, c in 2-4.
    expect(result.stacks[0].minutes).toBe(1 + 4);
    expect(result.stacks[0].unlimitedMinutes).toBe(1 + 2);
    expect(formatRto(result, "text").split("\n")).toContain("subnets: the parallelism limit adds 2.0 min to its longest chain");
    expect(modelRto(input({ subnets: [] }, { resources })).stacks[0].minutes).toBe(1 + 2); // default 10
  });

  it("gives every counted instance its own slot and creates nothing for count = 0", () => {
    const resources = {
      subnets: [
        resource("aws_subnet.many", [], { instances: 3 }),
        resource("aws_subnet.none", [], { instances: 0 }),
        resource("aws_eks_cluster.cluster", ["aws_subnet.none"]),
      ],
    };
    const result = modelRto(input({ subnets: [] }, { resources, parallelism: 2 }));
    // cluster (15) starts at 0 beside the first subnet; the other two subnets share the second slot: 0-2, 2-4, 4-6.
    expect(result.stacks[0].minutes).toBe(1 + 15);
    expect(result.stacks[0].longestChain.map((r) => r.address)).toEqual(["aws_subnet.none", "aws_eks_cluster.cluster"]);
  });

  it("rejects a cycle between stacks", () => {
    expect(() => modelRto(input({ a: ["b"], b: ["a"] }, { resources: { a: [], b: [] } }))).toThrow("dependency cycle among a, b");
  });

  it("rejects a cycle between the resources of a stack, naming it", () => {
    const resources = { loop: [resource("aws_vpc.a", ["aws_subnet.b"]), resource("aws_subnet.b", ["aws_vpc.a"])] };
    expect(() => modelRto(input({ loop: [] }, { resources }))).toThrow(
      "stack loop: dependency cycle among resources aws_subnet.b -> aws_vpc.a -> aws_subnet.b",
    );
  });

  it.each([
    ["modelRto: databaseAllocatedStorageGib must be a positive number of GiB (got 0)", { databaseAllocatedStorageGib: 0 }],
    ["modelRto: databaseAllocatedStorageGib must be a positive number of GiB (got NaN)", { databaseAllocatedStorageGib: Number.NaN }],
    ["modelRto: parallelism must be a whole number >= 1 (got 0)", { parallelism: 0 }],
    ["modelRto: parallelism must be a whole number >= 1 (got 1.5)", { parallelism: 1.5 }],
    [
      "modelRto: creationTimes.resources.aws_vpc.minutes must be a number >= 0 (got -1)",
      { creationTimes: { ...FIXED, resources: { aws_vpc: { minutes: -1, source: "x", estimate: true } } } },
    ],
    [
      "modelRto: creationTimes.stackOverhead.minutes must be a number >= 0 (got Infinity)",
      { creationTimes: { ...FIXED, stackOverhead: { minutes: Number.POSITIVE_INFINITY, source: "x", estimate: true } } },
    ],
    [
      "modelRto: creationTimes.databaseRestore.minutesPerGib must be a number >= 0 (got -0.5)",
      { creationTimes: { ...FIXED, databaseRestore: { ...FIXED.databaseRestore, minutesPerGib: -0.5 } } },
    ],
    ["modelRto: stacks selects none of the manifest's stacks (cluster, data, gitops, network)", { stacks: ["elsewhere"] }],
    [
      "modelRto: resources has no entry for stack cluster; resources has no entry for stack data; resources has no entry for stack gitops",
      { resources: { network: [] } },
    ],
  ] as [string, Partial<RtoInput>][])("throws %s", (message, overrides) => {
    expect(() => modelRto(input(INDEPENDENT, overrides))).toThrow(message);
  });

  it("reports every problem at once", () => {
    expect(() => modelRto(input(INDEPENDENT, { databaseAllocatedStorageGib: -1, parallelism: 0 }))).toThrow(
      "modelRto: databaseAllocatedStorageGib must be a positive number of GiB (got -1); parallelism must be a whole number >= 1 (got 0)",
    );
  });
});

describe("formatRto", () => {
  it("prints the table with the serial sum beside the critical path", () => {
    expect(formatRto(modelRto(input(INDEPENDENT)), "text")).toBe(
      [
        "Modelled recovery time in minutes (a stack starts when its dependencies finish; Terraform parallelism 10 within a stack)",
        "   stack    minutes  start  finish  longest chain in the stack (minutes each)",
        "*  network      4.0    0.0     4.0  aws_vpc 1.0 -> aws_subnet 2.0",
        "   cluster     21.0    4.0    25.0  aws_eks_cluster 15.0 -> aws_eks_node_group 5.0",
        "*  data        26.0    4.0    30.0  aws_mq_broker 25.0",
        "*  gitops       3.0   30.0    33.0  helm_release 2.0",
        "",
        "Critical path (*): network -> data -> gitops: 33.0 min",
        "Serial sum (one stack after another): 54.0 min (21.0 min more than the critical path)",
        "Figures and their sources: docs/rto.md. A model, not a measurement.",
      ].join("\n"),
    );
  });

  it("names the restore and marks a stack without resources", () => {
    const resources = { data: [resource("aws_db_instance.db", [], { restore: true })], empty: [] };
    const lines = formatRto(modelRto(input({ data: [], empty: ["data"] }, { resources })), "text").split("\n");
    expect(lines).toContain("*  empty      1.0   71.0    72.0  (no resources)");
    expect(lines).toContain("Database restore aws_db_instance.db (data, 100 GiB): 70.0 min");
  });

  it("draws a Mermaid gantt chart in seconds, critical stacks first", () => {
    expect(formatRto(modelRto(input(INDEPENDENT)), "mermaid")).toBe(
      [
        "gantt",
        "  title Modelled recovery: critical path 33.0 min, serial sum 54.0 min",
        "  dateFormat X",
        "  axisFormat %H:%M",
        "  section Critical path",
        "  network (4.0 min) :crit, network, 0, 240",
        "  data (26.0 min) :crit, data, 240, 1800",
        "  gitops (3.0 min) :crit, gitops, 1800, 1980",
        "  section Other stacks",
        "  cluster (21.0 min) :cluster, 240, 1500",
      ].join("\n"),
    );
  });

  it("leaves out the empty section when every stack is critical", () => {
    expect(formatRto(modelRto(input(CHAIN)), "mermaid")).not.toContain("section Other stacks");
  });
});

describe("the shipped recovery (us-east-2), synthesized", () => {
  const outdir = tempDir("dr-rto-");
  const environment = shippedEnvironments().find((l) => l.environment.region === "us-east-2")!.environment;
  let result: RtoResult;
  let manifestIds: string[];
  beforeAll(() => {
    synthShipped(outdir);
    result = modelRegionRto(outdir, environment);
    manifestIds = Object.keys(readSynthesizedApp(outdir).manifest.stacks);
  });

  it("models every us-east-2 stack of the manifest but the peacetime ones (standby, the pilot light's networking) and the replication stack (after serving), and no other", () => {
    const peacetimeOrLater = ["standby-us-east-2", "networking-us-east-2", "replication-us-east-2"];
    const expected = manifestIds.filter((id) => id.endsWith("-us-east-2") && !peacetimeOrLater.includes(id)).sort();
    expect(manifestIds).toEqual(expect.arrayContaining(peacetimeOrLater));
    expect(expected).toEqual(["application-us-east-2", "gitops-us-east-2", "kubernetes-us-east-2", "workloads-us-east-2"]);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(result.stacks.map((s) => s.stackId).sort()).toEqual(expected);
  });

  it("gives every stack a finite positive duration that fits in the total", () => {
    for (const s of result.stacks) {
      expect([s.stackId, Number.isFinite(s.minutes) && s.minutes > 0]).toEqual([s.stackId, true]);
      expect(s.startMinute).toBeGreaterThanOrEqual(0);
      expect(s.finishMinute).toBeLessThanOrEqual(result.criticalPathMinutes);
    }
    expect(Number.isFinite(result.criticalPathMinutes) && result.criticalPathMinutes > 0).toBe(true);
    expect(result.criticalPathMinutes).toBeLessThanOrEqual(result.serialMinutes);
  });

  it("is shorter by the backup replication's figure than with the replication in the application stack (as before the replication stack)", () => {
    const app = readSynthesizedApp(outdir);
    const replication = app.resources["replication-us-east-2"];
    const instance = app.resources["application-us-east-2"].find((r) => r.type === "aws_db_instance")!;
    // Before: the same resources in the application stack, the replication referencing the instance's ARN.
    const merged = [
      ...app.resources["application-us-east-2"],
      ...replication.map((r) =>
        r.type === "aws_db_instance_automated_backups_replication" ? { ...r, dependsOn: [...r.dependsOn, instance.address].sort() } : r,
      ),
    ];
    const common = { manifest: app.manifest, databaseAllocatedStorageGib: environment.database.allocatedStorageGb, creationTimes: CREATION_TIMES };
    // The day's stacks: not the pilot light's networking (peacetime), as modelRegionRto counts them.
    const onTheDay = (id: string) => stacksToServe("us-east-2")(id) && id !== "networking-us-east-2";
    const before = modelRto({ ...common, resources: { ...app.resources, "application-us-east-2": merged }, stacks: onTheDay });
    const after = modelRto({ ...common, resources: app.resources, stacks: onTheDay });
    const figure = CREATION_TIMES.resources.aws_db_instance_automated_backups_replication.minutes;
    expect(figure).toBeGreaterThan(0);
    expect(before.criticalPath).toEqual(["application-us-east-2", "workloads-us-east-2"]);
    expect(after.criticalPath).toEqual(before.criticalPath);
    expect(before.criticalPathMinutes - after.criticalPathMinutes).toBeCloseTo(figure, 6);
    expect(after.criticalPathMinutes).toBeCloseTo(result.criticalPathMinutes, 6);
  });

  it("finds the database restore, scaled by the environment's storage", () => {
    expect(result.restores.map((r) => [r.stackId, r.storageGib])).toEqual([["application-us-east-2", environment.database.allocatedStorageGb]]);
  });

  it("has a figure for every resource type the shipped environments synthesize", () => {
    const all = modelRto({ ...readSynthesizedApp(outdir), stacks: manifestIds, databaseAllocatedStorageGib: 100 });
    expect(all.defaultedTypes).toEqual([]);
  });
});
