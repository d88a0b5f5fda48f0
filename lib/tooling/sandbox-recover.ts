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
 * and serves no site), a database check or archive load (no data in its RDS), an image copy (no registry).
 */
/** Why the database scenario's check (psql or verify-backup against the new generation) does not run in the emulator. */
export const DATABASE_CHECK_NOT_SERVED =
  "the emulator's RDS holds no data and its endpoints answer no PostgreSQL (the DR drill runs this check against a real PostgreSQL restored to the same time: test/e2e/drill/database.ts)";

/** Why the account scenario's load of the vault's archive into the new database does not run in the emulator. */
export const ARCHIVE_LOAD_NOT_SERVED =
  "the emulator's RDS holds no data and its endpoints answer no PostgreSQL (the DR drill loads the copied archive into a real PostgreSQL with the same verify-backup command: test/e2e/drill/account.ts)";

/** Why the account scenario's copy of the vault's images does not run in the emulator. */
export const IMAGES_NOT_SERVED =
  "the emulator's ECR serves no registry data plane (no Docker Registry HTTP API, which crane pulls and pushes through), and its vault registry holds no image (gap ecr-replication)";

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

  /**
   * cdktf writes into the session's folder and installs providers from the mirror (no lock against
   * the registry); Terraform run by hand in a synthesized stack (`-chdir=cdktf.out/stacks/<stack>`)
   * runs in the session's copy of it; every AWS CLI call of the line, nested ones included, talks to
   * the emulator (trusted through AWS_CA_BUNDLE): a shell function puts the endpoint on each, which
   * the CLI needs on its command line (v1 sends us-east-1's RDS calls to rds.amazonaws.com otherwise).
   */
  public command(printed: string): string {
    const chdir = printed.replace(/-chdir=cdktf\.out\//g, `-chdir=${this.session.outDir}/`);
    const aws = /(^|[\s;&|(`$])aws /.test(chdir) ? `aws() { command aws --endpoint-url ${this.session.endpoint} "$@"; }; ${chdir}` : chdir;
    return withCdktfFlags(withCdktfFlags(aws, ["--output", this.session.outDir]), ["--skip-provider-lock"], ["deploy", "diff", "destroy"]);
  }

  public unserved(step: PlanStep): string | undefined {
    if (step.id === "flux") return "there is no Kubernetes cluster to wait for Flux in";
    if (step.id === "check") return DATABASE_CHECK_NOT_SERVED;
    if (step.id === "load") return ARCHIVE_LOAD_NOT_SERVED;
    if (step.id === "images") return IMAGES_NOT_SERVED;
    if (step.id === "smoke") return "the emulator answers no DNS and serves no site (its Route 53 stores records and health checks without running either)";
    // A stack's deploy, destroy or state listing needs that stack's providers.
    if (step.stack) {
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
