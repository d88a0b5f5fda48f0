/** The repository's tooling (emulator, fault proxy, sandbox sessions, Terraform CLI settings): used by scripts/ and the tests; not a package entry point. */
export * from "./deploy-scheduler";
export * from "./emulator";
export * from "./fault-proxy";
export * from "./sandbox-session";
export * from "./terraform-cli";
export * from "./tls";
export * from "./sandbox-recover";
export * from "./sandbox-state";
