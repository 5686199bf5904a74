// Validation of rendered resources against the Kubernetes API schemas: kubernetes-models and its
// CRD packages ship JSON schemas generated from the OpenAPI specs (Kubernetes 1.27) and from the
// operators' CRDs, and validate() checks a resource against them.

const CORE_GROUPS = new Set([
  "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "apps",
  "authentication.k8s.io", "authorization.k8s.io", "autoscaling", "batch", "certificates.k8s.io",
  "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io",
  "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io", "scheduling.k8s.io",
  "storage.k8s.io",
]);

// The operators whose resources deploy/kubernetes uses, and the package that models each.
const CRD_PACKAGES = {
  "keda.sh": "@kubernetes-models/keda",
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function modulePath(apiVersion) {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) return `kubernetes-models/${apiVersion}`;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (CORE_GROUPS.has(group)) return `kubernetes-models/${group}/${version}`;
  const pkg = CRD_PACKAGES[group];
  return pkg ? `${pkg}/${group}/${version}` : null;
}

/** The model class of apiVersion/kind, or an Error saying why there is none. */
export async function modelOf(apiVersion, kind) {
  const path = apiVersion && modulePath(apiVersion);
  if (!path) return new Error(`no schema package for apiVersion ${apiVersion}`);
  let mod;
  try {
    mod = await import(path);
  } catch (e) {
    return new Error(`no schemas for apiVersion ${apiVersion} (${path}): ${e.code ?? e.message}`);
  }
  const model = mod[kind];
  return typeof model === "function" ? model : new Error(`unknown kind ${kind} in ${apiVersion}`);
}

/** Validates one resource; returns null or the problem (unknown kind, schema violations). */
export async function problemOf(resource) {
  const name = `${resource?.kind ?? "?"} ${resource?.metadata?.name ?? "?"}`;
  const model = await modelOf(resource?.apiVersion, resource?.kind);
  if (model instanceof Error) return `${name}: ${model.message}`;
  try {
    new model(resource).validate();
    return null;
  } catch (e) {
    return `${name}: ${e.message}`;
  }
}
