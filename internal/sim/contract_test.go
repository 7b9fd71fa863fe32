package sim_test

// Contract tests: the simulator is driven only through the official clients
// (container-services-go-sdk, platform-services-go-sdk, go-sdk-core and the
// ibmcloud CLI SDK), so a wire-format mistake shows up as a decoding failure.

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/authentication"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/authentication/iam"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/common/rest"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/resourcemanagerv2"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// syncBuffer collects the JSON log written from server goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t *testing.T, nameOrPath string, log *syncBuffer) *sim.Server {
	t.Helper()
	sc, err := sim.Load(nameOrPath)
	if err != nil {
		t.Fatal(err)
	}
	opts := sim.Options{}
	if log != nil {
		opts.Log = log
	}
	srv := sim.New(sc, opts)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// login runs the apikey grant through go-sdk-core's IamAuthenticator.
func login(t *testing.T, srv *sim.Server) string {
	t.Helper()
	auth := &core.IamAuthenticator{ApiKey: srv.Scenario().Session.APIKey, URL: srv.URL() + sim.PrefixIAM}
	tok, err := auth.GetToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func iks(t *testing.T, srv *sim.Server, token string) *kubernetesserviceapiv1.KubernetesServiceApiV1 {
	t.Helper()
	svc, err := kubernetesserviceapiv1.NewKubernetesServiceApiV1(&kubernetesserviceapiv1.KubernetesServiceApiV1Options{
		URL:           srv.URL() + sim.PrefixIKS,
		Authenticator: &core.BearerTokenAuthenticator{BearerToken: token},
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func ikscode(t *testing.T, resp *core.DetailedResponse, err error, status int, code string) {
	t.Helper()
	if err == nil || resp == nil || resp.StatusCode != status {
		t.Fatalf("want HTTP %d, got resp=%v err=%v", status, resp, err)
	}
	body, ok := resp.Result.(map[string]any)
	if !ok || body["code"] != code || body["incidentID"] == "" || body["description"] == "" {
		t.Fatalf("want IKS error %s, got %#v", code, resp.Result)
	}
}

func TestIAMAPIKeyGrant(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	sc := srv.Scenario()
	auth := &core.IamAuthenticator{ApiKey: sc.Session.APIKey, URL: srv.URL() + sim.PrefixIAM}
	resp, err := auth.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	if resp.RefreshToken != "not_supported" || resp.TokenType != "Bearer" || resp.ExpiresIn != 3600 {
		t.Errorf("token response %+v", resp)
	}
	info := core_config.NewIAMTokenInfo(resp.AccessToken)
	if info.HasExpired() || info.UserEmail != "jane.doe@example.com" || info.IAMID != "IBMid-550006ABCD" ||
		info.Accounts.AccountID != sc.Account.ID || info.Accounts.IMSAccountID != "2093847" || !info.Accounts.Valid {
		t.Errorf("claims %+v", info)
	}

	bad := &core.IamAuthenticator{ApiKey: "no-such-key", URL: srv.URL() + sim.PrefixIAM}
	_, err = bad.RequestToken()
	var ae *core.AuthenticationError
	if !errors.As(err, &ae) || ae.Response.StatusCode != 400 || !strings.Contains(err.Error(), "Provided API key could not be found") {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestIKSGetCluster(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	svc := iks(t, srv, login(t, srv))
	teamA, def := srv.Scenario().GroupByName("team-a").ID, srv.Scenario().GroupByName("default").ID

	for _, rg := range []string{"", teamA} {
		opts := svc.NewGetClusterOptions("mycluster")
		if rg != "" {
			opts.SetXAuthResourceGroup(rg)
		}
		c, _, err := svc.GetCluster(opts)
		if err != nil {
			t.Fatalf("rg %q: %v", rg, err)
		}
		if *c.ID != "c5r0bqmd0l1sq0c4e3gg" || *c.Name != "mycluster" || *c.Provider != "classic" || *c.Region != "us-south" ||
			*c.ResourceGroup != teamA || *c.ResourceGroupName != "team-a" || *c.State != "normal" ||
			*c.Lifecycle.MasterState != "deployed" || *c.Lifecycle.MasterHealth != "normal" || *c.WorkerCount != 3 || *c.Datacenter != "dal10" {
			t.Errorf("v2 cluster: %+v", c)
		}
	}
	// By id, scoped to the wrong group: the real 404 G0004.
	_, resp, err := svc.GetCluster(svc.NewGetClusterOptions("c5r0bqmd0l1sq0c4e3gg").SetXAuthResourceGroup(def))
	ikscode(t, resp, err, 404, "G0004")
	_, resp, err = svc.GetCluster(svc.NewGetClusterOptions("nope"))
	ikscode(t, resp, err, 404, "G0004")

	v1, _, err := svc.GetCluster1(svc.NewGetCluster1Options("c5r0bqmd0l1sq0c4e3gg").SetShowResources("true").SetXAuthResourceGroup(teamA))
	if err != nil {
		t.Fatal(err)
	}
	if *v1.Name != "mycluster" || *v1.MasterState != "deployed" || *v1.MasterStatus != "Ready" || *v1.DataCenter != "dal10" || *v1.ResourceGroup != teamA {
		t.Errorf("v1 cluster: %+v", v1)
	}
	_, resp, err = svc.GetCluster1(svc.NewGetCluster1Options("mycluster").SetXAuthResourceGroup(def))
	ikscode(t, resp, err, 404, "G0004")
}

func TestIKSListClusters(t *testing.T) {
	srv := start(t, "testdata/mixed.yaml", nil)
	svc := iks(t, srv, login(t, srv))
	def := srv.Scenario().GroupByName("default").ID

	names := func(list []kubernetesserviceapiv1.GetClustersResponse) (out []string) {
		for _, c := range list {
			out = append(out, *c.Name+"/"+*c.Provider)
		}
		return out
	}
	all, _, err := svc.VpcGetClusters(svc.NewVpcGetClustersOptions())
	if err != nil || strings.Join(names(all), ",") != "classic-one/classic,vpc-one/vpc-gen2" {
		t.Fatalf("vpc list without provider: %v %v", names(all), err)
	}
	vpc, _, err := svc.VpcGetClusters(svc.NewVpcGetClustersOptions().SetProvider("vpc-gen2"))
	if err != nil || strings.Join(names(vpc), ",") != "vpc-one/vpc-gen2" {
		t.Fatalf("vpc list: %v %v", names(vpc), err)
	}
	scoped, _, err := svc.VpcGetClusters(svc.NewVpcGetClustersOptions().SetXAuthResourceGroup(def))
	if err != nil || strings.Join(names(scoped), ",") != "vpc-one/vpc-gen2" {
		t.Fatalf("scoped list: %v %v", names(scoped), err)
	}
	classic, _, err := svc.ClassicGetClusters(svc.NewClassicGetClustersOptions())
	if err != nil || strings.Join(names(classic), ",") != "classic-one/classic" {
		t.Fatalf("classic list: %v %v", names(classic), err)
	}
	none, _, err := svc.ClassicGetClusters(svc.NewClassicGetClustersOptions().SetXAuthResourceGroup(def))
	if err != nil || len(none) != 0 {
		t.Fatalf("classic list in default group: %v %v", names(none), err)
	}
	v1, _, err := svc.GetClusters(svc.NewGetClustersOptions())
	if err != nil || len(v1) != 1 || *v1[0].Name != "classic-one" || *v1[0].State != "warning" {
		t.Fatalf("v1 list: %+v %v", v1, err)
	}
}

func TestIKSWorkers(t *testing.T) {
	srv := start(t, "testdata/mixed.yaml", nil)
	svc := iks(t, srv, login(t, srv))

	v1, _, err := svc.GetClusterWorkers(svc.NewGetClusterWorkersOptions("classic-one"))
	if err != nil || len(v1) != 1 {
		t.Fatalf("v1 workers: %+v %v", v1, err)
	}
	w := v1[0]
	if *w.ID != "kube-bsudhljf0rbvej5nb690-classicone-default-00000101" || *w.State != "critical" || *w.Status != "Not Ready" ||
		*w.ErrorMessage != "incorrect account for worker" || *w.PrivateIP != "10.1.1.1" || *w.PoolName != "default" || *w.Location != "dal12" {
		t.Errorf("v1 worker: %+v", w)
	}
	all, _, err := svc.GetClusterWorkers(svc.NewGetClusterWorkersOptions("classic-one").SetShowDeleted("true"))
	if err != nil || len(all) != 2 || *all[1].State != "deleted" {
		t.Fatalf("v1 workers with deleted: %+v %v", all, err)
	}

	v2, _, err := svc.GetWorkers1(svc.NewGetWorkers1Options("bsudhljf0rbvej5nb690").SetShowDeleted("true"))
	if err != nil || len(v2) != 2 {
		t.Fatalf("v2 workers: %+v %v", v2, err)
	}
	if *v2[0].Health.State != "critical" || *v2[0].Health.Message != "Not Ready" || *v2[0].Lifecycle.ActualState != "deployed" ||
		*v2[0].Lifecycle.Message != "incorrect account for worker" || *v2[0].NetworkInterfaces[0].IpAddress != "10.1.1.1" {
		t.Errorf("v2 worker: %+v", v2[0])
	}
	if *v2[1].Lifecycle.ActualState != "deleted" || *v2[1].Lifecycle.DesiredState != "deleted" {
		t.Errorf("v2 deleted worker: %+v", v2[1].Lifecycle)
	}
	vpc, _, err := svc.GetWorkers1(svc.NewGetWorkers1Options("vpc-one"))
	if err != nil || len(vpc) != 1 || *vpc[0].Location != "us-south-1" || *vpc[0].KubeVersion.Actual != "1.30.4_1532" {
		t.Fatalf("vpc workers: %+v %v", vpc, err)
	}
	_, resp, err := svc.GetWorkers1(svc.NewGetWorkers1Options("vpc-one").SetXAuthResourceGroup(srv.Scenario().GroupByName("team-a").ID))
	ikscode(t, resp, err, 404, "G0004")
}

func TestIKSAuth(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	other := start(t, "healthy-classic", nil)
	for name, tok := range map[string]string{
		"malformed":         "not-a-jwt",
		"other simulator":   login(t, other), // well-formed, but not issued here
		"expired (session)": expiredToken(t, srv),
	} {
		_, resp, err := iks(t, srv, tok).GetCluster(&kubernetesserviceapiv1.GetClusterOptions{Cluster: core.StringPtr("mycluster")})
		ikscode(t, resp, err, 401, "A0003")
		if body := resp.Result.(map[string]any); body["type"] != "Authentication" {
			t.Errorf("%s: %v", name, body)
		}
	}
}

func expiredToken(t *testing.T, srv *sim.Server) string {
	home := t.TempDir()
	opts := sim.DefaultSessionOptions(srv)
	opts.ExpiredAccessToken = true
	if err := sim.WriteSession(home, opts); err != nil {
		t.Fatal(err)
	}
	cfg := core_config.NewCoreConfigFromPath(filepath.Join(home, ".bluemix", "config.json"), func(err error) { t.Fatal(err) })
	return strings.TrimPrefix(cfg.IAMToken(), "Bearer ")
}

func TestResourceGroups(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	sc := srv.Scenario()
	rm, err := resourcemanagerv2.NewResourceManagerV2(&resourcemanagerv2.ResourceManagerV2Options{
		URL:           srv.URL() + sim.PrefixResourceManager,
		Authenticator: &core.BearerTokenAuthenticator{BearerToken: login(t, srv)},
	})
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := rm.ListResourceGroups(rm.NewListResourceGroupsOptions().SetAccountID(sc.Account.ID))
	if err != nil || len(list.Resources) != 2 {
		t.Fatalf("%+v %v", list, err)
	}
	for i, g := range list.Resources {
		want := sc.ResourceGroups[i]
		if *g.ID != want.ID || *g.Name != want.Name || *g.Default != want.Default || *g.State != "ACTIVE" ||
			*g.AccountID != sc.Account.ID || *g.QuotaID == "" || g.CreatedAt == nil || !strings.HasSuffix(*g.CRN, want.ID) {
			t.Errorf("group %d: %+v", i, g)
		}
	}
	foreign, _, err := rm.ListResourceGroups(rm.NewListResourceGroupsOptions().SetAccountID("ffffffffffffffffffffffffffffffff"))
	if err != nil || len(foreign.Resources) != 0 {
		t.Fatalf("other account's groups visible: %+v %v", foreign, err)
	}
}

func TestWriteSessionReadBack(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	sc := srv.Scenario()
	home := t.TempDir()
	if err := sim.WriteSession(home, sim.SessionOptions{Server: srv, Region: "us-south", Group: "team-a", Locale: "ja_JP"}); err != nil {
		t.Fatal(err)
	}
	cfg := core_config.NewCoreConfigFromPath(filepath.Join(home, ".bluemix", "config.json"), func(err error) { t.Fatal(err) })
	if cfg.CurrentRegion().Name != "us-south" || cfg.Locale() != "ja_JP" || cfg.IAMEndpoint() != srv.URL()+"/iam" {
		t.Errorf("region %q locale %q iam %q", cfg.CurrentRegion().Name, cfg.Locale(), cfg.IAMEndpoint())
	}
	if a := cfg.CurrentAccount(); a.GUID != sc.Account.ID || a.Name != "ACME Corp" || a.Owner != "jane.doe@example.com" {
		t.Errorf("account %+v", a)
	}
	if g := cfg.CurrentResourceGroup(); !cfg.HasTargetedResourceGroup() || g.GUID != sc.GroupByName("team-a").ID || g.Name != "team-a" || g.State != "ACTIVE" {
		t.Errorf("group %+v", g)
	}
	if !cfg.IsLoggedIn() || cfg.UserEmail() != "jane.doe@example.com" || cfg.IMSAccountID() != "2093847" || !strings.HasPrefix(cfg.IAMToken(), "Bearer ") {
		t.Errorf("login: email %q ims %q", cfg.UserEmail(), cfg.IMSAccountID())
	}
	// The written token is accepted as is.
	if _, _, err := iks(t, srv, strings.TrimPrefix(cfg.IAMToken(), "Bearer ")).GetCluster(&kubernetesserviceapiv1.GetClusterOptions{Cluster: core.StringPtr("mycluster")}); err != nil {
		t.Fatal(err)
	}

	noGroup := t.TempDir()
	if err := sim.WriteSession(noGroup, sim.SessionOptions{Server: srv, Region: "us-south"}); err != nil {
		t.Fatal(err)
	}
	cfg = core_config.NewCoreConfigFromPath(filepath.Join(noGroup, ".bluemix", "config.json"), func(err error) { t.Fatal(err) })
	if cfg.HasTargetedResourceGroup() {
		t.Errorf("no group targeted, got %+v", cfg.CurrentResourceGroup())
	}
	if err := sim.WriteSession(t.TempDir(), sim.SessionOptions{Server: srv, Group: "nope"}); err == nil {
		t.Error("unknown group accepted")
	}
}

func TestExpiredSessionRefreshes(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	home := t.TempDir()
	opts := sim.DefaultSessionOptions(srv)
	opts.ExpiredAccessToken = true
	if err := sim.WriteSession(home, opts); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(home, ".bluemix", "config.json")
	cfg := core_config.NewCoreConfigFromPath(path, func(err error) { t.Fatal(err) })
	if !core_config.NewIAMTokenInfo(cfg.IAMToken()).HasExpired() {
		t.Fatal("token not expired")
	}
	oldRefresh := cfg.IAMRefreshToken()

	// The CLI SDK's IAM client, exactly as RefreshIAMToken calls it.
	client := iam.NewClient(iam.DefaultConfig(cfg.IAMEndpoint()), rest.NewClient())
	tok, err := client.GetToken(iam.RefreshTokenRequest(oldRefresh))
	if err != nil {
		t.Fatal(err)
	}
	if core_config.NewIAMTokenInfo(tok.AccessToken).HasExpired() || tok.RefreshToken == oldRefresh || tok.TokenType != "Bearer" {
		t.Fatalf("refreshed token %+v", core_config.NewIAMTokenInfo(tok.AccessToken))
	}
	if _, _, err := iks(t, srv, tok.AccessToken).GetCluster(&kubernetesserviceapiv1.GetClusterOptions{Cluster: core.StringPtr("mycluster")}); err != nil {
		t.Fatalf("refreshed token refused: %v", err)
	}
	// Rotation: the old refresh token is spent.
	_, err = client.GetToken(iam.RefreshTokenRequest(oldRefresh))
	var invalid *authentication.InvalidTokenError
	if !errors.As(err, &invalid) {
		t.Fatalf("stale refresh token: %T %v", err, err)
	}

	// And the CLI SDK's own refresh-and-persist path, through IAM_ENDPOINT.
	t.Setenv("IAM_ENDPOINT", srv.Env(home)["IAM_ENDPOINT"])
	cfg2 := core_config.NewCoreConfigFromPath(path, func(err error) { t.Fatal(err) })
	cfg2.SetIAMRefreshToken(tok.RefreshToken)
	if _, err := cfg2.RefreshIAMToken(); err != nil {
		t.Fatal(err)
	}
	reread := core_config.NewCoreConfigFromPath(path, func(err error) { t.Fatal(err) })
	if !reread.IsLoggedIn() || reread.IAMRefreshToken() == tok.RefreshToken {
		t.Error("refreshed session not persisted")
	}
}

func TestMutatingCallRefused(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	svc := iks(t, srv, login(t, srv))
	resp, err := svc.RemoveUserCredentials(svc.NewRemoveUserCredentialsOptions("us-south"))
	ikscode(t, resp, err, 405, "SIM405")
	v := srv.Violations()
	if len(v) != 1 || v[0].Method != "DELETE" || v[0].Path != "/iks/global/v1/credentials" || v[0].Headers["X-Region"] != "us-south" {
		t.Fatalf("violations %+v", v)
	}
}

func TestLogHasNoSecrets(t *testing.T) {
	log := &syncBuffer{}
	srv := start(t, "testdata/mixed.yaml", log)
	sc := srv.Scenario()
	home := t.TempDir()
	if err := sim.WriteSession(home, sim.SessionOptions{Server: srv, ExpiredAccessToken: true}); err != nil {
		t.Fatal(err)
	}
	cfg := core_config.NewCoreConfigFromPath(filepath.Join(home, ".bluemix", "config.json"), func(err error) { t.Fatal(err) })
	secrets := append(sc.Secrets(), cfg.IAMToken(), cfg.IAMRefreshToken())

	tok, err := iam.NewClient(iam.DefaultConfig(cfg.IAMEndpoint()), rest.NewClient()).GetToken(
		iam.APIKeyTokenRequest(sc.Users[0].APIKeys[0], iam.SetAccount(sc.Account.ID)))
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, tok.AccessToken, tok.RefreshToken)
	access := login(t, srv)
	secrets = append(secrets, access)
	svc := iks(t, srv, access)
	svc.GetCluster(svc.NewGetClusterOptions(access))                    // a token where a name belongs
	svc.GetCluster1(svc.NewGetCluster1Options(sc.Session.APIKey))       // a key in the path
	svc.GetWorkers1(svc.NewGetWorkers1Options("vpc-one"))               // ordinary call
	svc.RemoveUserCredentials(svc.NewRemoveUserCredentialsOptions("x")) // violation

	out := log.String()
	if strings.Count(out, "\n") != len(srv.Requests()) || len(srv.Requests()) < 6 {
		t.Fatalf("log lines vs requests: %d vs %d", strings.Count(out, "\n"), len(srv.Requests()))
	}
	for _, s := range secrets {
		if s == "" || s == "not_supported" {
			continue
		}
		if strings.Contains(out, strings.TrimPrefix(s, "Bearer ")) {
			t.Errorf("log leaks a secret (%d chars)", len(s))
		}
	}
	if strings.Contains(out, "KSDOCTORCANARY") || !strings.Contains(out, `"Authorization":"Bearer [redacted]"`) {
		t.Errorf("log:\n%s", out)
	}
}

func TestEnv(t *testing.T) {
	srv := start(t, "healthy-vpc", nil)
	env := srv.Env("/h")
	if len(env) != len(sim.EnvKeys) || env["IBMCLOUD_HOME"] != "/h" || env["KS_DOCTOR_IKS_URL"] != srv.URL()+"/iks/global" ||
		env["IAM_ENDPOINT"] != env["KS_DOCTOR_IAM_URL"] || env["KS_DOCTOR_SIM_URL"] != srv.URL() {
		t.Errorf("%v", env)
	}
	for _, k := range sim.EnvKeys {
		if env[k] == "" {
			t.Errorf("missing %s", k)
		}
	}
	for k, v := range map[string]string{
		"KS_DOCTOR_USER_MANAGEMENT_URL":    srv.URL() + "/user-management",
		"KS_DOCTOR_ACCOUNT_MANAGEMENT_URL": srv.URL() + "/account-management",
		"KS_DOCTOR_SOFTLAYER_URL":          srv.URL() + "/softlayer/rest/v3.1",
		"KS_DOCTOR_VPC_URL":                srv.URL() + "/vpc/{region}/v1",
		"KS_DOCTOR_IAM_URL":                srv.URL() + "/iam",
	} {
		if env[k] != v {
			t.Errorf("%s=%q, want %q", k, env[k], v)
		}
	}
	c, _, err := iks(t, srv, login(t, srv)).GetCluster(&kubernetesserviceapiv1.GetClusterOptions{Cluster: core.StringPtr("vpc-dev")})
	if err != nil || *c.ID != "cl8v2d0f0b4ruc3ua2g0" || *c.Provider != "vpc-gen2" || *c.Region != "eu-de" || *c.ResourceGroupName != "default" {
		t.Fatalf("%+v %v", c, err)
	}
}
