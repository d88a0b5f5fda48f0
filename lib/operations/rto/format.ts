import type { RtoResult, StackTiming } from "./model";

const fixed = (minutes: number) => minutes.toFixed(1);

function formatText(result: RtoResult): string {
  const actions = result.rows === "actions";
  const header = actions
    ? ["", "action", "minutes", "start", "finish", "call"]
    : ["", "stack", "minutes", "start", "finish", "longest chain in the stack (minutes each)"];
  const rows = result.stacks.map((s) => [
    s.critical ? "*" : "",
    s.stackId,
    fixed(s.minutes),
    fixed(s.startMinute),
    fixed(s.finishMinute),
    actions ? s.longestChain[0].type : s.longestChain.map((r) => `${r.type} ${fixed(r.minutes)}`).join(" -> ") || "(no resources)",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  const saved = result.serialMinutes - result.criticalPathMinutes;
  const lines = [
    ...(result.tier ? [`Tier: ${result.tier}${actions ? " (no stack creates anything on the day: each row is a call in the recovery region)" : ""}`] : []),
    actions
      ? "Modelled recovery time in minutes (an action starts when the actions it waits for finish)"
      : `Modelled recovery time in minutes (a stack starts when its dependencies finish; Terraform parallelism ${result.parallelism} within a stack)`,
    line(header),
    ...rows.map(line),
    "",
    `Critical path (*): ${result.criticalPath.join(" -> ")}: ${fixed(result.criticalPathMinutes)} min`,
    `Serial sum (one ${actions ? "action" : "stack"} after another): ${fixed(result.serialMinutes)} min (${fixed(saved)} min more than the critical path)`,
  ];
  for (const s of result.stacks) {
    if (s.minutes > s.unlimitedMinutes)
      lines.push(`${s.stackId}: the parallelism limit adds ${fixed(s.minutes - s.unlimitedMinutes)} min to its longest chain`);
  }
  for (const r of result.restores) lines.push(`Database restore ${r.address} (${r.stackId}, ${r.storageGib} GiB): ${fixed(r.minutes)} min`);
  if (result.defaultedTypes.length > 0) lines.push(`No figure for ${result.defaultedTypes.join(", ")}: ${fixed(result.defaultMinutes)} min each (default)`);
  lines.push("Figures and their sources: docs/rto.md. A model, not a measurement.");
  return lines.join("\n");
}

function formatMermaid(result: RtoResult): string {
  // dateFormat X reads seconds; the axis shows them as a clock from 00:00 (in the viewer's time
  // zone), so each bar also carries its minutes in its label.
  const seconds = (minutes: number) => Math.round(minutes * 60);
  const task = (s: StackTiming) =>
    `  ${s.stackId} (${fixed(s.minutes)} min) :${s.critical ? "crit, " : ""}${s.stackId.replace(/[^A-Za-z0-9_]/g, "_")}, ${seconds(s.startMinute)}, ${seconds(s.finishMinute)}`;
  const critical = result.stacks.filter((s) => s.critical);
  const other = result.stacks.filter((s) => !s.critical);
  return [
    "gantt",
    `  title Modelled recovery: critical path ${fixed(result.criticalPathMinutes)} min, serial sum ${fixed(result.serialMinutes)} min`,
    "  dateFormat X",
    "  axisFormat %H:%M",
    "  section Critical path",
    ...critical.map(task),
    ...(other.length > 0 ? ["  section Other stacks", ...other.map(task)] : []),
  ].join("\n");
}

/** The result as a text table (with the serial sum beside the critical path) or a Mermaid gantt chart. */
export function formatRto(result: RtoResult, format: "text" | "mermaid"): string {
  return format === "mermaid" ? formatMermaid(result) : formatText(result);
}
