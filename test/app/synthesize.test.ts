import { Lazy, Tokenization } from "cdktf";
import { withoutTokenStackTraces } from "../../app/synthesize";

/** Where cdktf says a token was created (it prints it when resolving the token fails). */
const creationStack = () =>
  (Tokenization.reverseString(Lazy.stringValue({ produce: () => "x" })).tokens[0] as unknown as { creationStack: string[] }).creationStack;

describe("withoutTokenStackTraces", () => {
  it("keeps tokens from recording a stack trace while the work runs, and cdktf's behaviour after it", () => {
    expect(creationStack().length).toBeGreaterThan(0);
    expect(withoutTokenStackTraces(creationStack)).toEqual([]);
    expect(creationStack().length).toBeGreaterThan(0);
  });

  it("restores cdktf's stack traces when the work throws", () => {
    expect(() =>
      withoutTokenStackTraces(() => {
        throw new Error("invalid environment");
      }),
    ).toThrow("invalid environment");
    expect(creationStack().length).toBeGreaterThan(0);
  });
});
