import type { StepRecord } from "./journal";

/**
 * A state lock left behind by an interrupted step. Terraform releases its lock when Ctrl-C stops
 * it, but a deploy stopped at the wrong moment (cdktf ending before Terraform has unlocked, or the
 * grace period's SIGKILL) leaves the lock object in the state bucket (`<key>.tflock`, S3's native
 * locking), and every later plan of that stack fails with "Error acquiring the state lock".
 *
 * The next `recover` run releases such a lock itself only when it can prove the lock is the
 * interrupted attempt's own: the journal says that attempt was stopped by the executor and its
 * processes had ended (the step finished as `interrupted:`, which is recorded only after the
 * step's output pipes closed, that is after every process of it exited), and the lock was
 * created between that attempt's start and end. Any other lock may be a live run somewhere else
 * (another terminal, another machine, a recover process killed with its Terraform still running):
 * then the step fails, naming the lock, who holds it, and the command that releases it.
 * Pure functions; the step runner (run-step.ts) runs the commands.
 */
export interface StateLock {
  /** The lock id `terraform force-unlock` takes. */
  readonly id: string;
  /** `<bucket>/<key>` of the locked state. */
  readonly path?: string;
  /** `OperationTypeApply`, `OperationTypePlan`, ... */
  readonly operation?: string;
  /** `user@host` of the process that took it. */
  readonly who?: string;
  /** When it was taken; undefined when Terraform printed no time. */
  readonly created?: Date;
}

/** The lock Terraform names in a failed command's output ("Error acquiring the state lock" and its Lock Info); undefined when there is none. */
export function stateLockOf(output: string): StateLock | undefined {
  if (!output.includes("Error acquiring the state lock")) return undefined;
  // cdktf prefixes each line with the stack's name, Terraform boxes its diagnostics with `│`: the
  // fields are read wherever they stand on their line.
  const field = (name: string) => new RegExp(`(?:^|[\\s│])${name}:[ \\t]+(\\S[^\\n]*?)\\s*$`, "m").exec(output)?.[1];
  const id = field("ID");
  if (id === undefined || !/^[0-9a-f][0-9a-f-]{7,}$/i.test(id)) return undefined;
  return { id, path: field("Path"), operation: field("Operation"), who: field("Who"), created: goTime(field("Created")) };
}

/** Go's `time.Time` as Terraform prints it: `2026-12-02 11:50:01.123456789 +0000 UTC`. */
function goTime(text: string | undefined): Date | undefined {
  const match = text && /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-]\d{2})(\d{2})/.exec(text);
  if (!match) return undefined;
  const [, day, time, fraction, zoneHours, zoneMinutes] = match;
  const millis = fraction ? `.${fraction.slice(1, 4).padEnd(3, "0")}` : "";
  const parsed = new Date(`${day}T${time}${millis}${zoneHours}:${zoneMinutes}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

export type LockVerdict = { readonly release: true; readonly reason: string } | { readonly release: false; readonly reason: string; readonly advice: string };

/**
 * Whether `lock` is the one the step's previous attempt (its journal record as this attempt
 * starts) left when it was interrupted, and so may be released without asking anyone.
 */
export function staleLockVerdict(lock: StateLock, previous: StepRecord | undefined, stackDir: string): LockVerdict {
  const holder = [lock.operation, lock.who && `by ${lock.who}`, lock.created && `since ${lock.created.toISOString()}`].filter(Boolean).join(" ");
  const advice = `the state is locked (lock ${lock.id}${holder ? `, ${holder}` : ""}); if no other deploy of this stack is running, release it: cd ${stackDir} && terraform force-unlock ${lock.id}`;
  const refuse = (reason: string): LockVerdict => ({ release: false, reason, advice });
  if (!previous?.detail?.startsWith("interrupted: ")) {
    return refuse("the step's previous attempt was not interrupted by this executor (its processes may still run)");
  }
  if (!previous.startedAt || !previous.endedAt || previous.endedAt < previous.startedAt) {
    return refuse("the journal has no start and end of the interrupted attempt");
  }
  if (!lock.created) return refuse("Terraform printed no creation time for the lock");
  const created = lock.created.getTime();
  if (created < Date.parse(previous.startedAt) || created > Date.parse(previous.endedAt)) {
    return refuse(`the lock was created at ${lock.created.toISOString()}, outside the interrupted attempt (${previous.startedAt} to ${previous.endedAt})`);
  }
  return {
    release: true,
    reason: `lock ${lock.id} was taken at ${lock.created.toISOString()} by the attempt interrupted at ${previous.endedAt}, whose processes had ended`,
  };
}

/** The command that releases `lock` in a stack's folder, as the runner runs it (no prompt). */
export function forceUnlockCommand(stackDir: string, lock: StateLock): string {
  return `cd ${JSON.stringify(stackDir)} && terraform force-unlock -force ${lock.id}`;
}
