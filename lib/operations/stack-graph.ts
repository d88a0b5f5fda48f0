import { parseStackId } from "../naming";

/** The stack graph as cdktf wrote it to manifest.json. */
export interface Manifest {
  readonly stacks: Readonly<Record<string, { readonly dependencies: readonly string[] }>>;
}

/**
 * The selected stacks in the order `cdktf deploy` runs them: each after all of its selected
 * dependencies; ties by name. Throws on a cycle.
 */
export function deployOrder(manifest: Manifest, selected: (stackId: string) => boolean): string[] {
  const pending = Object.keys(manifest.stacks).filter(selected).sort();
  const done: string[] = [];
  while (pending.length > 0) {
    const next = pending.find((id) => manifest.stacks[id].dependencies.every((dep) => done.includes(dep) || !selected(dep)));
    if (next === undefined) throw new Error(`dependency cycle among ${pending.join(", ")}`);
    done.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return done;
}

/** A Mermaid flowchart of environments (subgraphs), their stacks and dependencies. */
export function mermaidGraph(manifest: Manifest): string {
  const ids = Object.keys(manifest.stacks).sort();
  const node = (id: string) => id.replace(/[^A-Za-z0-9_]/g, "_");
  const byRegion = new Map<string, string[]>();
  const shared: string[] = [];
  for (const id of ids) {
    const parsed = parseStackId(id);
    if (parsed) byRegion.set(parsed.region, [...(byRegion.get(parsed.region) ?? []), id]);
    else shared.push(id);
  }
  const lines = ["flowchart LR"];
  for (const id of shared) lines.push(`  ${node(id)}[["${id}"]]`);
  for (const [region, stacks] of byRegion) {
    lines.push(`  subgraph ${node(`env_${region}`)}["${region}"]`);
    for (const id of deployOrder(manifest, (s) => stacks.includes(s))) lines.push(`    ${node(id)}["${id}"]`);
    lines.push("  end");
  }
  for (const id of ids) for (const dep of [...manifest.stacks[id].dependencies].sort()) lines.push(`  ${node(dep)} --> ${node(id)}`);
  return lines.join("\n");
}
