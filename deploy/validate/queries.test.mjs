// The alert rules' and the dashboard's queries: valid PromQL (promtool parses them), and the metric
// names they read listed in deploy/queried-metrics.txt, which the live-worker test reads to check
// that a worker exports every one of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import YAML from "yaml";
import { at } from "./lib/paths.mjs";
import { ruleQueries, dashboardQueries, asPrometheusSees, metricNames } from "./lib/queries.mjs";

const all = [...ruleQueries(), ...dashboardQueries()];

test("every dashboard query is PromQL that promtool parses", () => {
  const exprs = dashboardQueries().filter((q) => !q.variable);
  assert.ok(exprs.length > 40, `${exprs.length} panel queries`);
  const rules = { groups: [{ name: "dashboard", rules: exprs.map((q, i) => ({ record: `dashboard:query_${i}`, expr: asPrometheusSees(q.expr) })) }] };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "troupe-dash-")), "dashboard-queries.yml");
  fs.writeFileSync(file, YAML.stringify(rules));
  const run = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
  assert.ifError(run.error);
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

test("the dashboard's variables read label values of contract metrics", () => {
  for (const v of dashboardQueries().filter((q) => q.variable)) assert.match(v.expr, /^label_values\((troupe_[a-z_]+), [a-z]+\)$/, v.where);
});

test("deploy/queried-metrics.txt lists exactly the names the rules and the dashboard read (node metrics-list.mjs > ../queried-metrics.txt)", () => {
  const listed = fs.readFileSync(at("deploy/queried-metrics.txt"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  const used = [...new Set(all.flatMap((q) => metricNames(q.expr)))].sort();
  assert.deepEqual(listed, used);
});

test("no query reads the removed troupe_givon_calls_total or a summary's quantile label", () => {
  for (const q of all) {
    assert.doesNotMatch(q.expr, /troupe_givon_calls/, q.where);
    assert.doesNotMatch(q.expr, /quantile="/, q.where);
  }
});
