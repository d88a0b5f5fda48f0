import { drCommand } from "../naming";
import { SCENARIO_COMMANDS, type PlanStep, type RecoveryPlan } from "./plan";

/**
 * The runbook: the plan printed for a person (plain text, or Markdown for a ticket or a wiki).
 * The same plan `recover` executes; each command runs as printed, and each step says what it waits
 * for, so a person who runs it by hand can run independent steps side by side as `recover` does.
 */
export function formatPlan(plan: RecoveryPlan, format: "text" | "markdown"): string {
  const md = format === "markdown";
  const number = new Map(plan.steps.map((s, i) => [s.id, i + 1]));
  const lines: string[] = [];
  // Each scenario's plan is executed by its own command (the same executor).
  const heading = {
    region: "Recovery runbook",
    cluster: "Cluster rebuild runbook",
    database: "Database restore runbook",
    account: "Account rebuild runbook",
    rehearsal: "Rehearsal runbook",
    "rehearsal-teardown": "Rehearsal teardown runbook",
  }[plan.scenario];
  lines.push(md ? `## ${heading}: ${plan.region}` : `${heading}: ${plan.region}`, "");
  if (plan.tier) {
    const rto = drCommand("rto", plan.region);
    lines.push(
      md
        ? `Tier: \`${plan.tier}\` (what it prepares and costs: docs/tiers.md; its modelled recovery time: \`${rto}\`)`
        : `Tier: ${plan.tier} (what it prepares and costs: docs/tiers.md; its modelled recovery time: ${rto})`,
      "",
    );
  }
  const [command, ...flags] = SCENARIO_COMMANDS[plan.scenario];
  const all = drCommand(command, plan.region, ...flags, ...(plan.runOptions ?? []));
  lines.push(
    md
      ? `Run all of it with \`${all}\`: it executes the steps below in order (independent ones side by side), asks at every manual step (\`--yes\` answers for you), keeps a journal so a rerun resumes where it stopped, and writes a report.`
      : `Run all of it with: ${all}   (the steps below in order, independent ones side by side; asks at every manual step, --yes answers; a rerun resumes; writes a report)`,
    "",
  );
  if (plan.preparation.length > 0) {
    lines.push(
      md ? "**Prepared in peacetime** (not during the outage; preflight checks it):" : "Prepared in peacetime (not during the outage; preflight checks it):",
    );
    for (const step of plan.preparation) {
      lines.push(`- ${md ? `**${step.title}**` : step.title}`);
      if (md) lines.push("  ```bash", ...step.commands.map((c) => `  ${c}`), "  ```");
      else lines.push(...step.commands.map((c) => `    $ ${c}`));
      if (step.note) lines.push(`  ${step.note}`);
    }
    lines.push("", md ? "**On the day:**" : "On the day:", "");
  }
  plan.steps.forEach((step, i) => {
    const tag = step.kind === "gate" ? "MANUAL" : step.kind;
    const waits = step.after
      .map((a) => number.get(a))
      .filter((n): n is number => n !== undefined)
      .sort((a, b) => a - b);
    const beside = besides(plan, step).map((s) => number.get(s.id));
    const order = [waits.length > 0 ? `after ${waits.join(", ")}` : "", beside.length > 0 ? `beside ${beside.join(", ")}` : ""].filter(Boolean).join("; ");
    const suffix = order ? ` (${order})` : "";
    lines.push(md ? `${i + 1}. **${step.title}** (${tag})${suffix}` : `${i + 1}. [${tag}] ${step.title}${suffix}`);
    if (md) lines.push("   ```bash", ...step.commands.map((c) => `   ${c}`), "   ```");
    else lines.push(...step.commands.map((c) => `     $ ${c}`));
    if (step.note) lines.push(md ? `   ${step.note}` : `     ${step.note}`);
  });
  lines.push("", `${md ? "**" : ""}Manual steps remaining: ${plan.manualSteps}${md ? "**" : ""}`);
  if (plan.notNeeded.length > 0) lines.push("", "Not needed any more:", ...plan.notNeeded.map((n) => `- ${n}`));
  return lines.join("\n");
}

/** The deploy steps that may run at the same time as `step`: neither waits for the other, directly or not. */
function besides(plan: RecoveryPlan, step: PlanStep): PlanStep[] {
  if (step.kind !== "deploy") return [];
  const before = (id: string, seen = new Set<string>()): Set<string> => {
    for (const a of plan.steps.find((s) => s.id === id)?.after ?? []) {
      if (!seen.has(a)) {
        seen.add(a);
        before(a, seen);
      }
    }
    return seen;
  };
  const mine = before(step.id);
  return plan.steps.filter(
    (other) => other.kind === "deploy" && other.id !== step.id && other.phase === step.phase && !mine.has(other.id) && !before(other.id).has(step.id),
  );
}
