// ESLint (flat config) with typescript-eslint. `npm run lint` runs it, then Prettier's check.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Whole-package imports of the provider bindings load every resource class (~2.8 s, ~535 MB). */
const PROVIDER_ROOT = "^@cdktf/provider-[a-z0-9-]+$";
const PROVIDER_MESSAGE = "Import the resource deeply, e.g. @cdktf/provider-aws/lib/s3-bucket: the package root loads every resource (~2.8 s, ~535 MB).";
const providerRoot = { regex: PROVIDER_ROOT, message: PROVIDER_MESSAGE };
/** The same pattern inside an esquery selector, where `/` ends the regular expression. */
const SELECTOR_ROOT = PROVIDER_ROOT.replace("/", "\\/");

/** The restricted imports of a folder: the provider roots, plus `patterns`. */
const restrictedImports = (...patterns) => ["error", { patterns: [providerRoot, ...patterns] }];

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", ".sandbox/", "coverage/", ".gen/", "dist/", "**/*.js", "**/*.mjs"] },
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
    files: ["lib/constructs/**/*.ts", "lib/policy/**/*.ts", "stacks/**/*.ts"],
    rules: {
      "no-restricted-imports": restrictedImports(
        {
          group: ["**/targets/emulator-target", "**/tooling/*"],
          message: "Constructs, policy and stacks must not know a deployment target's details: ask targetOf() (lib/targets).",
        },
        { group: ["**/app/*", "**/scripts/*", "**/cli/*"], message: "lib/ and stacks/ never import the app assembly, the CLI or the scripts." },
      ),
    },
  },
  {
    files: ["lib/**/*.ts"],
    ignores: ["lib/constructs/**/*.ts", "lib/policy/**/*.ts"],
    rules: {
      "no-restricted-imports": restrictedImports({
        group: ["**/stacks/*", "**/app/*", "**/scripts/*", "**/cli/*"],
        message: "lib/ never imports stacks, the app assembly, the CLI or the scripts.",
      }),
    },
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
);
