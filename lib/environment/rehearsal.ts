import { REHEARSAL_TAG, rehearsalProject } from "../naming";
import type { RecoverySide } from "./pair";

/**
 * The side a recovery's rehearsal generation is synthesized from (`rehearsal: true` in the
 * recovery's file): the recovery's environment under the rehearsal's project name
 * (`<project>-rehearsal`, so no name meets the real recovery's), marked `rehearsing` (its stacks
 * take `-rehearsal` ids: their own state keys), tagged `dr:rehearsal`, at generation 1 of its
 * cluster and database whatever the recovery's own generations are, restoring what the recovery's
 * file restores. What it reads from the primary (its state, its replicas and archives in this
 * region) is the real recovery's: a rehearsal rehearses exactly that path.
 */
export function rehearsalSide(side: RecoverySide): RecoverySide {
  const env = side.environment;
  if (env.rehearsing) throw new Error(`rehearsalSide: ${env.region} is a rehearsal already`);
  return {
    ...side,
    environment: {
      ...env,
      project: rehearsalProject(env.project),
      rehearsal: false,
      rehearsing: true,
      database: { ...env.database, generation: 1, restoredFrom: undefined },
      kubernetes: { ...env.kubernetes, generation: 1, retiringGeneration: undefined },
      tags: { ...env.tags, [REHEARSAL_TAG.key]: REHEARSAL_TAG.value },
    },
  };
}
