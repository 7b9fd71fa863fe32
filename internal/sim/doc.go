// Package sim is a local IBM Cloud simulator: one loopback HTTP listener that
// speaks the wire format of the IBM Cloud APIs ks-doctor reads, driven by a
// YAML scenario (see docs/scenario.md). Every test, the demo and the
// benchmarks meet "IBM Cloud" through it, so fidelity is proven by contract
// tests that use the official SDK clients, never hand-written HTTP.
//
// Reading order: scenario.go (the world a scenario describes) and load.go
// (how a file becomes one: decode, validate by section, derive); server.go
// (Server, Options) and handler.go (the request log around the behaviour
// knobs around dispatch); routes.go (every endpoint, one table of
// net/http.ServeMux patterns with method and path) and router.go (what
// happens around the table: read-only refusal, the SoftLayer path form,
// unknown paths); then one service, iks.go, with its contract test
// contract_test.go. docs/scenario.md says how to add an endpoint.
//
// Services are routed by path prefix on the one listener (services.go); a
// client's base URL is the simulator URL plus the prefix, and the
// production path follows:
//
//	/iam                  IAM (https://iam.cloud.ibm.com): token, API keys,
//	                      account settings, policies, access groups
//	                      iam.go, identity.go, policies.go, accessgroups.go, iampaging.go
//	/iks/global           Kubernetes Service (https://containers.cloud.ibm.com/global)
//	                      iks.go, iksinfra.go, iksmodels.go
//	/resource-manager     Resource Manager (https://resource-controller.cloud.ibm.com)  platform.go
//	/user-management      User management (https://user-management.cloud.ibm.com)     platform.go
//	/account-management   Accounts (https://accounts.cloud.ibm.com)         platform.go, accountfacts.go
//	/softlayer/rest/v3.1  Classic infrastructure (https://api.softlayer.com/rest/v3.1)
//	                      softlayer.go, slmodels.go, slfilter.go, slpaging.go, slvisibility.go
//	/vpc/{region}/v1      VPC (https://{region}.iaas.cloud.ibm.com/v1)      vpc.go, vpcmodels.go
//	/kube/{cluster}       each cluster's own Kubernetes API                 kube.go, kube_tls.go
//
// Each route's handler runs behind its service's gate (routes.go), which
// authenticates first. Platform calls need "Authorization: Bearer <jwt>"
// issued by this simulator; the token's account.bss claim selects the
// account (a refresh grant with account/ims_account binds a token to
// another account the user belongs to). SoftLayer also takes HTTP Basic
// username:apikey; with a bearer token its account.ims claim selects the
// classic account. Calls that would change something (POST/PUT/PATCH/DELETE
// but the token grant, and SoftLayer methods that are not getters) are
// refused with 405 before authentication and recorded as violations,
// because ks-doctor must be read-only.
//
// The scenario is decoded strictly (decode.go), validated one section at a
// time (validate*.go; errors name file, line and field) and then completed
// (derive*.go): linked classic accounts get a user per member, each classic
// worker gets its device (hostname = worker id) and VLANs in the account
// that holds it, worker pools and VPC ids are derived. Handlers only read
// it.
//
// Each request is logged as one JSON line (Options.Log) and kept in memory
// (Server.Requests, Server.Violations), with its real arrival time, arrival
// order and duration for critical-path analysis (LogEntry, log.go). Secrets
// never reach the log: request bodies are not logged, Authorization is
// reduced to its scheme, secret headers (IAM-ApiKey, X-Auth-Refresh-Token)
// are not logged, and query values that are or look like credentials are
// replaced.
//
// Between the log and dispatch sit the behaviour knobs (knobs.go), in order
// latency (latency.go: Options.Latency, Jitter), a token-bucket rate limit
// per service answering 429 with Retry-After (ratelimit.go:
// Options.RateLimit, RateLimits) and injected faults by path pattern
// (faults.go, faultspec.go, faultanswers.go: Options.Faults, a status in the
// service's error shape, 429 with Retry-After, expired token, connection
// reset, hang, malformed, empty or huge body, each for the first N matches
// or all). They can be changed while serving (SetLatency, SetRateLimit,
// SetFaults); Server.fail writes an error in the shape of the service a
// request addresses (services.go).
//
// Fleet (fleet.go) generates a scenario of thousands of classic clusters
// spread over regions, resource groups and infrastructure accounts with a
// chosen fraction orphaned, deterministic from a seed, with the truth a
// correct orphan walk concludes (FleetTruth). Lookups a fleet needs are
// indexed (index.go).
//
// Imports: the standard library and go.yaml.in/yaml/v3 (the maintained home
// of yaml.v3) only, except session.go, which writes the CLI session with the
// ibmcloud CLI SDK's own config code so that the file is exactly what
// `ibmcloud login` would leave behind.
package sim
