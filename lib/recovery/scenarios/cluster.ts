import type { Environment } from "../../environment";
import { clusterName, CLUSTER_LAYERS, deployStackCommand, FLUX_WAIT_COMMAND, kubeconfigCommand, stackId } from "../../naming";
import type { Manifest } from "../../operations/stack-graph";
import { deployStepId, siteSmokeCheck, type RecoveryPlan } from "../plan";
import { stepSequence } from "./sequence";

/**
 * The cluster scenario (the seed's "Kubernetes cluster unavailable: rebuild a new one side by
 * side"): generation N+1 of the region's cluster (its kubernetes, gitops and workloads stacks) is
 * built beside N; once its pods are ready the site's target group binding moves to it (N's
 * workloads stack drops its binding: with multiClusterTargetGroup each cluster deregisters only its
 * own pods); N is retired on the operator's word. The datastores, the load balancer and the
 * failover record are untouched: no data moves, no DNS write.
 *
 * Built from the environment before or after its file is edited (kubernetes.generation N+1,
 * retiringGeneration N): the steps are the same, so a run resumes across the edit.
 */
export function buildClusterPlan(environment: Environment, manifest: Manifest): RecoveryPlan {
  const region = environment.region;
  const { generation, retiringGeneration } = environment.kubernetes;
  const old = retiringGeneration ?? generation;
  const next = retiringGeneration === undefined ? generation + 1 : generation;
  const oldIds = CLUSTER_LAYERS.map((layer) => stackId(layer, region, old));
  for (const id of oldIds) if (!(id in manifest.stacks)) throw new Error(`manifest.json has no stack ${id}; synthesize again`);
  const [oldKubernetes, oldGitops, oldWorkloads] = oldIds;
  const [kubernetes, gitops, workloads] = CLUSTER_LAYERS.map((layer) => stackId(layer, region, next));
  const oldName = clusterName(environment.project, region, old);
  const newName = clusterName(environment.project, region, next);
  const file = `environments/${region}.ts`;
  const deploy = (stack: string) => `${deployStackCommand(stack)} --skip-synth --auto-approve`;

  const { steps, step } = stepSequence();
  step({
    id: "declare",
    title: `Declare the cluster ${oldName} unavailable: generation ${next} (${newName}) is built beside it`,
    kind: "gate",
    commands: [
      `aws eks describe-cluster --region ${region} --name ${oldName} --query cluster.status --output text   # what its control plane says, if it answers`,
    ],
    note: "A person decides. The datastores, the load balancer and the site's record stay as they are: only the pods behind the target group change.",
  });
  step({
    id: "generation",
    title: `Raise the cluster generation in ${file}: kubernetes.generation ${next}, kubernetes.retiringGeneration ${old}`,
    kind: "gate",
    commands: [`grep -n "generation" ${file}   # generation: ${next}, retiringGeneration: ${old}`],
    note:
      environment.role === "recovery"
        ? `Already done when the file says so. The pod identity roles of generation ${next} were made in peacetime by ${stackId("standby", region)} (a rebuild writes no IAM).`
        : `Already done when the file says so. ${kubernetes} makes generation ${next}'s pod identity roles, trusting ${newName} only.`,
  });
  step({
    id: "synth",
    title: `Synthesize every stack (generation ${next}'s stacks appear beside generation ${old}'s)`,
    kind: "check",
    commands: ["npx cdktf synth"],
  });
  for (const stack of [kubernetes, gitops, workloads]) {
    step({
      id: deployStepId(stack),
      title: stack === workloads ? `Deploy ${stack} (it binds the new pods to the site's target group beside the old ones)` : `Deploy ${stack}`,
      kind: "deploy",
      stack,
      commands: [deploy(stack)],
    });
  }
  step({
    id: "pods-ready",
    title: `The pods of ${newName} are ready: Flux has synchronised, every pod of the site's namespace is Ready`,
    kind: "check",
    commands: [
      `${kubeconfigCommand(region, newName)} && ${FLUX_WAIT_COMMAND} && kubectl -n ${environment.dns.siteService.namespace} wait pods --all --for=condition=Ready --timeout=10m`,
    ],
  });
  step({
    id: deployStepId(oldWorkloads),
    title: `Move the site's binding: deploy ${oldWorkloads}, which no longer binds (generation ${old} retires) nor runs the library's CronJobs`,
    kind: "deploy",
    stack: oldWorkloads,
    commands: [deploy(oldWorkloads)],
    note: `Each cluster's controller deregisters only its own pods (multiClusterTargetGroup): generation ${next}'s stay registered.`,
  });
  step({ ...siteSmokeCheck(environment), after: [deployStepId(oldWorkloads)] });
  const retire = step({
    id: "retire",
    title: `Retire generation ${old} (${oldName}): its cluster, Flux and workloads are destroyed`,
    kind: "gate",
    commands: [`npx cdktf destroy ${oldWorkloads} ${oldGitops} ${oldKubernetes} --skip-synth --auto-approve`],
    phase: "after-serving",
    note: "The operator's word: once the site has served from the new generation for as long as they want to keep the old one to go back to.",
  });
  const tf = (args: string) => `terraform -chdir=cdktf.out/stacks/${oldKubernetes} ${args}`;
  step({
    id: "destroy",
    title: `Destroy generation ${old}'s stacks (the cluster's secrets key is kept: it is protected from destroy)`,
    kind: "check",
    commands: [
      `${tf("init -input=false")} && ${tf("state list")} | grep '^aws_kms_key\\.cluster_secrets-key_' | xargs -r ${tf("state rm")}`,
      `npx cdktf destroy ${oldWorkloads} ${oldGitops} ${oldKubernetes} --skip-synth --auto-approve`,
    ],
    after: [retire.id],
    phase: "after-serving",
    note: `Schedule the kept key's deletion when no backup of ${oldName}'s secrets needs it: aws kms schedule-key-deletion --region ${region} --key-id alias/eks-${oldName}-secrets`,
  });
  step({
    id: "forget",
    title: `Remove kubernetes.retiringGeneration from ${file}`,
    kind: "gate",
    commands: [`grep -n "retiringGeneration" ${file}   # no line: generation ${next} stands alone`],
    phase: "after-serving",
    note:
      environment.role === "recovery"
        ? `Then deploy ${stackId("standby", region)} in peacetime: it prepares generation ${next + 1}'s roles for the next rebuild.`
        : `Then synthesize: the logs key admits generation ${next + 1}'s control-plane logs for the next rebuild (deploy ${stackId("networking", region)}).`,
  });
  return {
    region,
    scenario: "cluster",
    preparation: [],
    steps,
    manualSteps: steps.filter((s) => s.kind === "gate").length,
    notNeeded: [
      `Restoring any data: the database, the broker and the buckets are outside the cluster; ${workloads} points generation ${next} at them (cluster-vars).`,
      `A DNS or load balancer change: the site's target group is the same; only its members move from ${oldName} to ${newName}.`,
      `Re-encrypting the platform-k8s repository: the SOPS key is the region's, not the cluster's.`,
    ],
  };
}
