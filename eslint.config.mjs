// ESLint (flat config) with typescript-eslint. `npm run lint` runs it, then Prettier's check.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Whole-package imports of the provider bindings load every resource class (~2.8 s, ~535 MB). */
const PROVIDER_ROOT = "^@cdktf/provider-[a-z0-9-]+$";
const PROVIDER_MESSAGE = "Import the resource deeply, e.g. @cdktf/provider-aws/lib/s3-bucket: the package root loads every resource (~2.8 s, ~535 MB).";
const providerRoot = { regex: PROVIDER_ROOT, message: PROVIDER_MESSAGE };
/** The same pattern inside an esquery selector, where `/` ends the regular expression. */
const SELECTOR_ROOT = PROVIDER_ROOT.replace("/", "\\/");

/** Names only the tooling and the app may use: the emulator target's (they come through lib/targets). */
const NO_EMULATOR = [
  {
    group: ["**/targets/emulator-target", "**/tooling", "**/tooling/*"],
    message: "Constructs, policy and stacks must not know a deployment target's details: ask targetOf() (lib/targets).",
  },
  {
    regex: "(^|/)targets$",
    importNamePattern: "^(Emulator|EMULATOR_|emulatorTarget)",
    message: "Constructs, policy and stacks must not know a deployment target's details: ask targetOf() (lib/targets).",
  },
];
const NO_APP_IN_LIB = {
  group: ["**/stacks/*", "**/app/*", "**/scripts/*", "**/cli/*"],
  message: "lib/ never imports stacks, the app assembly, the CLI or the scripts.",
};
const NO_APP_IN_STACKS = { group: ["**/app/*", "**/scripts/*", "**/cli/*"], message: "stacks/ never import the app assembly, the CLI or the scripts." };
/** Synthesis loads what it needs: operations (and the AWS SDK behind them) never. */
const NO_OPERATIONS_IN_SYNTH = {
  group: ["**/operations", "**/operations/*", "@aws-sdk/*"],
  message: "Synthesis never loads lib/operations or the AWS SDK (dr-platform/operations is their own entry point).",
};
/** The package's entry points: lib (dr-platform), lib/<layer> (its index.ts), lib/naming. */
const ENTRY_POINTS_ONLY = {
  group: ["**/lib/*/**", "**/lib/aws-provider", "**/lib/tags"],
  message:
    "Import the library through its entry points (../lib, ../lib/<layer>, ../lib/naming), as another team does through package.json's exports; export what you need from the layer's index.ts.",
};

/** The restricted imports of a folder: the provider roots, plus `patterns`. */
const restrictedImports = (...patterns) => ["error", { patterns: [providerRoot, ...patterns.flat()] }];

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", ".sandbox/", ".drill-environments/", "coverage/", ".gen/", "dist/", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "no-restricted-imports": restrictedImports(),
      // require() and import() of a provider root are as costly as a static import.
      "no-restricted-syntax": [
        "error",
        { selector: `CallExpression[callee.name='require'][arguments.0.value=/${SELECTOR_ROOT}/]`, message: PROVIDER_MESSAGE },
        { selector: `ImportExpression[source.value=/${SELECTOR_ROOT}/]`, message: PROVIDER_MESSAGE },
      ],
      // Synthesized Terraform JSON is untyped data: the policy rules and tests read it as such.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // Production code never knows the emulator; the library never imports the app or the stacks.
    files: ["lib/constructs/**/*.ts", "lib/policy/**/*.ts"],
    rules: { "no-restricted-imports": restrictedImports(NO_EMULATOR, NO_APP_IN_LIB, NO_OPERATIONS_IN_SYNTH) },
  },
  {
    files: ["lib/**/*.ts"],
    ignores: ["lib/constructs/**/*.ts", "lib/policy/**/*.ts", "lib/operations/**/*.ts", "lib/tooling/**/*.ts", "lib/recovery/**/*.ts"],
    rules: { "no-restricted-imports": restrictedImports(NO_APP_IN_LIB, NO_OPERATIONS_IN_SYNTH) },
  },
  {
    // Operations, recoveries and the sandbox's tooling call AWS; nothing a synth loads imports them.
    files: ["lib/operations/**/*.ts", "lib/tooling/**/*.ts", "lib/recovery/**/*.ts"],
    rules: { "no-restricted-imports": restrictedImports(NO_APP_IN_LIB) },
  },
  {
    // The repository's own app is the library's first consumer: it takes the entry points another
    // team takes (package.json's exports), never a file behind them.
    files: ["stacks/**/*.ts"],
    rules: { "no-restricted-imports": restrictedImports(ENTRY_POINTS_ONLY, NO_EMULATOR, NO_APP_IN_STACKS, NO_OPERATIONS_IN_SYNTH) },
  },
  {
    files: ["app/**/*.ts", "main.ts", "environments/**/*.ts"],
    rules: { "no-restricted-imports": restrictedImports(ENTRY_POINTS_ONLY, NO_OPERATIONS_IN_SYNTH) },
  },
  {
    files: ["scripts/**/*.ts", "cli/**/*.ts"],
    rules: { "no-restricted-imports": restrictedImports(ENTRY_POINTS_ONLY) },
  },
  {
    // Stacks are wiring (STYLE.md): what differs between a primary and a recovery is their role's
    // (stacks/roles/), so a stack never needs a non-null assertion, and it stays short.
    files: ["stacks/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "error" },
  },
  {
    files: ["stacks/*.ts"],
    rules: { "max-lines": ["error", { max: 130 }] },
  },
  {
    // Operations are probes, checks and commands that compose them (STYLE.md): a file that
    // grows past this mixes them again.
    files: ["lib/operations/**/*.ts"],
    rules: { "max-lines": ["error", { max: 300 }] },
  },
);
