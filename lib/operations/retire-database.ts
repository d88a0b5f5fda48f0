import { RDSClient } from "@aws-sdk/client-rds";
import type { Environment } from "../environment";
import { databaseIdentifier } from "../naming";
import { deleteDatabase } from "./actions/database";
import { awsClient, type ClientSettings } from "./aws/clients";
import { retireDatabaseVerdict, type RetireDatabaseVerdict } from "./checks/retire/database";
import { probeDatabaseInstance } from "./probes/database-instance";

/** What `retire-database` did: the verdict, and the deletion's outcome when it deleted. */
export interface RetireDatabaseResult {
  readonly verdict: RetireDatabaseVerdict;
  /** `deleted`, or why the deletion failed; undefined when nothing was deleted. */
  readonly outcome?: { readonly deleted: true } | { readonly deleted: false; readonly detail: string };
}

/** Reads the generation's instance, judges, and with `apply` deletes it (a final snapshot first). */
export async function runRetireDatabase(
  environment: Environment,
  generation: number,
  options: { readonly apply: boolean; readonly rds?: RDSClient; readonly settings?: ClientSettings },
): Promise<RetireDatabaseResult> {
  const rds = options.rds ?? awsClient(RDSClient, environment.region, options.settings ?? {});
  const identifier = databaseIdentifier(environment.project, environment.region, generation);
  const verdict = retireDatabaseVerdict(environment, generation, await probeDatabaseInstance(rds, identifier, environment.region), options.apply);
  if (verdict.status !== "delete") return { verdict };
  const deleted = await deleteDatabase(rds, identifier, environment.region, verdict.finalSnapshot);
  return { verdict, outcome: deleted.ok ? { deleted: true } : { deleted: false, detail: `${deleted.failure.call} failed: ${deleted.failure.description}` } };
}

/** The result as `retire-database` prints it. */
export function formatRetireDatabase(result: RetireDatabaseResult): string {
  const { verdict, outcome } = result;
  const lines = [`Retire database ${verdict.identifier}: ${outcome ? (outcome.deleted ? "deleted" : "FAILED") : verdict.status}`];
  if (verdict.deletes.length > 0) lines.push(outcome?.deleted ? "Deleted:" : "Deletes:", ...verdict.deletes.map((d) => `  - ${d}`));
  if (verdict.keeps.length > 0) lines.push("Keeps:", ...verdict.keeps.map((k) => `  - ${k}`));
  if (outcome && !outcome.deleted) lines.push(outcome.detail);
  else if (!outcome) lines.push(verdict.detail);
  if (verdict.fix) lines.push(`fix: ${verdict.fix}`);
  return `${lines.join("\n")}\n`;
}

/** 0 when listed, deleted or already gone; 1 when refused or the deletion failed. */
export function retireDatabaseExitCode(result: RetireDatabaseResult): number {
  if (result.outcome) return result.outcome.deleted ? 0 : 1;
  return result.verdict.status === "refused" ? 1 : 0;
}
