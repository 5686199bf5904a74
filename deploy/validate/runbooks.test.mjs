// Every alert has a summary, a description and a runbook_url into docs/operations.md whose anchor is
// a heading there; every alert has a test case in rules.test.yml.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import YAML from "yaml";
import { at } from "./lib/paths.mjs";

const rules = YAML.parse(fs.readFileSync(at("deploy/prometheus/rules.yml"), "utf8")).groups.flatMap((g) => g.rules).filter((r) => r.alert);
const anchors = new Set(fs.readFileSync(at("docs/operations.md"), "utf8").split("\n")
  .filter((l) => l.startsWith("#")).map((l) => l.replace(/^#+\s*/, "").toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")));
const tests = YAML.parse(fs.readFileSync(at("deploy/prometheus/rules.test.yml"), "utf8")).tests;

test("the rules hold the alerts issue 13 asks for", () => {
  assert.deepEqual(rules.map((r) => r.alert).sort(), [
    "TroupeBacklogStalled", "TroupeBudgetNearlySpent", "TroupeDeadLettersGrowing", "TroupeGivonCircuitOpen",
    "TroupeGivonKeyRefused", "TroupeGivonRateLimited", "TroupeGivonUnreachable", "TroupeJournalRestoreSlow",
    "TroupeWorkerNotReady"]);
});

for (const rule of rules) {
  test(`${rule.alert}: summary, description, severity and a runbook section`, () => {
    assert.ok(rule.annotations.summary && rule.annotations.description, "summary and description");
    assert.match(rule.labels.severity, /^(warning|critical)$/);
    const [file, anchor] = rule.annotations.runbook_url.split("#");
    assert.equal(file, "docs/operations.md");
    assert.ok(anchors.has(anchor), `docs/operations.md has a heading for #${anchor}`);
  });

  test(`${rule.alert}: rules.test.yml shows it firing and not firing`, () => {
    const cases = tests.flatMap((t) => t.alert_rule_test ?? []).filter((c) => c.alertname === rule.alert);
    assert.ok(cases.some((c) => c.exp_alerts.length > 0), "a case where it fires");
    assert.ok(cases.some((c) => c.exp_alerts.length === 0), "a case where it does not");
  });
}
