// Package sim is a local IBM Cloud simulator: one loopback HTTP listener that
// speaks the wire format of the IBM Cloud APIs ks-doctor reads, driven by a
// YAML scenario (see docs/scenario.md). Every test, the demo and the
// benchmarks meet "IBM Cloud" through it, so fidelity is proven by contract
// tests that use the official SDK clients, never hand-written HTTP.
//
// Services are routed by path prefix on the one listener; a client's base URL
// is the simulator URL plus the prefix, and the production path follows:
//
//	/iam                 IAM token service (production https://iam.cloud.ibm.com)
//	                     POST /iam/identity/token (apikey and refresh_token grants)
//	/iks/global          Kubernetes Service API (https://containers.cloud.ibm.com/global)
//	/resource-manager    Resource Manager (https://resource-controller.cloud.ibm.com)
//
// Later slices add, on the same scheme: /user-management, /account-management,
// /softlayer/rest/v3.1 and /vpc/{region}/v1.
//
// Every endpoint except the token endpoint needs "Authorization: Bearer <jwt>"
// issued by this simulator; the token's account.bss claim selects the account.
// Calls that would change something (POST/PUT/PATCH/DELETE) are refused with
// 405 and recorded as violations, because ks-doctor must be read-only.
//
// Each request is logged as one JSON line (Options.Log) and kept in memory
// (Server.Requests, Server.Violations). Secrets never reach the log: request
// bodies are not logged, Authorization is reduced to its scheme, and query
// values that are or look like credentials are replaced.
//
// Imports: the standard library and gopkg.in/yaml.v3 only, except session.go,
// which writes the CLI session with the ibmcloud CLI SDK's own config code so
// that the file is exactly what `ibmcloud login` would leave behind.
package sim
