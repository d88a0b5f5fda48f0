import { formatAge, formatMinutes, formatTime, judgeRecoveryPoint } from "../../../lib/operations/checks/recovery-point";

const NOW = new Date("2026-11-21T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

describe("judgeRecoveryPoint", () => {
  it("meets a target up to and including its last millisecond, and misses it after", () => {
    expect(judgeRecoveryPoint(minutesAgo(5), 5, NOW)).toEqual({ verdict: "met", state: "2026-11-21T11:55:00Z (5 min ago)" });
    expect(judgeRecoveryPoint(new Date(minutesAgo(5).getTime() - 1), 5, NOW)).toEqual({ verdict: "missed", state: "2026-11-21T11:54:59Z (5 min ago)" });
    expect(judgeRecoveryPoint(minutesAgo(185), 65, NOW)).toEqual({ verdict: "missed", state: "2026-11-21T08:55:00Z (3 h 5 min ago)" });
  });
  it("takes up to a minute in the future as clock skew (age 0), and more as unknown", () => {
    expect(judgeRecoveryPoint(new Date(NOW.getTime() + 60_000), 5, NOW)).toEqual({ verdict: "met", state: "2026-11-21T12:01:00Z (0 min ago)" });
    expect(judgeRecoveryPoint(new Date(NOW.getTime() + 60_001), 5, NOW)).toEqual({
      verdict: "unknown",
      state: "2026-11-21T12:01:00Z (in the future: check this machine's clock)",
    });
  });
});

describe("formatMinutes", () => {
  it("prints minutes, and whole hours as hours", () => {
    expect([5, 65, 60, 120, 10080].map(formatMinutes)).toEqual(["5 min", "65 min", "1 h", "2 h", "168 h"]);
  });
});

describe("formatTime", () => {
  it("prints UTC in whole seconds", () => {
    expect(formatTime(new Date("2026-11-21T11:55:00.789Z"))).toBe("2026-11-21T11:55:00Z");
  });
});

describe("formatAge", () => {
  it.each([
    [0, "0 min ago"],
    [59 * 60_000 + 59_000, "59 min ago"],
    [60 * 60_000, "1 h 0 min ago"],
    [(23 * 60 + 59) * 60_000, "23 h 59 min ago"],
    [(24 * 60 + 90) * 60_000, "1 d 1 h ago"],
    [-1, "in the future (check the clock)"],
  ])("%d ms: %s", (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
