import * as fs from "fs";
import * as path from "path";
import type { PlanStep } from "../recovery/plan";
import { withCdktfFlags, type ExecutionTarget } from "../recovery/run-step";
import { GITOPS_NOT_APPLIED, SANDBOX_PROVIDERS, sandboxProcessEnv, type SandboxSession } from "./sandbox-session";

/**
 * The emulator as a deployment target of `recover`: the same plan and executor as a real account,
 * with the sandbox's environment (the emulator's endpoint, its account's dummy credentials, the
 * session's state folder), cdktf writing into the session's output folder, and the steps the
 * emulator cannot serve named with their reason: stacks that need the helm or kubernetes provider
 * (there is no cluster), the Flux wait (no cluster), the smoke check (the emulator answers no DNS
 * and serves no site).
 */
export class EmulatorExecution implements ExecutionTarget {
  public readonly description: string;
  public readonly cwd: string;

  constructor(private readonly session: SandboxSession) {
    this.description = `the emulator at ${session.endpoint}`;
    this.cwd = session.root;
  }

  public env(): NodeJS.ProcessEnv {
    return sandboxProcessEnv(this.session);
  }

  /** cdktf writes into the session's folder and installs providers from the mirror (no lock against the registry). */
  public command(printed: string): string {
    // The AWS CLI a step prints (the failover switch) talks to the emulator, trusting it through AWS_CA_BUNDLE.
    const aws = printed.startsWith("aws ") ? `${printed} --endpoint-url ${this.session.endpoint}` : printed;
    return withCdktfFlags(withCdktfFlags(aws, ["--output", this.session.outDir]), ["--skip-provider-lock"], ["deploy", "diff", "destroy"]);
  }

  public unserved(step: PlanStep): string | undefined {
    if (step.id === "flux") return "there is no Kubernetes cluster to wait for Flux in";
    if (step.id === "smoke") return "the emulator answers no DNS and serves no site (its Route 53 stores records and health checks without running either)";
    if (step.kind === "deploy" && step.stack) {
      const missing = this.providersOf(step.stack).filter((p) => !SANDBOX_PROVIDERS.includes(p));
      if (missing.length > 0) return `${step.stack} needs the ${missing.join(", ")} provider(s); ${GITOPS_NOT_APPLIED.replace(/^not applied: /, "")}`;
    }
    return undefined;
  }

  /** The providers a synthesized stack requires (read after the plan's synth step wrote it). */
  private providersOf(stack: string): string[] {
    const file = path.join(this.session.outDir, "stacks", stack, "cdk.tf.json");
    if (!fs.existsSync(file)) return [];
    return Object.keys(JSON.parse(fs.readFileSync(file, "utf8")).terraform?.required_providers ?? {});
  }
}
