import type { IAspect } from "cdktf";
import { Annotations, DefaultTokenResolver, StringConcat, TerraformProvider, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import type { PolicyPack } from "./pack";
import type { SynthesizedResource, SynthesizedStack } from "./rule";
import { findSuppression } from "./suppress";

/**
 * Runs a policy pack over a stack at synth time. cdktf 0.21 never runs aspects added to the App,
 * so every stack adds this aspect itself (see EnvironmentStack). A violation becomes an error
 * annotation on the resource: `[<rule id>] <what is wrong> Fix: <how>`; cdktf then refuses to
 * synthesize. A suppressed violation becomes an info annotation with its reason.
 */
export class PolicyAspect implements IAspect {
  constructor(private readonly pack: PolicyPack) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node as TerraformStack;
    const json = resourcesAndProviders(stack);
    const synthesized = toSynthesizedStack(json);
    const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));

    const subjects = [
      ...synthesized.resources.map((r) => ({ resource: r, path: json.resource[r.type][r.id]["//"]?.metadata?.path as string | undefined })),
      ...Object.entries(synthesized.providers).flatMap(([type, configs]) =>
        configs.map((config) => ({ resource: { type: `provider.${type}`, id: config.alias ?? "default", config }, path: undefined })),
      ),
    ];
    for (const { rule, severity } of this.pack.rules) {
      for (const { resource, path } of subjects) {
        if (rule.evaluate(resource, synthesized) !== "non-compliant") continue;
        const target = (path && byPath.get(path)) || stack;
        const what = path ? "" : ` (${resource.type} ${resource.id})`;
        const suppression = findSuppression(target, rule.id);
        if (suppression) {
          Annotations.of(target).addInfo(`[${rule.id}] suppressed${what}: ${suppression.reason}`);
        } else {
          const message = `[${rule.id}]${what} ${rule.description} Fix: ${rule.fix}`;
          if (severity === "error") Annotations.of(target).addError(message);
          else Annotations.of(target).addWarning(message);
        }
      }
    }
  }
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * The `resource` and `provider` blocks of a stack's JSON, as `stack.toTerraform()` has them, which
 * is all the rules read. Resolving each resource and provider once costs about a third of
 * `toTerraform()`, which resolves every element and then the whole document again, with the
 * stack's metadata, outputs, data sources and backend; the synth resolves it all once more to
 * write the file. Stack-level overrides of resources (`stack.addOverride("resource...")`) are not
 * seen; an element's own overrides are.
 */
export function resourcesAndProviders(stack: TerraformStack): { resource: Record<string, Record<string, any>>; provider: Record<string, any[]> } {
  const resource: Record<string, Record<string, any>> = {};
  const provider: Record<string, any[]> = {};
  for (const construct of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(construct) && !TerraformProvider.isTerraformProvider(construct)) continue;
    const fragment = Tokenization.resolve(construct.toTerraform(), { scope: stack, preparing: false, resolver: RESOLVER });
    for (const [type, byId] of Object.entries((fragment.resource ?? {}) as Record<string, Record<string, any>>)) Object.assign((resource[type] ??= {}), byId);
    for (const [type, configs] of Object.entries((fragment.provider ?? {}) as Record<string, any[]>)) provider[type] = [...(provider[type] ?? []), ...configs];
  }
  return { resource, provider };
}

/** The stack's synthesized JSON as rule input. */
export function toSynthesizedStack(json: Record<string, any>): SynthesizedStack {
  const resources: SynthesizedResource[] = Object.entries((json.resource ?? {}) as Record<string, Record<string, any>>).flatMap(([type, byId]) =>
    Object.entries(byId).map(([id, config]) => ({ type, id, config })),
  );
  return { resources, providers: json.provider ?? {} };
}
