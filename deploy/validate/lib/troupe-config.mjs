import fs from "node:fs";
import YAML from "yaml";
import { at } from "./paths.mjs";

/** config/troupe.yaml, parsed (the file whose values the deploy files must agree with). */
export function troupeConfig() {
  return YAML.parse(fs.readFileSync(at("config", "troupe.yaml"), "utf8"));
}

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a config duration (250ms, 30s, 5m, 2h, 7d); "forever" is Kafka's -1. */
export function durationMillis(text) {
  if (text === "forever") return -1;
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(String(text));
  if (!m) throw new Error(`not a duration this check reads: ${text}`);
  return Number(m[1]) * UNITS[m[2]];
}
