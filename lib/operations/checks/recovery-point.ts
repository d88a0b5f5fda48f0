/**
 * How ages and recovery points are judged and written, shared by the preflight and status checks.
 */

/**
 * Clock difference tolerated between AWS's timestamps and this machine: a recovery point up to a
 * minute "in the future" is skew, not a fault.
 */
export const CLOCK_SKEW_MS = 60_000;

/** "3 min ago", "2 h 5 min ago", "4 d 1 h ago". */
export function formatAge(milliseconds: number): string {
  if (milliseconds < 0) return "in the future (check the clock)";
  const minutes = Math.floor(milliseconds / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h ago`;
}

/** A time as the status table prints it (UTC, whole seconds). */
export function formatTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Minutes as the status table prints them. */
export function formatMinutes(minutes: number): string {
  return minutes < 60 || minutes % 60 !== 0 ? `${minutes} min` : `${minutes / 60} h`;
}

/** The verdict on a recovery point against a target in minutes, measured at `now`. */
export function judgeRecoveryPoint(point: Date, targetMinutes: number, now: Date): { readonly verdict: "met" | "missed" | "unknown"; readonly state: string } {
  const age = now.getTime() - point.getTime();
  if (age < -CLOCK_SKEW_MS) return { verdict: "unknown", state: `${formatTime(point)} (in the future: check this machine's clock)` };
  const shown = Math.max(age, 0);
  return { verdict: shown <= targetMinutes * 60_000 ? "met" : "missed", state: `${formatTime(point)} (${formatAge(shown)})` };
}
