#!/usr/bin/env node
// RabbitMQ definitions (vhosts, exchanges, queues, bindings, policies, users, permissions) out of
// one broker and into another, through the management API. Node built-ins only: it runs with
// plain `node` in a pinned node image.
//
//   node broker-definitions.js export <dir>   GET /api/definitions -> <dir>/definitions.json and <dir>/exported-at
//   node broker-definitions.js import <file>  POST <file> to /api/definitions
//
// MANAGEMENT_URL (https://b-....mq.<region>.amazonaws.com), ADMIN_USERNAME, and ADMIN_PASSWORD or
// ADMIN_PASSWORD_FILE. Exported users keep their names, tags and permissions but lose their
// password hashes: the recovery's users get newly generated passwords (the rabbitmq-users job
// sets them after the import). The administrator is left out both ways: Amazon MQ manages it.
"use strict";

const fs = require("fs");
const http = require("http");
const https = require("https");
const path = require("path");

function fail(message) {
  process.stderr.write(`broker-definitions: ${message}\n`);
  process.exit(1);
}

function settings() {
  const url = process.env.MANAGEMENT_URL;
  const username = process.env.ADMIN_USERNAME;
  if (!url) fail("MANAGEMENT_URL must be set");
  if (!username) fail("ADMIN_USERNAME must be set");
  let password = process.env.ADMIN_PASSWORD;
  if (process.env.ADMIN_PASSWORD_FILE) {
    try {
      password = fs.readFileSync(process.env.ADMIN_PASSWORD_FILE, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      fail(`ADMIN_PASSWORD_FILE names a file that cannot be read: ${process.env.ADMIN_PASSWORD_FILE}`);
    }
  }
  if (!password) fail("ADMIN_PASSWORD or ADMIN_PASSWORD_FILE must be set");
  let base;
  try {
    base = new URL(url);
  } catch {
    fail(`MANAGEMENT_URL must be a URL (got ${url})`);
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") fail(`MANAGEMENT_URL must be an https:// URL (got ${base.protocol}//...)`);
  return { base, username, password };
}

function request(config, method, body) {
  const target = new URL("api/definitions", config.base.href.endsWith("/") ? config.base : `${config.base.href}/`);
  const client = target.protocol === "https:" ? https : http;
  const headers = { authorization: `Basic ${Buffer.from(`${config.username}:${config.password}`).toString("base64")}`, accept: "application/json" };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const req = client.request(target, { method, headers, timeout: 30_000 }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Definitions without password hashes and without the administrator (user and permissions). */
function withoutCredentials(definitions, administrator) {
  const result = { ...definitions };
  result.users = (definitions.users || []).filter((user) => user.name !== administrator).map((user) => ({ ...user, password_hash: "" }));
  for (const key of ["permissions", "topic_permissions"]) {
    if (Array.isArray(definitions[key])) result[key] = definitions[key].filter((entry) => entry.user !== administrator);
  }
  return result;
}

function count(definitions, key) {
  return Array.isArray(definitions[key]) ? definitions[key].length : 0;
}

function summary(definitions) {
  return ["vhosts", "users", "permissions", "exchanges", "queues", "bindings", "policies"].map((key) => `${count(definitions, key)} ${key}`).join(", ");
}

async function exportDefinitions(dir) {
  if (!dir) fail("usage: broker-definitions.js export <dir>");
  const config = settings();
  const exportedAt = new Date();
  const response = await request(config, "GET");
  if (response.status !== 200) fail(`GET /api/definitions answered ${response.status}: ${response.text.slice(0, 200)}`);
  let definitions;
  try {
    definitions = JSON.parse(response.text);
  } catch {
    fail("GET /api/definitions did not answer JSON");
  }
  const stripped = withoutCredentials(definitions, config.username);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "definitions.json");
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(stripped, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  // Basic ISO 8601 (sorts as text): the object key's stamp.
  fs.writeFileSync(
    path.join(dir, "exported-at"),
    exportedAt
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}Z$/, "Z"),
  );
  process.stdout.write(`broker-definitions: exported ${summary(stripped)} to ${file} (password hashes removed, administrator left out)\n`);
}

async function importDefinitions(file) {
  if (!file) fail("usage: broker-definitions.js import <file>");
  const config = settings();
  let definitions;
  try {
    definitions = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    fail(`cannot read definitions from ${file}: ${error.message}`);
  }
  if (definitions === null || typeof definitions !== "object" || Array.isArray(definitions)) fail(`${file} does not hold broker definitions (a JSON object)`);
  // Again on the way in: a file from elsewhere must not replace the administrator or set hashes.
  const posted = withoutCredentials(definitions, config.username);
  // A standing broker's scheduled import (TOPOLOGY_ONLY=true): vhosts, exchanges, queues, bindings
  // and policies only; its users, with the passwords their job set, and their permissions stay.
  if (process.env.TOPOLOGY_ONLY === "true") for (const key of ["users", "permissions", "topic_permissions"]) delete posted[key];
  const response = await request(config, "POST", JSON.stringify(posted));
  if (response.status < 200 || response.status > 299) fail(`POST /api/definitions answered ${response.status}: ${response.text.slice(0, 200)}`);
  process.stdout.write(`broker-definitions: imported ${summary(posted)} from ${file}\n`);
}

const [command, argument] = process.argv.slice(2);
const commands = { export: exportDefinitions, import: importDefinitions };
const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
if (!run) fail(`usage: broker-definitions.js export <dir> | import <file> (got: ${command || "nothing"})`);
run(argument).catch((error) => fail(`${command} failed: ${error.message}`));
