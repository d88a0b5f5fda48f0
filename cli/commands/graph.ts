import { mermaidGraph } from "../../lib/operations";
import type { CliContext } from "../command";
import { synthesizedManifest } from "../synthesized";

/** `graph`: a Mermaid flowchart of the synthesized stack graph. */
export async function graph(context: CliContext): Promise<number> {
  console.log(mermaidGraph(synthesizedManifest(context)));
  return 0;
}
