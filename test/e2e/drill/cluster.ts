import * as fs from "fs";
import * as path from "path";
import { ListClustersCommand } from "@aws-sdk/client-eks";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { clusterName, globalNames, stackId } from "../../../lib/naming";
import { REPO } from "../../support/run";
import { RECOVERY, type Drill } from "./context";

/**
 * The cluster scenario (issue 25, drill 6(b)), on the recovery that serves after the region
 * outage: generation 2 of us-east-2's cluster is built beside generation 1 from the environment
 * file as `rebuild-cluster` has the operator edit it (kubernetes.generation 2, retiringGeneration 1),
 * then generation 1 is retired. The emulator serves no Kubernetes (gitops and workloads are not
 * applied, so the binding's move is the synthesized stacks' test: test/recovery/scenarios/cluster.test.ts)
 * and no pod identity associations (EMULATOR_GAPS): what it shows is the new cluster beside the
 * old one with the roles standby-us-east-2 prepared in peacetime, no IAM or Route 53 write on the
 * day, and the old generation gone. One stack deployed, one destroyed: about a minute.
 */
export function clusterRebuild(drill: Drill): void {
  const generation2 = clusterName("acme", RECOVERY, 2);
  const generation1 = clusterName("acme", RECOVERY, 1);
  // Beside the repository's environments (their `../lib` imports resolve), removed afterwards.
  const dir = path.join(REPO, ".drill-environments");
  const clusters = async () => ((await drill.direct(RECOVERY).eks.send(new ListClustersCommand({}))).clusters ?? []).sort();

  beforeAll(() => {
    fs.mkdirSync(dir, { recursive: true });
    for (const file of fs.readdirSync(path.join(REPO, "environments"))) {
      const text = fs.readFileSync(path.join(REPO, "environments", file), "utf8");
      fs.writeFileSync(
        path.join(dir, file),
        file === `${RECOVERY}.ts` ? text.replace("kubernetes: {", "kubernetes: {\n    generation: 2,\n    retiringGeneration: 1,") : text,
      );
    }
    process.env.DR_ENVIRONMENTS_DIR = dir;
  });
  afterAll(() => {
    delete process.env.DR_ENVIRONMENTS_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("builds generation 2 beside generation 1 with the roles prepared in peacetime, writing nothing global", async () => {
    const before = drill.proxy.calls().length;
    await drill.timed("cluster: kubernetes-us-east-2-g2", () => drill.deploy("cluster generation 2", () => [stackId("kubernetes", RECOVERY, 2)]));
    expect(await clusters()).toEqual([generation1, generation2]);
    const g2 = globalNames("acme", RECOVERY, 2);
    for (const role of [g2.fluxRole, g2.workloadRole, g2.backupJobRole, g2.loadBalancerControllerRole, g2.clusterRole, g2.nodeRole]) {
      const found = await drill.direct(RECOVERY).iam.send(new GetRoleCommand({ RoleName: role }));
      expect(decodeURIComponent(found.Role?.AssumeRolePolicyDocument ?? "")).toContain(
        role === g2.clusterRole ? "eks.amazonaws.com" : role === g2.nodeRole ? "ec2.amazonaws.com" : `cluster/${generation2}`,
      );
    }
    const day = drill.proxy.calls().slice(before);
    const global = day.filter((c) => ["iam", "route53"].includes(c.service) && !/^(Get|List|Describe)/.test(c.action));
    drill.report.push(`  cluster rebuild: ${day.length} calls, ${global.length} IAM/Route 53 writes`);
    expect(global.map((c) => `${c.service} ${c.action}`)).toEqual([]);
  });

  it("retires generation 1 on the operator's word: its secrets key kept out of the destroy, its cluster gone", async () => {
    const old = stackId("kubernetes", RECOVERY, 1);
    const list = await drill.runInStack(old, ["state", "list"]);
    const key = list.output.split("\n").find((line) => /^aws_kms_key\.cluster_secrets-key_/.test(line.trim()));
    expect(key).toBeDefined();
    expect((await drill.runInStack(old, ["state", "rm", "-no-color", key!.trim()])).status).toBe(0);
    const destroyed = await drill.timed("cluster: destroy kubernetes-us-east-2", () =>
      drill.runInStack(old, ["destroy", "-auto-approve", "-no-color", "-input=false"]),
    );
    expect({ status: destroyed.status, tail: destroyed.output.split("\n").slice(-10).join("\n") }).toMatchObject({ status: 0 });
    expect(await clusters()).toEqual([generation2]);
  });
}
