/**
 * Jest's test order, with the longest suite first. Jest's own sequencer orders by the durations it
 * cached on earlier runs and, on a machine that has none (a fresh CI runner), by file size,
 * biggest first: the DR drill is one of the smallest files and the longest suite by far (about
 * 23 minutes of a 28-minute CI), so a fresh runner started it last, after both workers had spent
 * their first minutes on the rest, and the whole run took that much longer. Here the suites named
 * in LONGEST come first, in that order, whatever the cache says; every other suite keeps Jest's
 * order. The warm standby's drill (its own peacetime deployment, about a third of the DR drill's
 * time) comes second: on the other worker, beside the DR drill, with every short suite after it.
 */
const Sequencer = require("@jest/test-sequencer").default;
const path = require("path");

/** Suites that run for minutes, longest first, relative to the repository root. */
const LONGEST = ["test/e2e/dr-drill.test.ts", "test/e2e/warm-standby-drill.test.ts"];

const rank = (test) => {
  const i = LONGEST.indexOf(
    path
      .relative(path.resolve(__dirname, "..", ".."), test.path)
      .split(path.sep)
      .join("/"),
  );
  return i === -1 ? LONGEST.length : i;
};

class LongestFirst extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    // Array.prototype.sort is stable: the suites outside LONGEST keep Jest's order.
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirst;
module.exports.LONGEST = LONGEST;
