import { EnvironmentSchema } from "../../lib/environment";
import { formatIssues } from "../../lib/environment/problems";

/** The problem lines the loader would print for this input, named as `file` (us-east-1's by default). */
export function schemaProblems(input: unknown, file = "environments/us-east-1.ts"): string[] {
  const result = EnvironmentSchema.safeParse(input, { reportInput: true });
  return result.success ? [] : formatIssues(file, result.error.issues);
}
